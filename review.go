package interdict

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Party is one entry of the book: a customer, counterparty, supplier or
// vessel the institution keeps under watch, screened again whenever a list
// changes.
type Party struct {
	// ID is the institution's own identifier of the party; it is the key of
	// the book.
	ID string `json:"id"`
	// Kind is "person", "organization", "vessel", "aircraft" or "" (any).
	Kind Kind   `json:"type,omitempty"`
	Name string `json:"name"`
	// Aliases are other names the party goes by; each is screened.
	Aliases []string `json:"aliases,omitempty"`
	// DOB, Country and Address are as in Query.
	DOB     string `json:"dob,omitempty"`
	Country string `json:"country,omitempty"`
	// Identifiers are passport, registration, IMO, BIC or LEI numbers.
	Identifiers []string `json:"identifiers,omitempty"`
	Address     string   `json:"address,omitempty"`
	// Hash is the hex SHA-256 of the party's data (DataHash); Version
	// counts the changes of that data, from 1. The store sets both.
	Hash    string `json:"hash"`
	Version int    `json:"version"`
	// Removed is true once the party was taken off the book; a removed
	// party keeps its alerts and history.
	Removed   bool      `json:"removed,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// DataHash returns the hex SHA-256 of the canonical JSON of the party's
// data: its kind, names, date of birth, country, identifiers and address,
// not its ID, version, flags or timestamps. A change of any of these makes
// a suppressed (good-guy) alert fire again.
func (p *Party) DataHash() string {
	b, err := json.Marshal(struct {
		Kind        Kind     `json:"type"`
		Name        string   `json:"name"`
		Aliases     []string `json:"aliases"`
		DOB         string   `json:"dob"`
		Country     string   `json:"country"`
		Identifiers []string `json:"identifiers"`
		Address     string   `json:"address"`
	}{p.Kind, p.Name, p.Aliases, p.DOB, p.Country, p.Identifiers, p.Address})
	if err != nil {
		panic("interdict: party not encodable: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Queries returns the queries that screen the party: one for its name and
// one for each alias, each with the party's other data and its ID as Ref.
func (p *Party) Queries() []Query {
	q := Query{Name: p.Name, Kind: p.Kind, DOB: p.DOB, Country: p.Country, Address: p.Address, Ref: p.ID}
	if len(p.Identifiers) > 0 {
		q.IDNumber = p.Identifiers[0]
	}
	qs := []Query{q}
	for _, a := range p.Aliases {
		if strings.TrimSpace(a) == "" || a == p.Name {
			continue
		}
		qa := q
		qa.Name = a
		qs = append(qs, qa)
	}
	for _, id := range p.Identifiers[min(1, len(p.Identifiers)):] {
		qi := q
		qi.IDNumber = id
		qs = append(qs, qi)
	}
	return qs
}

// PartyFilter selects parties of the book; zero fields select all the
// parties not removed.
type PartyFilter struct {
	// AfterID returns only parties whose ID sorts after it (keyset paging
	// for a walk of the whole book).
	AfterID string
	// Removed includes removed parties.
	Removed bool
	// Offset and Limit page the result, ordered by ID; Limit 0 means no
	// limit.
	Offset int
	Limit  int
}

// AlertState is where an alert stands in its review.
type AlertState string

// Alert states. An alert is created open, taken in review, and closed as a
// true match (escalated) or a false positive, or parked as needing
// information.
const (
	AlertOpen          AlertState = "open"
	AlertInReview      AlertState = "in_review"
	AlertTrueMatch     AlertState = "true_match"
	AlertFalsePositive AlertState = "false_positive"
	AlertNeedsInfo     AlertState = "needs_info"
)

// Valid reports whether s is a known state.
func (s AlertState) Valid() bool {
	switch s {
	case AlertOpen, AlertInReview, AlertTrueMatch, AlertFalsePositive, AlertNeedsInfo:
		return true
	}
	return false
}

// Closed reports whether s ends the review (true match or false positive).
func (s AlertState) Closed() bool { return s == AlertTrueMatch || s == AlertFalsePositive }

// AlertListing is one list entry behind an alert: hits of one party on several
// lists for the same listed party are one alert with several listings.
type AlertListing struct {
	EntityID string `json:"entity_id"`
	List     string `json:"list"`
	// Version is the list version screened against.
	Version int     `json:"version"`
	Score   float64 `json:"score"`
	// Delisted is set when a later version of the list no longer has the
	// entity.
	Delisted bool `json:"delisted,omitempty"`
}

// Comment is a note on an alert.
type Comment struct {
	Author string    `json:"author"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// Alert is a potential match of a party of the book and a listed entity, kept
// with everything that was known when it was raised.
type Alert struct {
	// ID is unique; CreateAlert sets it when empty.
	ID string `json:"id"`
	// Audit, when set, is the audit record of the alert's creation:
	// CreateAlert appends it in the same transaction as the alert, so that
	// no alert is ever stored without it (its Object, when empty, becomes
	// "alert:<ID>"). It is not stored with the alert.
	Audit *AuditRecord `json:"-"`
	// PartyID and PartyHash name the party and the version of its data
	// that was screened; PartyName is its name then.
	PartyID   string `json:"party_id"`
	PartyHash string `json:"party_hash"`
	PartyName string `json:"party_name"`
	// EntityID and EntityHash name the listed entity (the first listing's)
	// and the hash of its record (Entity.Hash); EntityName is its display
	// name.
	EntityID   string         `json:"entity_id"`
	EntityHash string         `json:"entity_hash"`
	EntityName string         `json:"entity_name"`
	Listings   []AlertListing `json:"listings"`
	// Policy is the hash of the screening policy; Score the best score.
	Policy string  `json:"policy"`
	Score  float64 `json:"score"`
	// Explanation is the hit's explanation as JSON, as it was.
	Explanation json.RawMessage `json:"explanation"`
	State       AlertState      `json:"state"`
	Assignee    string          `json:"assignee,omitempty"`
	Comments    []Comment       `json:"comments,omitempty"`
	// Changes says what changed since a suppressing decision on the same
	// party and entity ("party data", "entity record", "score 0.81 -> 0.93"),
	// for an alert raised again past the good-guy list.
	Changes []string `json:"changes,omitempty"`
	// Notes are annotations added after the alert was raised, such as a
	// delisting.
	Notes []string `json:"notes,omitempty"`
	// Version counts the alert's changes, from 1; UpdateAlert succeeds only
	// for the version that was read (optimistic concurrency).
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Lists returns the lists of the alert's listings.
func (a *Alert) Lists() []string {
	var ls []string
	for _, l := range a.Listings {
		ls = append(ls, l.List)
	}
	return ls
}

// AlertFilter selects alerts; zero fields select all.
type AlertFilter struct {
	State    AlertState
	PartyID  string
	EntityID string
	// List selects alerts with a listing on the list.
	List     string
	Assignee string
	// MinScore selects alerts scored at or above it.
	MinScore float64
	// Offset and Limit page the result, newest first; Limit 0 means no
	// limit.
	Offset int
	Limit  int
}

// DecisionStatus is where a decision stands.
type DecisionStatus string

// Decision statuses. A decision that needs a second person (four-eyes) is
// proposed and then approved or rejected; any other is applied at once.
const (
	DecisionProposed DecisionStatus = "proposed"
	DecisionApproved DecisionStatus = "approved"
	DecisionRejected DecisionStatus = "rejected"
	DecisionApplied  DecisionStatus = "applied"
)

// Decision is a user's decision on an alert: a new state with a comment.
type Decision struct {
	// ID is unique; the store sets it when empty.
	ID      string     `json:"id"`
	AlertID string     `json:"alert_id"`
	State   AlertState `json:"state"`
	// Suppress, for a false positive, puts the party and entity on the
	// good-guy list once approved.
	Suppress bool           `json:"suppress,omitempty"`
	Comment  string         `json:"comment,omitempty"`
	Status   DecisionStatus `json:"status"`
	// ProposedBy is the user who decided; ApprovedBy the second user who
	// approved (or rejected) it.
	ProposedBy string    `json:"proposed_by"`
	ProposedAt time.Time `json:"proposed_at"`
	ApprovedBy string    `json:"approved_by,omitempty"`
	ApprovedAt time.Time `json:"approved_at,omitzero"`
}

// GoodGuy is an approved false positive: alerts on Party and Entity stay
// suppressed while the party's data hash, the entity's record hash and the
// score (within a margin) stay as they were.
type GoodGuy struct {
	PartyID    string    `json:"party_id"`
	EntityID   string    `json:"entity_id"`
	PartyHash  string    `json:"party_hash"`
	EntityHash string    `json:"entity_hash"`
	Score      float64   `json:"score"`
	DecisionID string    `json:"decision_id"`
	ApprovedBy string    `json:"approved_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// AlertUpdate is one atomic change of an alert: its new fields, and with
// them a decision and a good-guy entry to store.
type AlertUpdate struct {
	// Alert holds the new fields; its Version must be the version read.
	Alert *Alert
	// Decision, when not nil, is stored (created, or replaced by ID).
	Decision *Decision
	// GoodGuy, when not nil, is stored, replacing any for the same party
	// and entity.
	GoodGuy *GoodGuy
	// ClearGoodGuy deletes the good-guy entry of the alert's party and
	// entity.
	ClearGoodGuy bool
}

// AuditRecord is one entry of the append-only, hash-chained audit trail.
type AuditRecord struct {
	// Seq numbers the records from 1 without gaps.
	Seq  int64     `json:"seq"`
	Time time.Time `json:"time"`
	// Actor is the user name, or "system" for the server's own work.
	Actor string `json:"actor"`
	// Action says what was done ("party.put", "alert.decide").
	Action string `json:"action"`
	// Object names what it was done to ("party:C-1", "alert:ab12").
	Object string `json:"object"`
	// Payload is the details as JSON.
	Payload json.RawMessage `json:"payload,omitempty"`
	// Prev is the hash of the record before ("" for the first); Hash is
	// ComputeHash of this one.
	Prev string `json:"prev"`
	Hash string `json:"hash"`
}

// ComputeHash returns the hex SHA-256 of the record's canonical JSON: seq,
// time (UTC, RFC 3339 with nanoseconds), actor, action, object, payload
// (compacted) and prev, in that order. Stores keep times to the
// microsecond, so AppendAudit truncates Time before hashing.
func (r *AuditRecord) ComputeHash() string {
	payload := json.RawMessage("null")
	if len(r.Payload) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, r.Payload); err == nil {
			payload = buf.Bytes()
		} else {
			payload, _ = json.Marshal(string(r.Payload))
		}
	}
	b, err := json.Marshal(struct {
		Seq     int64           `json:"seq"`
		Time    string          `json:"time"`
		Actor   string          `json:"actor"`
		Action  string          `json:"action"`
		Object  string          `json:"object"`
		Payload json.RawMessage `json:"payload"`
		Prev    string          `json:"prev"`
	}{r.Seq, r.Time.UTC().Format(time.RFC3339Nano), r.Actor, r.Action, r.Object, payload, r.Prev})
	if err != nil {
		panic("interdict: audit record not encodable: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AuditFilter selects audit records; zero fields select all.
type AuditFilter struct {
	// FromSeq selects records with Seq at or above it.
	FromSeq int64
	// From and To select records with From <= Time < To.
	From time.Time
	To   time.Time
	// Object selects the records of one object.
	Object string
}

// ActorSystem is the actor of work the server does on its own (re-screening
// after a list change).
const ActorSystem = "system"

// ReviewStore keeps the book, alerts, decisions, the good-guy list, the
// checkpoints of re-screening runs and the audit trail.
type ReviewStore interface {
	// PutParty creates or replaces a party of the book (a removed party
	// with the same ID comes back). It sets p.Hash to p.DataHash(), bumps
	// p.Version when the hash changed (1 for a new party), sets the
	// timestamps, and reports whether the stored data changed. Returns
	// EINVALID when p has no ID or no name.
	PutParty(ctx context.Context, p *Party) (changed bool, err error)

	// PutParties puts several parties in one transaction, as PutParty
	// does each, in order, and reports for each whether it changed.
	// Returns EINVALID, storing none, when any has no ID or no name.
	PutParties(ctx context.Context, ps []*Party) (changed []bool, err error)

	// FindParty returns a party, removed or not. Returns ENOTFOUND if the
	// book never had it.
	FindParty(ctx context.Context, id string) (*Party, error)

	// FindParties returns the parties f selects ordered by ID, and the
	// number f selects without Offset and Limit.
	FindParties(ctx context.Context, f PartyFilter) ([]*Party, int, error)

	// DeleteParty marks a party removed; its alerts and history stay.
	// Returns ENOTFOUND if it does not exist or was removed already.
	DeleteParty(ctx context.Context, id string) error

	// CreateAlert stores a new alert. It sets a.ID when empty, a.Version
	// to 1 and the timestamps. Returns EINVALID without a party, an entity
	// or a valid state, and ECONFLICT when the ID is taken or the party
	// and entity have an alert that is not closed. With a.Audit set, the
	// alert and its audit record are stored together or not at all.
	CreateAlert(ctx context.Context, a *Alert) error

	// FindAlert returns an alert. Returns ENOTFOUND if it does not exist.
	FindAlert(ctx context.Context, id string) (*Alert, error)

	// FindAlerts returns the alerts f selects, newest first, and the
	// number f selects without Offset and Limit.
	FindAlerts(ctx context.Context, f AlertFilter) ([]*Alert, int, error)

	// CountAlerts returns the number of alerts in each state.
	CountAlerts(ctx context.Context) (map[AlertState]int, error)

	// UpdateAlert applies u in one transaction if u.Alert.Version is the
	// stored version, and returns the alert as stored, its version bumped.
	// Of two updates of one version exactly one succeeds; the other gets
	// ECONFLICT. Returns ENOTFOUND if the alert does not exist and
	// EINVALID for an unknown state.
	UpdateAlert(ctx context.Context, u AlertUpdate) (*Alert, error)

	// FindDecisions returns an alert's decisions, oldest first.
	FindDecisions(ctx context.Context, alertID string) ([]*Decision, error)

	// FindDecision returns a decision. Returns ENOTFOUND if it does not
	// exist.
	FindDecision(ctx context.Context, id string) (*Decision, error)

	// FindGoodGuy returns the good-guy entry of a party and an entity.
	// Returns ENOTFOUND if there is none.
	FindGoodGuy(ctx context.Context, partyID, entityID string) (*GoodGuy, error)

	// FindGoodGuys returns a party's good-guy entries ("" for all).
	FindGoodGuys(ctx context.Context, partyID string) ([]*GoodGuy, error)

	// SetCheckpoint stores the state of a resumable run under name,
	// replacing any before; FindCheckpoint returns it (ENOTFOUND if none)
	// and DeleteCheckpoint removes it (no error if none).
	SetCheckpoint(ctx context.Context, name string, data []byte) error
	FindCheckpoint(ctx context.Context, name string) ([]byte, error)
	DeleteCheckpoint(ctx context.Context, name string) error

	// AppendAudit appends r to the audit trail. Appends are serialized so
	// that the trail is one chain: it sets r.Seq to the head's plus one,
	// r.Time (when zero, to now; always truncated to the microsecond),
	// r.Prev to the head's hash and r.Hash to r.ComputeHash(). Returns
	// EINVALID without an actor or an action, or with a payload that is
	// not JSON.
	AppendAudit(ctx context.Context, r *AuditRecord) error

	// FindAuditRecords calls fn for each record f selects, in Seq order,
	// as stored (a tampered record is returned as it is). It stops at the
	// first error fn returns and returns it.
	FindAuditRecords(ctx context.Context, f AuditFilter, fn func(*AuditRecord) error) error

	// AuditHead returns the last record's Seq and Hash (0 and "" for an
	// empty trail).
	AuditHead(ctx context.Context) (seq int64, hash string, err error)
}

// AuditBreak is where an audit trail fails verification: the first record
// that was edited, deleted, inserted or moved, or a missing tail.
type AuditBreak struct {
	// Seq is the first bad record (for a missing tail, the last record
	// present).
	Seq    int64
	Reason string
}

func (b *AuditBreak) Error() string {
	return fmt.Sprintf("audit record %d: %s", b.Seq, b.Reason)
}

// AuditChain verifies an audit trail fed to Check record by record in Seq
// order, then to Finish. The zero value is ready to use.
type AuditChain struct {
	// Records counts the records checked; Head is the hash of the last.
	Records int64
	Head    string
	seen    map[string]int64
}

// Check verifies that r follows the records checked before: its Seq is the
// next, its Prev the hash of the one before and its Hash its own. It
// returns an *AuditBreak naming r otherwise.
func (c *AuditChain) Check(r *AuditRecord) error {
	want := c.Records + 1
	switch {
	case r.Seq > want:
		return &AuditBreak{Seq: want, Reason: fmt.Sprintf("missing (deleted): the trail goes on at record %d", r.Seq)}
	case r.Seq < want:
		return &AuditBreak{Seq: r.Seq, Reason: fmt.Sprintf("out of order or duplicated after record %d", c.Records)}
	case r.Prev != c.Head:
		return &AuditBreak{Seq: r.Seq, Reason: fmt.Sprintf("does not follow record %d (its previous hash is %.12s…, record %d's is %.12s…): a record was inserted, deleted or moved", c.Records, r.Prev, c.Records, c.Head)}
	case r.ComputeHash() != r.Hash:
		return &AuditBreak{Seq: r.Seq, Reason: "its content does not match its hash: it was edited or moved"}
	}
	if c.seen == nil {
		c.seen = map[string]int64{}
	}
	c.seen[r.Hash] = r.Seq
	c.Records, c.Head = r.Seq, r.Hash
	return nil
}

// Finish verifies the end of the trail against head, a head hash kept
// elsewhere ("" to skip): some record, the last or one before it (records
// appended since), must have that hash; otherwise the tail was cut.
func (c *AuditChain) Finish(head string) error {
	if head == "" || head == c.Head {
		return nil
	}
	if _, ok := c.seen[head]; ok {
		return nil // records were appended since the head was taken
	}
	return &AuditBreak{Seq: c.Records, Reason: fmt.Sprintf("the given head %.12s… is not in the trail: records after %d were deleted (truncated tail)", head, c.Records)}
}
