package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
)

// Settings are the policy and configuration a process of interdict works
// under: the screening policy (thresholds, lists, per-list policy) and the
// parts of the configuration that decide what is screened against.
type Settings struct {
	Policy screen.Policy `json:"policy"`
	// Sources are where each list is downloaded from.
	Sources map[string][]string `json:"sources,omitempty"`
	// MaxAgeDays is the age in days past which a list is stale.
	MaxAgeDays map[string]int `json:"max_age_days,omitempty"`
}

// SettingsChange is the payload of a "config.change" audit record.
type SettingsChange struct {
	// Hash is the hex SHA-256 of the settings' JSON; Previous the hash of
	// the settings recorded before ("" for the first record).
	Hash       string `json:"hash"`
	Previous   string `json:"previous,omitempty"`
	PolicyHash string `json:"policy_hash"`
	// Changed names what differs from the settings recorded before:
	// "policy.threshold", "policy.per_list", "sources", "max_age_days".
	Changed []string `json:"changed"`
	// From says where the settings were read: the configuration file, the
	// flags, the command.
	From     string   `json:"from,omitempty"`
	Settings Settings `json:"settings"`
}

// ConfigObject is the audit trail's object of policy and configuration
// changes.
const ConfigObject = "config"

// RecordSettings compares the settings in effect with the last ones on
// the audit trail and, when they differ (or none were recorded), appends a
// "config.change" record by actor that names what changed. It is called
// wherever interdict starts to work under settings (the server, the book
// and review commands), so that every change of policy or configuration
// is on the trail with the user who brought it into effect. It returns the
// record appended, or nil when nothing changed.
func (s *Service) RecordSettings(ctx context.Context, actor, from string, st Settings) (*SettingsChange, error) {
	return RecordSettings(ctx, s.cfg.Store, actor, from, st)
}

// RecordSettings is Service.RecordSettings on a review store, for a
// process that screens without a review service (the command line's
// screening).
func RecordSettings(ctx context.Context, store interdict.ReviewStore, actor, from string, st Settings) (*SettingsChange, error) {
	if actor == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "A configuration change needs an actor.")
	}
	if err := st.Policy.Validate(); err != nil {
		return nil, err
	}
	cur, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("encode settings: %w", err)
	}
	sum := sha256.Sum256(cur)
	ch := &SettingsChange{Hash: hex.EncodeToString(sum[:]), PolicyHash: st.Policy.Hash(), From: from, Settings: st}
	var last *SettingsChange
	if err := store.FindAuditRecords(ctx, interdict.AuditFilter{Object: ConfigObject}, func(r *interdict.AuditRecord) error {
		if r.Action != "config.change" {
			return nil
		}
		var c SettingsChange
		if err := json.Unmarshal(r.Payload, &c); err != nil {
			return fmt.Errorf("audit record %d: %w", r.Seq, err)
		}
		last = &c
		return nil
	}); err != nil {
		return nil, err
	}
	if last != nil && last.Hash == ch.Hash {
		return nil, nil
	}
	if last == nil {
		ch.Changed = []string{"first record"}
	} else {
		ch.Previous = last.Hash
		ch.Changed = settingsDiff(last.Settings, st)
	}
	b, err := json.Marshal(ch)
	if err != nil {
		return nil, fmt.Errorf("encode settings change: %w", err)
	}
	if err := store.AppendAudit(ctx, &interdict.AuditRecord{Actor: actor, Action: "config.change", Object: ConfigObject, Payload: b}); err != nil {
		return nil, fmt.Errorf("audit config.change: %w", err)
	}
	return ch, nil
}

// settingsDiff names the fields of the policy and the sections of the
// configuration that differ between a and b.
func settingsDiff(a, b Settings) []string {
	var out []string
	pa, pb := fields(a.Policy), fields(b.Policy)
	keys := map[string]bool{}
	for k := range pa {
		keys[k] = true
	}
	for k := range pb {
		keys[k] = true
	}
	for k := range keys {
		if !bytes.Equal(pa[k], pb[k]) {
			out = append(out, "policy."+k)
		}
	}
	sort.Strings(out)
	if !sameJSON(a.Sources, b.Sources) {
		out = append(out, "sources")
	}
	if !sameJSON(a.MaxAgeDays, b.MaxAgeDays) {
		out = append(out, "max_age_days")
	}
	return out
}

func fields(v any) map[string]json.RawMessage {
	b, _ := json.Marshal(v)
	m := map[string]json.RawMessage{}
	_ = json.Unmarshal(b, &m)
	return m
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
