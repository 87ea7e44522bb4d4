package interdict

import "time"

// DefaultMaxAge is the age past which a list version is reported as stale
// when the configuration sets none: 30 days for the lists whose publishers
// update them daily or weekly (OFAC, UN, EU, UK, the CSL), 90 days for the
// others, which change less often.
func DefaultMaxAge(list string) time.Duration {
	switch list {
	case ListOFACSDN, ListOFACCons, ListUN, ListEU, ListUK, ListCSL:
		return 30 * 24 * time.Hour
	}
	return 90 * 24 * time.Hour
}

// Age returns the time from the version's publication date (or, when the
// list states none, its import) to now.
func (v *ListVersion) Age(now time.Time) time.Duration {
	if v.Published != "" {
		if t, err := time.Parse(time.DateOnly, v.Published); err == nil {
			return now.Sub(t)
		}
	}
	return now.Sub(v.ImportedAt)
}
