package interdict_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/interdict/interdict"
)

func TestParty_DataHash(t *testing.T) {
	base := interdict.Party{ID: "C-1", Kind: interdict.KindPerson, Name: "Ivan Petrov", DOB: "1970", Country: "RU"}
	h := base.DataHash()
	same := base
	same.ID, same.Version, same.Removed = "C-2", 7, true
	if got := same.DataHash(); got != h {
		t.Errorf("hash changed with ID, version and flags only: %s != %s", got, h)
	}
	for name, edit := range map[string]func(p *interdict.Party){
		"name":        func(p *interdict.Party) { p.Name = "Ivan Petrov Jr" },
		"alias":       func(p *interdict.Party) { p.Aliases = []string{"I. Petrov"} },
		"dob":         func(p *interdict.Party) { p.DOB = "1971" },
		"country":     func(p *interdict.Party) { p.Country = "UA" },
		"identifiers": func(p *interdict.Party) { p.Identifiers = []string{"P123"} },
		"address":     func(p *interdict.Party) { p.Address = "Moscow" },
		"type":        func(p *interdict.Party) { p.Kind = interdict.KindOrganization },
	} {
		p := base
		edit(&p)
		if p.DataHash() == h {
			t.Errorf("changing the %s kept the hash", name)
		}
	}
}

func TestParty_Queries(t *testing.T) {
	p := interdict.Party{ID: "C-1", Name: "Ivan Petrov", Aliases: []string{"Ivan Petrov", "Vanya Petrov", " "}, Identifiers: []string{"P1", "P2"}}
	qs := p.Queries()
	var got []string
	for _, q := range qs {
		if q.Ref != "C-1" {
			t.Errorf("query %+v has Ref %q, want C-1", q, q.Ref)
		}
		got = append(got, q.Name+"/"+q.IDNumber)
	}
	want := []string{"Ivan Petrov/P1", "Vanya Petrov/P1", "Ivan Petrov/P2"}
	if len(got) != len(want) {
		t.Fatalf("Queries = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Queries = %v, want %v", got, want)
		}
	}
}

func TestAuditRecord_ComputeHash(t *testing.T) {
	r := interdict.AuditRecord{Seq: 1, Time: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), Actor: "ann", Action: "party.put",
		Object: "party:C-1", Payload: json.RawMessage(`{"a": 1,  "b": [1, 2]}`)}
	h := r.ComputeHash()
	if len(h) != 64 {
		t.Fatalf("hash %q is not hex SHA-256", h)
	}
	compact := r
	compact.Payload = json.RawMessage(`{"a":1,"b":[1,2]}`)
	if compact.ComputeHash() != h {
		t.Error("whitespace in the payload changed the hash")
	}
	local := r
	local.Time = r.Time.In(time.FixedZone("X", 3600))
	if local.ComputeHash() != h {
		t.Error("the time zone of the same instant changed the hash")
	}
	for name, edit := range map[string]func(r *interdict.AuditRecord){
		"seq":     func(r *interdict.AuditRecord) { r.Seq = 2 },
		"time":    func(r *interdict.AuditRecord) { r.Time = r.Time.Add(time.Microsecond) },
		"actor":   func(r *interdict.AuditRecord) { r.Actor = "bob" },
		"action":  func(r *interdict.AuditRecord) { r.Action = "party.delete" },
		"object":  func(r *interdict.AuditRecord) { r.Object = "party:C-2" },
		"payload": func(r *interdict.AuditRecord) { r.Payload = json.RawMessage(`{"a":2,"b":[1,2]}`) },
		"prev":    func(r *interdict.AuditRecord) { r.Prev = "00" },
	} {
		c := r
		edit(&c)
		if c.ComputeHash() == h {
			t.Errorf("changing the %s kept the hash", name)
		}
	}
}

func TestAlertState(t *testing.T) {
	for _, s := range []interdict.AlertState{interdict.AlertOpen, interdict.AlertInReview, interdict.AlertTrueMatch, interdict.AlertFalsePositive, interdict.AlertNeedsInfo} {
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if interdict.AlertState("closed").Valid() {
		t.Error("unknown state closed is valid")
	}
	if !interdict.AlertTrueMatch.Closed() || !interdict.AlertFalsePositive.Closed() || interdict.AlertNeedsInfo.Closed() {
		t.Error("Closed wrong")
	}
}
