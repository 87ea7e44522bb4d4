package screen_test

import (
	"context"
	"testing"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/match"
	"github.com/interdict/interdict/screen"
)

// listEntities are one party on an official list, one on the
// institution's own list and one PEP from FtM data imported under a name
// of the institution's own.
func listEntities() []interdict.Entity {
	person := func(id, list, name string, topics ...string) interdict.Entity {
		e := interdict.Entity{ID: id, List: list, Kind: interdict.KindPerson, Names: []interdict.Name{{Full: name, Quality: interdict.NamePrimary}}}
		for _, t := range topics {
			e.AddAttribute(screen.TopicsAttribute, t)
		}
		return e
	}
	return []interdict.Entity{
		person("un:QDi.1", interdict.ListUN, "Marek Dvorak"),
		person("exited:K-1", "exited", "Tomasz Wielgosz"),
		person("peps:Q1", "peps", "Aurelio Mendoza Castillo", "role.pep"),
		person("peps:Q2", "peps", "Lucia Mendoza Paredes", "role.rca"),
		person("ftm:Q3", interdict.ListFTM, "Ingrid Vasstrand", "sanction", "role.pep"),
	}
}

func TestScreener_HitKind(t *testing.T) {
	s, err := screen.NewScreener(match.NewIndex(listEntities()), screen.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		want interdict.HitKind
	}{
		{"Marek Dvorak", interdict.HitSanction},
		{"Tomasz Wielgosz", interdict.HitInternal},
		{"Aurelio Mendoza Castillo", interdict.HitPEP},
		{"Lucia Mendoza Paredes", interdict.HitPEP},
		{"Ingrid Vasstrand", interdict.HitPEP}, // a PEP on an official list is a PEP
	} {
		res, err := s.Screen(context.Background(), interdict.Query{Name: tc.name})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Hits[0].HitKind != tc.want || !res.Alert {
			t.Errorf("%s: hits %+v, alert %v; want a %s hit that alerts", tc.name, res.Hits, res.Alert, tc.want)
		}
	}
}

func TestPolicy_PerList(t *testing.T) {
	off := false
	p := screen.DefaultPolicy()
	p.PerList = map[string]screen.ListPolicy{
		"peps":   {Alert: &off},
		"exited": {Threshold: 0.95},
		"un":     {HitKind: interdict.HitInternal},
	}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Hash() == screen.DefaultPolicy().Hash() {
		t.Error("per_list does not change the policy hash")
	}
	s, err := screen.NewScreener(match.NewIndex(listEntities()), p, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		alert bool
		kind  interdict.HitKind
	}{
		{"Aurelio Mendoza Castillo", false, interdict.HitPEP}, // reported, no alert
		{"Tomasz Wielgosz", true, interdict.HitInternal},      // exact: 0.96, above 0.95
		{"Tomasz Wielgos", false, interdict.HitInternal},      // a typo: under the list's 0.95
		{"Marek Dvorak", true, interdict.HitInternal},         // the policy sets the kind
	} {
		res, err := s.Screen(context.Background(), interdict.Query{Name: tc.query})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 0 || res.Alert != tc.alert || res.Hits[0].HitKind != tc.kind {
			t.Errorf("%s: alert %v, hits %+v; want alert %v on a %s hit", tc.query, res.Alert, res.Hits, tc.alert, tc.kind)
		}
		// Each hit, and each party, alerts as the policy decides for its
		// list: the UI's per-hit mark and the batch alerting_entities
		// column read Hit.Alert.
		parties := map[string]bool{}
		for _, h := range res.Hits {
			if want := p.Alerts(h.List, h.Score); h.Alert != want {
				t.Errorf("%s: hit %s (%s, %.3f) alert %v; the policy says %v", tc.query, h.EntityID, h.List, h.Score, h.Alert, want)
			}
			parties[h.Party] = parties[h.Party] || h.Alert
		}
		for _, lp := range res.Parties {
			if lp.Alert != parties[lp.ID] {
				t.Errorf("%s: party %s alert %v; its hits say %v", tc.query, lp.ID, lp.Alert, parties[lp.ID])
			}
		}
		if len(res.Hits) > 0 && tc.query == "Tomasz Wielgos" && res.Hits[0].Score < screen.DefaultPolicy().Threshold {
			t.Errorf("%s scores %.3f, under the default threshold: the case does not test the list's own", tc.query, res.Hits[0].Score)
		}
	}
	// The default policy alerts on the typo.
	d, _ := screen.NewScreener(match.NewIndex(listEntities()), screen.DefaultPolicy(), nil)
	if res, _ := d.Screen(context.Background(), interdict.Query{Name: "Tomasz Wielgos"}); !res.Alert {
		t.Errorf("Tomasz Wielgos does not alert under the default policy: %+v", res.Hits)
	}
}

func TestPolicy_ValidatePerList(t *testing.T) {
	for name, lp := range map[string]screen.ListPolicy{
		"ThresholdAboveOne": {Threshold: 1.2},
		"ThresholdUnderMin": {Threshold: 0.3},
		"UnknownHitKind":    {HitKind: "watch"},
	} {
		t.Run(name, func(t *testing.T) {
			p := screen.DefaultPolicy()
			p.PerList = map[string]screen.ListPolicy{"exited": lp}
			if err := p.Validate(); interdict.ErrorCode(err) != interdict.EINVALID {
				t.Errorf("Validate() = %v, want EINVALID", err)
			}
		})
	}
}
