package interdict

import (
	"context"
	"time"
)

// Ownership is one ownership or control record of the institution's own
// (from a corporate registry, a KYC file or a data vendor), imported so that
// the 50 percent rule and the EU and UK control tests can see through
// companies that no list names.
type Ownership struct {
	// ID is unique; the store sets it.
	ID string `json:"id"`
	// Owner and Owned name the two sides: an entity ID ("ofac-sdn:9647"), a
	// party of the book ("book:C-1001" or the party's own ID) or, for a
	// company known only from the records, its name.
	Owner string `json:"owner"`
	Owned string `json:"owned"`
	// Share is the owner's share of the owned as the file gave it: a
	// percentage ("50", "49.9%"), a range ("25-50") or "" when unknown.
	// ShareMin and ShareMax are the share as a closed interval of
	// percentages; both are 0 and ShareKnown false when the record gives no
	// share.
	Share      string  `json:"share,omitempty"`
	ShareMin   float64 `json:"share_min"`
	ShareMax   float64 `json:"share_max"`
	ShareKnown bool    `json:"share_known"`
	// Role is what the owner is to the owned: "shareholder" (the default),
	// "beneficial owner", "director", "control" (power to appoint the
	// board or otherwise direct the company) and the like.
	Role string `json:"role,omitempty"`
	// Control is true when the record says the owner controls the owned
	// (the EU and UK "owned or controlled" test), whatever the share.
	Control bool `json:"control,omitempty"`
	// From and To bound the record's validity (YYYY-MM-DD), when given.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Source is the import the record came from (a file name); Record its
	// place there ("line 12", "record 3").
	Source    string    `json:"source"`
	Record    string    `json:"record,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// OwnershipFilter selects ownership records; zero fields select all.
type OwnershipFilter struct {
	// Node selects the records whose owner or owned is Node.
	Node string
	// Source selects the records of one import.
	Source string
	// Limit is the most records returned; 0 means no limit.
	Limit int
}

// OwnershipStore keeps the institution's ownership and control records.
type OwnershipStore interface {
	// ReplaceOwnerships replaces, in one transaction, every record imported
	// from source by recs (none deletes them). It sets each record's ID,
	// Source and CreatedAt. Returns EINVALID when source is empty or a
	// record has no owner or no owned.
	ReplaceOwnerships(ctx context.Context, source string, recs []*Ownership) error

	// FindOwnerships returns the records f selects, ordered by source and
	// then in the order they were imported.
	FindOwnerships(ctx context.Context, f OwnershipFilter) ([]*Ownership, error)

	// OwnershipSources returns the sources imported, with their record
	// counts, ordered by source.
	OwnershipSources(ctx context.Context) (map[string]int, error)
}

// LinkEvidence is where one link of a network comes from: which list (or
// "ownership records", "book"), which field, which record, and the value.
type LinkEvidence struct {
	Source string `json:"source"`
	Field  string `json:"field"`
	Record string `json:"record"`
	Value  string `json:"value,omitempty"`
}

// NetworkLink is one hop of a network path, with its evidence.
type NetworkLink struct {
	From     string         `json:"from"`
	FromName string         `json:"from_name,omitempty"`
	To       string         `json:"to"`
	ToName   string         `json:"to_name,omitempty"`
	Type     string         `json:"type"`
	Share    string         `json:"share,omitempty"`
	Evidence []LinkEvidence `json:"evidence"`
}

// NetworkPath is a shortest explained path from a node to a listed entity.
type NetworkPath struct {
	Target     string        `json:"target"`
	TargetName string        `json:"target_name,omitempty"`
	TargetList string        `json:"target_list,omitempty"`
	Hops       []NetworkLink `json:"hops"`
}

// Network signals.
const (
	SignalConnected       = "connected to a listed party"
	SignalBlocked         = "blocked by ownership"
	SignalPossiblyBlocked = "possibly blocked by ownership"
)

// NetworkSignal is what the network around a screened party says, kept
// apart from the name score: a path to a listed party, or blocking by
// ownership under the 50 percent rule or the EU/UK control test.
type NetworkSignal struct {
	// Signal is SignalConnected, SignalBlocked or SignalPossiblyBlocked.
	Signal string `json:"signal"`
	// Node is the node of the network the query was found as.
	Node     string `json:"node"`
	NodeName string `json:"node_name,omitempty"`
	// Explanation says why, in one line ("blocked: ofac-sdn:123 30% +
	// ofac-sdn:456 25%").
	Explanation string        `json:"explanation"`
	Paths       []NetworkPath `json:"paths,omitempty"`
}
