package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"time"

	"github.com/interdict/interdict"
)

// Config is interdict's configuration: the config file (JSON) with
// INTERDICT_* environment overrides and flags on top.
type Config struct {
	// Home is the data directory. Not read from the file.
	Home string `json:"-"`
	// Sources maps a list ID to the URLs `lists update` downloads it from.
	// Listing a list with no URLs disables its update.
	Sources map[string][]string `json:"sources,omitempty"`
	// Policy overrides fields of the default screening policy (threshold,
	// min_score, limit, lists, kinds, weights, per_list); see package
	// screen. per_list sets, by list (official or the institution's own),
	// whether its hits alert, at which threshold, and their hit kind:
	//
	//	"per_list": {"peps": {"alert": false, "hit_kind": "pep"},
	//	             "exited-customers": {"threshold": 0.9}}
	Policy json.RawMessage `json:"policy,omitempty"`
	// MaxAgeDays sets, per list ID (or "*" for every list), the age in days
	// past which `lists status` and the web UI warn that a list is stale;
	// unset lists use interdict.DefaultMaxAge.
	MaxAgeDays map[string]int `json:"max_age_days,omitempty"`
	// Database is the PostgreSQL database (postgres://...) of a cluster's
	// replicas: lists, book, alerts, decisions, audit trail, users and
	// jobs. It is the default of $INTERDICT_DATABASE and --database.
	Database string `json:"database,omitempty"`
	// NATS is the NATS server (nats://host:port, comma-separated for
	// several) that announces new list versions to every replica and
	// shares re-screening work among them; the default of
	// $INTERDICT_NATS and serve --nats. NATSPrefix starts its subjects and
	// streams (default "interdict"; one per cluster).
	NATS       string `json:"nats,omitempty"`
	NATSPrefix string `json:"nats_prefix,omitempty"`
}

// MaxAge returns the age past which list is reported as stale.
func (c *Config) MaxAge(list string) time.Duration {
	if d, ok := c.MaxAgeDays[list]; ok {
		return time.Duration(d) * 24 * time.Hour
	}
	if d, ok := c.MaxAgeDays["*"]; ok {
		return time.Duration(d) * 24 * time.Hour
	}
	return interdict.DefaultMaxAge(list)
}

// DefaultSources are the publishers' official download addresses. The EU
// file needs a token from the Commission's Financial Sanctions Database and
// so has no default; add it in the config file.
var DefaultSources = map[string][]string{
	interdict.ListOFACSDN:  {"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML"},
	interdict.ListOFACCons: {"https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONSOLIDATED.XML"},
	interdict.ListUN:       {"https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
	interdict.ListUK:       {"https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"},
	interdict.ListCSL:      {"https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"},
	interdict.ListBISDPL:   {"https://www.bis.doc.gov/dpl/dpl.txt"},
	interdict.ListCA:       {"https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml"},
	interdict.ListAU:       {"https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"},
}

// DefaultConfig returns the configuration used when no file exists.
func DefaultConfig() *Config {
	c := &Config{Sources: map[string][]string{}}
	for k, v := range DefaultSources {
		c.Sources[k] = append([]string(nil), v...)
	}
	return c
}

// ConfigError names the configuration field that is wrong.
type ConfigError struct {
	Field string
	Err   error
}

func (e *ConfigError) Error() string { return fmt.Sprintf("config: %s: %v", e.Field, e.Err) }
func (e *ConfigError) Unwrap() error { return e.Err }

// Validate checks the configuration and names the offending field.
func (c *Config) Validate() error {
	if c.Home == "" {
		return &ConfigError{Field: "home", Err: errors.New("no data directory")}
	}
	lists := make([]string, 0, len(c.Sources))
	for l := range c.Sources {
		lists = append(lists, l)
	}
	sort.Strings(lists)
	for _, l := range lists {
		if _, ok := interdict.LookupList(l); !ok {
			return &ConfigError{Field: "sources." + l, Err: errors.New("unknown list")}
		}
		for i, u := range c.Sources[l] {
			p, err := url.Parse(u)
			if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
				return &ConfigError{Field: fmt.Sprintf("sources.%s[%d]", l, i), Err: fmt.Errorf("%q is not an http(s) URL", u)}
			}
		}
	}
	if err := c.validateCluster(); err != nil {
		return err
	}
	for l, d := range c.MaxAgeDays {
		if _, ok := interdict.LookupList(l); !ok && l != "*" {
			return &ConfigError{Field: "max_age_days." + l, Err: errors.New("unknown list")}
		}
		if d < 1 {
			return &ConfigError{Field: "max_age_days." + l, Err: fmt.Errorf("%d days: must be at least 1", d)}
		}
	}
	return nil
}

// loadConfig builds the configuration: defaults, then the config file, then
// the environment and flags.
func (a *App) loadConfig() (*Config, error) {
	if a.config != nil {
		return a.config, nil
	}
	home := a.home
	if home == "" {
		home = a.Getenv("INTERDICT_HOME")
	}
	if home == "" {
		d, err := userDataDir(a.Getenv)
		if err != nil {
			return nil, err
		}
		home = d
	}
	c := DefaultConfig()
	path := a.configPath
	if path == "" {
		path = a.Getenv("INTERDICT_CONFIG")
	}
	explicit := path != ""
	if path == "" {
		path = filepath.Join(home, "config.json")
	}
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		var fc Config
		if err := json.Unmarshal(b, &fc); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		for k, v := range fc.Sources {
			c.Sources[k] = v
		}
		c.Policy = fc.Policy
		c.MaxAgeDays = fc.MaxAgeDays
		c.Database, c.NATS, c.NATSPrefix = fc.Database, fc.NATS, fc.NATSPrefix
	case errors.Is(err, os.ErrNotExist) && !explicit:
	default:
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	c.Home = home
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	a.clusterDefaults(c)
	a.config = c
	return c, nil
}

// userDataDir returns the per-user data directory for interdict:
// $XDG_DATA_HOME/interdict or ~/.local/share/interdict on Unix,
// ~/Library/Application Support/interdict on macOS, %LocalAppData%\interdict
// on Windows.
func userDataDir(getenv func(string) string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "interdict"), nil
		}
	case "darwin":
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, "Library", "Application Support", "interdict"), nil
		}
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "interdict"), nil
		}
		if h := getenv("HOME"); h != "" {
			return filepath.Join(h, ".local", "share", "interdict"), nil
		}
	}
	h, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no data directory: set --home or INTERDICT_HOME: %w", err)
	}
	return filepath.Join(h, ".local", "share", "interdict"), nil
}
