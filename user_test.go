package interdict_test

import (
	"strings"
	"testing"

	"github.com/interdict/interdict"
)

func TestCheckUserName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"ana", true},
		{"a.lopez-2@bank.example", true},
		{"A_1", true},
		{"", false},
		{"-ana", false},
		{".ana", false},
		{"ana lopez", false},
		{"ana\nlopez", false},
		{"anä", false},
		{"<script>", false},
		{strings.Repeat("a", interdict.MaxUserNameLen), true},
		{strings.Repeat("a", interdict.MaxUserNameLen+1), false},
	}
	for _, tt := range tests {
		err := interdict.CheckUserName(tt.name)
		if tt.ok && err != nil || !tt.ok && interdict.ErrorCode(err) != interdict.EINVALID {
			t.Errorf("CheckUserName(%q) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestRole_Valid(t *testing.T) {
	for _, r := range []interdict.Role{"analyst", "approver", "admin", "api-client"} {
		if !r.Valid() {
			t.Errorf("Role(%q).Valid() = false", r)
		}
	}
	for _, r := range []interdict.Role{"", "Admin", "root", "api_client"} {
		if r.Valid() {
			t.Errorf("Role(%q).Valid() = true", r)
		}
	}
}
