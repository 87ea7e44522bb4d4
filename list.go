package interdict

import (
	"context"
	"time"
)

// List identifiers. Entity IDs start with one of them.
const (
	ListOFACSDN  = "ofac-sdn"  // US Treasury OFAC Specially Designated Nationals
	ListOFACCons = "ofac-cons" // US Treasury OFAC Consolidated (non-SDN) list
	ListUN       = "un"        // UN Security Council Consolidated List
	ListEU       = "eu"        // EU Financial Sanctions Files
	ListUK       = "uk"        // UK Sanctions List (FCDO)
	ListCSL      = "csl"       // US Consolidated Screening List (ITA)
	ListBISDPL   = "bis-dpl"   // US BIS Denied Persons List
	ListCA       = "ca"        // Canada Consolidated Autonomous Sanctions List
	ListAU       = "au"        // Australia DFAT Consolidated List
	ListFTM      = "ftm"       // OpenSanctions FollowTheMoney data
)

// ListInfo describes a list and its publisher.
type ListInfo struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Publisher string `json:"publisher"`
	URL       string `json:"url"`
}

// Lists describes every list interdict knows, in display order.
var Lists = []ListInfo{
	{ListOFACSDN, "Specially Designated Nationals and Blocked Persons List", "US Department of the Treasury, Office of Foreign Assets Control", "https://sanctionssearch.ofac.treas.gov/"},
	{ListOFACCons, "Consolidated (non-SDN) Sanctions List", "US Department of the Treasury, Office of Foreign Assets Control", "https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists"},
	{ListUN, "United Nations Security Council Consolidated List", "United Nations Security Council", "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"},
	{ListEU, "Consolidated list of persons, groups and entities subject to EU financial sanctions", "European Commission", "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions"},
	{ListUK, "UK Sanctions List", "UK Foreign, Commonwealth and Development Office", "https://www.gov.uk/government/publications/the-uk-sanctions-list"},
	{ListCSL, "Consolidated Screening List", "US Department of Commerce, International Trade Administration", "https://www.trade.gov/consolidated-screening-list"},
	{ListBISDPL, "Denied Persons List", "US Department of Commerce, Bureau of Industry and Security", "https://www.bis.gov/dpl"},
	{ListCA, "Consolidated Canadian Autonomous Sanctions List", "Global Affairs Canada", "https://www.international.gc.ca/world-monde/international_relations-relations_internationales/sanctions/consolidated-consolide.aspx"},
	{ListAU, "Consolidated List", "Australian Department of Foreign Affairs and Trade", "https://www.dfat.gov.au/international-relations/security/sanctions/consolidated-list"},
	{ListFTM, "OpenSanctions (FollowTheMoney)", "OpenSanctions", "https://www.opensanctions.org/"},
}

// LookupList returns the ListInfo for a list identifier.
func LookupList(id string) (ListInfo, bool) {
	for _, l := range Lists {
		if l.ID == id {
			return l, true
		}
	}
	return ListInfo{}, false
}

// Severity grades an import issue.
type Severity string

// Severities. An error is a record that could not be read and was left out;
// strict imports refuse a version with any. A warning is kept data that is
// doubtful (an impossible date, an alias row for an unknown record).
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// ImportIssue is one problem found while reading a list file. It names the
// list, the file, the record (by the list's id or by line) and the field.
type ImportIssue struct {
	Severity Severity `json:"severity"`
	List     string   `json:"list"`
	File     string   `json:"file,omitempty"`
	Line     int      `json:"line,omitempty"`
	Record   string   `json:"record,omitempty"`
	Field    string   `json:"field,omitempty"`
	Message  string   `json:"message"`
}

// ImportReport counts what an import read, kept and left out. It is stored
// with the list version so that a dropped record is never silent.
type ImportReport struct {
	// Records is the number of source records read.
	Records int `json:"records"`
	// Entities is the number of entities produced.
	Entities int `json:"entities"`
	// Skipped is the number of records left out because they could not be read.
	Skipped int `json:"skipped"`
	// Errors and Warnings count the issues by severity.
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Issues   []ImportIssue `json:"issues,omitempty"`
}

// Add records an issue and updates the counts.
func (r *ImportReport) Add(is ImportIssue) {
	switch is.Severity {
	case SeverityError:
		r.Errors++
	default:
		r.Warnings++
	}
	r.Issues = append(r.Issues, is)
}

// SourceFile describes one file a list version was read from.
type SourceFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ListVersion is one imported version of a list.
type ListVersion struct {
	List string `json:"list"`
	// Version numbers the list's versions 1, 2, 3, ... in import order.
	Version   int    `json:"version"`
	Publisher string `json:"publisher"`
	// Format is the source format ("ofac-csv", "un-xml", ...).
	Format string `json:"format"`
	// Published is the publication date the list states, YYYY-MM-DD, or "".
	Published string `json:"published,omitempty"`
	// ImportedAt is when the version was imported.
	ImportedAt time.Time `json:"imported_at"`
	// Checksum is a hex SHA-256 over the entities' hashes in ID order: two
	// versions with equal checksums hold the same data.
	Checksum string       `json:"checksum"`
	Sources  []SourceFile `json:"sources"`
	// Counts is the number of entities of each kind; Total their sum.
	Counts map[Kind]int `json:"counts"`
	Total  int          `json:"total"`
	// Current is true for the version screening uses.
	Current bool         `json:"current"`
	Report  ImportReport `json:"report"`
}

// ChangeType says how an entity changed between two versions.
type ChangeType string

// Change types.
const (
	ChangeAdded   ChangeType = "added"
	ChangeRemoved ChangeType = "removed"
	ChangeChanged ChangeType = "changed"
)

// EntityChange is one entity that differs between two versions of a list.
// Old is nil for added entities and New is nil for removed ones.
type EntityChange struct {
	Type ChangeType `json:"type"`
	ID   string     `json:"id"`
	Name string     `json:"name"`
	Old  *Entity    `json:"old,omitempty"`
	New  *Entity    `json:"new,omitempty"`
	// Fields names the top-level fields that differ, for changed entities.
	Fields []string `json:"fields,omitempty"`
}

// ListDiff is the difference between two versions of a list.
type ListDiff struct {
	List    string         `json:"list"`
	From    int            `json:"from"`
	To      int            `json:"to"`
	Added   int            `json:"added"`
	Removed int            `json:"removed"`
	Changed int            `json:"changed"`
	Changes []EntityChange `json:"changes"`
}

// ListStore keeps list versions and their entities.
type ListStore interface {
	// CreateListVersion stores a new version of v.List with its entities and,
	// if v.Current, makes it the current version. It fills v.Version. Returns
	// EINVALID when v is incomplete.
	CreateListVersion(ctx context.Context, v *ListVersion, entities []Entity) error

	// FindListVersions returns the versions of a list, newest first, or of
	// every list when list is "". Reports are included.
	FindListVersions(ctx context.Context, list string) ([]*ListVersion, error)

	// FindCurrentVersions returns the current version of every list that has
	// one, in list order.
	FindCurrentVersions(ctx context.Context) ([]*ListVersion, error)

	// FindListVersion returns one version. Returns ENOTFOUND if it does not exist.
	FindListVersion(ctx context.Context, list string, version int) (*ListVersion, error)

	// FindEntities returns the entities of one version in ID order. Returns
	// ENOTFOUND if the version does not exist.
	FindEntities(ctx context.Context, list string, version int) ([]Entity, error)

	// FindEntityByID returns an entity from the current version of its list,
	// with that version. Returns ENOTFOUND if no current version holds it.
	FindEntityByID(ctx context.Context, id string) (*Entity, *ListVersion, error)

	// SetCurrentVersion makes a stored version the current one. Returns
	// ENOTFOUND if it does not exist.
	SetCurrentVersion(ctx context.Context, list string, version int) error

	// Generation returns a marker of the current versions of every list:
	// it changes whenever a version becomes current, whichever process
	// stored it, and stays the same otherwise. It is cheap enough to be
	// called every second: the screening service polls it to serve another
	// process's import.
	Generation(ctx context.Context) (string, error)
}
