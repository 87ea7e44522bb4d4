package eval_test

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/interdict/interdict/eval"
)

// TestCustomers checks the frozen customer set: at least 5,000 customers of
// each main script family in every split, each with a birth date, and no
// name in two splits (the sealed split shares nothing with dev or test).
func TestCustomers(t *testing.T) {
	all, err := eval.Customers("")
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	split := map[string]string{}
	for _, c := range all {
		count[c.Split+" "+c.Family]++
		if c.DOB == "" {
			t.Errorf("%s %q: no birth date", c.ID, c.Name)
		}
		if s, ok := split[c.Name]; ok && s != c.Split {
			t.Errorf("%q is in the %s and %s splits", c.Name, s, c.Split)
		}
		split[c.Name] = c.Split
	}
	for _, s := range []string{"dev", "test", "sealed"} {
		for _, f := range []string{"Latn", "Hang", "Hani", "Jpan", "Arab", "Cyrl", "Hebr"} {
			if n := count[s+" "+f]; n < 5000 {
				t.Errorf("%s split, %s: %d customers, want at least 5,000", s, f, n)
			}
		}
	}
}

func TestReadCustomers(t *testing.T) {
	gz := func(s string) *bytes.Reader {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return bytes.NewReader(b.Bytes())
	}
	t.Run("ErrLine", func(t *testing.T) {
		_, err := eval.ReadCustomers(gz(`{"id":"a","name":"Ann Lee","split":"dev"}`+"\n{bad\n"), "")
		if err == nil || !strings.Contains(err.Error(), "line 2") {
			t.Errorf("err = %v, want one naming line 2", err)
		}
	})
	t.Run("ErrNoName", func(t *testing.T) {
		_, err := eval.ReadCustomers(gz(`{"id":"a","split":"dev"}`+"\n"), "")
		if err == nil || !strings.Contains(err.Error(), "line 1: no name") {
			t.Errorf("err = %v, want line 1: no name", err)
		}
	})
	t.Run("Cases", func(t *testing.T) {
		cs, err := eval.ReadCustomers(gz(`{"id":"a","split":"dev","family":"Hang","sex":"female","name":"김수빈","latin":"Kim Subin","dob":"1990-01-02"}`+"\n"+
			`{"id":"b","split":"dev","family":"Hang","sex":"female","name":"박지은","latin":"Park Jieun","dob":"1980-03-04"}`+"\n"), "dev")
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, c := range eval.CustomerCases(cs) {
			kinds[c.Variation]++
			if c.Type == eval.TypeSearch && (c.Query.DOB == "" || len(c.Expect) != 0) {
				t.Errorf("%s: a customer search case needs a birth date and no expected entity: %+v", c.ID, c)
			}
		}
		want := map[string]int{"customer": 2, "customer-latin": 2, "translit": 2, "translit-different": 1}
		for k, n := range want {
			if kinds[k] != n {
				t.Errorf("%s cases = %d, want %d (all: %v)", k, kinds[k], n, kinds)
			}
		}
	})
}
