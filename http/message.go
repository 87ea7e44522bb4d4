package http

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/message"
)

// MessageScreener screens one parsed payment or trade message field by
// field: the contract behind POST /v1/messages/screen.
// *message.Screener satisfies it; build it with PartyScreener as its party
// screener so that messages are screened against the lists the server
// holds. It must be safe for concurrent use.
type MessageScreener interface {
	Screen(ctx context.Context, m *message.Message) (*message.Result, error)
}

// MessageAlerter records the list hits of a held message as alerts for
// review, as actor (Server.MessageAlerts). It must be idempotent: the same
// message screened again raises no second alert.
type MessageAlerter func(ctx context.Context, actor string, r *message.Result) error

// maxMessageBody bounds the body of POST /v1/messages/screen: one message
// or a file of messages.
const maxMessageBody = 8 << 20

// MessagesResponse is the answer to POST /v1/messages/screen: one result
// per message of the body, in order, and the decision for the whole body
// (hold when any message is held).
type MessagesResponse struct {
	Decision message.Decision  `json:"decision"`
	Results  []*message.Result `json:"results"`
}

// handleMessagesScreen reads the raw body (ISO 20022 XML, SWIFT MT,
// Fedwire tags or DCSA JSON; the format is detected), screens every
// message in it, records each held one's alerts (MessageAlerts) and
// answers with their results.
func (s *Server) handleMessagesScreen(w http.ResponseWriter, r *http.Request) {
	if s.Messages == nil {
		s.writeError(w, r, newProblem(http.StatusServiceUnavailable, "Message screening is not configured on this server."))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxMessageBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			s.writeError(w, r, problemf(http.StatusRequestEntityTooLarge, "The message body is larger than %d bytes.", maxMessageBody))
			return
		}
		s.writeError(w, r, problemf(http.StatusBadRequest, "The message body could not be read."))
		return
	}
	msgs, err := message.Parse("body", body)
	if err != nil {
		p := newProblem(http.StatusUnprocessableEntity, "Unreadable message: "+err.Error()+".")
		var pe *message.ParseError
		if errors.As(err, &pe) && pe.Path != "" {
			p.Errors = []FieldError{{Field: pe.Path, Message: pe.Err.Error()}}
		}
		s.writeError(w, r, p)
		return
	}
	snap := s.Service.Current()
	if snap == nil {
		w.Header().Set("Retry-After", "5")
		s.writeError(w, r, interdict.Errorf(interdict.EUNAVAILABLE, "The lists are still being loaded; try again in a few seconds."))
		return
	}
	// Every message of the body is screened on the index the request
	// started with (PartyScreener reads it from the context).
	ctx := context.WithValue(r.Context(), indexKey, snap)
	resp := MessagesResponse{Decision: message.Release, Results: make([]*message.Result, 0, len(msgs))}
	for _, m := range msgs {
		res, err := s.Messages.Screen(ctx, m)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		if res.Decision == message.Hold {
			resp.Decision = message.Hold
			if s.MessageAlerts != nil && res.MessageID != "" {
				if err := s.MessageAlerts(ctx, actor(r), res); err != nil {
					s.writeError(w, r, fmt.Errorf("record the alerts of message %s: %w", res.MessageID, err))
					return
				}
			}
		}
		resp.Results = append(resp.Results, res)
	}
	writeJSON(w, http.StatusOK, resp)
}
