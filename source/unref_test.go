package source_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict/source"
)

func TestUNReferences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"listed as Al-Qaida in Iraq (QDe.115).", []string{"QDe.115"}},
		{"QDi.430 and CDi.015; XQDi.1 no; QDi.12a no", []string{"QDi.430", "CDi.015"}},
		{"no references. Dr. Smith", nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, source.UNReferences(tt.in)); diff != "" {
			t.Errorf("UNReferences(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestRootElement(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<?xml version="1.0"?><!-- c --><CONSOLIDATED_LIST dateGenerated="x">`, "CONSOLIDATED_LIST"},
		{`<ns2:export xmlns:ns2="x">`, "export"},
		{"\n<data-set>", "data-set"},
		{"no xml", ""},
	}
	for _, tt := range tests {
		if got := source.RootElement([]byte(tt.in)); got != tt.want {
			t.Errorf("RootElement(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
