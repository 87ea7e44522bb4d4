package interdict

import (
	"context"
	"time"
)

// Message decisions as stored: a held message waits for an analyst, a
// released one goes on.
const (
	MessageRelease = "release"
	MessageHold    = "hold"
)

// MessageResult is the stored outcome of screening one payment or trade
// message read from a stream. It is stored under the message's ID once:
// a message delivered again (a consumer died before acknowledging it)
// finds its result stored and the store counts the delivery instead of
// storing a second result.
type MessageResult struct {
	// ID identifies the message (its MsgId, UETR, :20: or IMAD, or the
	// stream's message ID when the message has none). Required, unique.
	ID string `json:"id"`
	// Format is the message type ("pacs.008.001.08", "MT103").
	Format string `json:"format"`
	// Decision is MessageRelease or MessageHold.
	Decision string `json:"decision"`
	// Alerts is the number of hits that hold the message.
	Alerts int `json:"alerts"`
	// Source says where the message came from ("nats:STREAM/SEQ").
	Source string `json:"source,omitempty"`
	// Result is the whole screening result as JSON.
	Result []byte `json:"result"`
	// Deliveries counts how often the message was stored: 1 when it was
	// delivered once, more when it was delivered again after a failure.
	// The store sets it.
	Deliveries int `json:"deliveries"`
	// CreatedAt is when the result was first stored; the store sets it.
	CreatedAt time.Time `json:"created_at"`
}

// MessageResultFilter selects stored message results; zero fields select
// all.
type MessageResultFilter struct {
	// Decision selects held or released messages.
	Decision string
	// Limit is the most results returned; 0 means no limit.
	Limit int
	// Before, when set, selects the results stored before the result of
	// this message ID (the last of the previous page): a cursor that
	// stays put while results are added. FindMessageResults returns
	// EINVALID when no result of that ID is stored; CountMessageResults
	// ignores it.
	Before string
}

// MessageResultStore keeps the results of screened messages, one per
// message ID.
type MessageResultStore interface {
	// PutMessageResults stores results in one transaction, each unless a
	// result with its ID is stored already; then the stored result is
	// kept, its Deliveries counted up, and rs[i] set to it (so that a
	// message delivered again gets the result it got the first time).
	// It sets Deliveries and CreatedAt, and returns for each result
	// whether it was stored now. Returns EINVALID for a result without ID
	// or with an unknown decision, and stores none then.
	PutMessageResults(ctx context.Context, rs []*MessageResult) (created []bool, err error)

	// FindMessageResult returns the result of a message. Returns
	// ENOTFOUND if none is stored.
	FindMessageResult(ctx context.Context, id string) (*MessageResult, error)

	// FindMessageResults returns the results that f selects, the most
	// recently stored first.
	FindMessageResults(ctx context.Context, f MessageResultFilter) ([]*MessageResult, error)

	// CountMessageResults returns how many results f selects (Limit is
	// ignored).
	CountMessageResults(ctx context.Context, f MessageResultFilter) (int, error)
}

// validMessageResult checks a result before it is stored.
func validMessageResult(r *MessageResult) error {
	switch {
	case r.ID == "":
		return Errorf(EINVALID, "A message result needs the message ID.")
	case len(r.ID) > 512:
		return Errorf(EINVALID, "Message ID %.40q... is longer than 512 bytes.", r.ID)
	case r.Decision != MessageRelease && r.Decision != MessageHold:
		return Errorf(EINVALID, "Message %s: decision %q is neither %q nor %q.", r.ID, r.Decision, MessageRelease, MessageHold)
	}
	return nil
}

// ValidateMessageResults checks results before a store stores them: each
// needs an ID (at most 512 bytes) and a known decision.
func ValidateMessageResults(rs []*MessageResult) error {
	for _, r := range rs {
		if r == nil {
			return Errorf(EINVALID, "A message result is missing.")
		}
		if err := validMessageResult(r); err != nil {
			return err
		}
	}
	return nil
}
