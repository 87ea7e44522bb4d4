package review_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/review"
)

// FuzzImportBook feeds arbitrary files to the book import: it never
// panics, refuses a file it cannot read with EINVALID, and accounts for
// every row it reads (added, changed, unchanged or refused with the file
// and line named).
func FuzzImportBook(f *testing.F) {
	for _, seed := range []string{
		"ID,Name,Aliases,DOB,Country\nC-1,Ivan Petrov,Vanya Petrov; I. Petrov,1970,RU\nC-2,Acme Trading Ltd,,,NL\n",
		"Customer ID;Full Name\n1;\"Quoted, Name\"\n2;\n;No ID\n1;Duplicate\n",
		"{\"id\":\"J-1\",\"name\":\"Json Person\",\"aliases\":\"Other Name|Third Name\"}\n{\"id\":\"J-2\"}\n",
		"Name\nNo id column\n",
		"ID,Name\r\nX,\"unterminated\r\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	ents := loadUN(f)
	e := mustEnv(f, ents[:200])
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		rep, err := e.svc.ImportBook(context.Background(), "fuzz", bytes.NewReader(data), "book.csv", review.ImportOptions{})
		if err != nil {
			if interdict.ErrorCode(err) != interdict.EINVALID {
				t.Fatalf("import refused with %v (code %s), want EINVALID", err, interdict.ErrorCode(err))
			}
			return
		}
		if rep.Rows != rep.Added+rep.Changed+rep.Unchanged+rep.Errors {
			t.Fatalf("rows %d != added %d + changed %d + unchanged %d + refused %d", rep.Rows, rep.Added, rep.Changed, rep.Unchanged, rep.Errors)
		}
		for _, re := range rep.RowErrors {
			if !strings.Contains(re.Message, "book.csv") {
				t.Errorf("row error %q does not name the file", re.Message)
			}
		}
	})
}
