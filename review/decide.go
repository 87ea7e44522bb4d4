package review

import (
	"context"
	"fmt"

	"github.com/interdict/interdict"
)

// DecideInput is a decision on an alert.
type DecideInput struct {
	// State is the new state: in_review, needs_info, false_positive or
	// true_match.
	State interdict.AlertState `json:"state"`
	// Suppress, with false_positive, puts the party and entity on the
	// good-guy list once approved.
	Suppress bool   `json:"suppress,omitempty"`
	Comment  string `json:"comment,omitempty"`
	// Version, when not 0, is the alert version the decision was made on:
	// if the alert changed since, the decision is refused (ECONFLICT).
	Version int `json:"version,omitempty"`
}

// NeedsApproval reports whether a decision takes a second person: closing
// as a true match, or as a false positive that suppresses future alerts.
func (in DecideInput) NeedsApproval() bool {
	return in.State == interdict.AlertTrueMatch || (in.State == interdict.AlertFalsePositive && in.Suppress)
}

// Decide records actor's decision on an alert. A decision that needs
// approval (see NeedsApproval) is proposed: the alert goes in review until
// another user with the approver role approves it. Any other decision is
// applied at once. Of two decisions on the same alert version exactly one
// succeeds; the other gets ECONFLICT. Returns EINVALID for a state that
// cannot be decided, ECONFLICT for a closed alert or one with a proposal
// awaiting approval.
func (s *Service) Decide(ctx context.Context, actor, alertID string, in DecideInput) (*interdict.Alert, *interdict.Decision, error) {
	if actor == "" {
		return nil, nil, interdict.Errorf(interdict.EINVALID, "A decision needs an actor.")
	}
	switch in.State {
	case interdict.AlertInReview, interdict.AlertNeedsInfo, interdict.AlertFalsePositive, interdict.AlertTrueMatch:
	default:
		return nil, nil, interdict.Errorf(interdict.EINVALID, "An alert cannot be decided as %q: use in_review, needs_info, false_positive or true_match.", in.State)
	}
	if in.Suppress && in.State != interdict.AlertFalsePositive {
		return nil, nil, interdict.Errorf(interdict.EINVALID, "Only a false positive suppresses future alerts.")
	}
	a, ds, err := s.FindAlert(ctx, alertID)
	if err != nil {
		return nil, nil, err
	}
	if in.Version != 0 && in.Version != a.Version {
		return nil, nil, interdict.Errorf(interdict.ECONFLICT, "Alert %s changed (version %d, not %d): reload it and decide again.", a.ID, a.Version, in.Version)
	}
	if a.State.Closed() {
		return nil, nil, interdict.Errorf(interdict.ECONFLICT, "Alert %s is closed as %s.", a.ID, a.State)
	}
	if p := pendingProposal(ds); p != nil {
		return nil, nil, interdict.Errorf(interdict.ECONFLICT, "Alert %s has a proposal by %s (%s) awaiting approval.", a.ID, p.ProposedBy, p.State)
	}
	d := &interdict.Decision{AlertID: a.ID, State: in.State, Suppress: in.Suppress, Comment: trim(in.Comment), ProposedBy: actor, ProposedAt: s.now()}
	upd := *a
	if upd.Assignee == "" {
		upd.Assignee = actor
	}
	if d.Comment != "" {
		upd.Comments = append(upd.Comments, interdict.Comment{Author: actor, Text: d.Comment, At: d.ProposedAt})
	}
	action := "alert.decide"
	if in.NeedsApproval() {
		d.Status = interdict.DecisionProposed
		upd.State = interdict.AlertInReview
		action = "alert.propose"
	} else {
		d.Status = interdict.DecisionApplied
		upd.State = in.State
	}
	out, err := s.cfg.Store.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &upd, Decision: d})
	if err != nil {
		return nil, nil, err
	}
	if err := s.audit(ctx, actor, action, "alert:"+a.ID, decisionRecord(d, out)); err != nil {
		return nil, nil, err
	}
	return out, d, nil
}

func pendingProposal(ds []*interdict.Decision) *interdict.Decision {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Status == interdict.DecisionProposed {
			return ds[i]
		}
	}
	return nil
}

func decisionRecord(d *interdict.Decision, a *interdict.Alert) any {
	return struct {
		Decision     string               `json:"decision"`
		State        interdict.AlertState `json:"state"`
		Suppress     bool                 `json:"suppress,omitempty"`
		Status       string               `json:"status"`
		Comment      string               `json:"comment,omitempty"`
		ProposedBy   string               `json:"proposed_by"`
		ApprovedBy   string               `json:"approved_by,omitempty"`
		AlertState   interdict.AlertState `json:"alert_state"`
		AlertVersion int                  `json:"alert_version"`
		PartyHash    string               `json:"party_hash"`
		EntityHash   string               `json:"entity_hash"`
	}{d.ID, d.State, d.Suppress, string(d.Status), d.Comment, d.ProposedBy, d.ApprovedBy, a.State, a.Version, a.PartyHash, a.EntityHash}
}

// Approve approves (or, with approve false, rejects) the proposal awaiting
// approval on an alert, as actor. The approver must hold the approver role
// and must not be the proposer (EFORBIDDEN). An approved true match closes
// the alert escalated; an approved suppressing false positive closes it
// and puts the party and entity on the good-guy list with the alert's
// hashes and score. A rejected proposal leaves the alert in review.
// Returns ENOTFOUND when no proposal awaits approval, ECONFLICT when the
// alert changed meanwhile.
func (s *Service) Approve(ctx context.Context, actor, alertID string, approve bool, comment string) (*interdict.Alert, *interdict.Decision, error) {
	if actor == "" {
		return nil, nil, interdict.Errorf(interdict.EINVALID, "An approval needs an actor.")
	}
	a, ds, err := s.FindAlert(ctx, alertID)
	if err != nil {
		return nil, nil, err
	}
	p := pendingProposal(ds)
	if p == nil {
		return nil, nil, interdict.Errorf(interdict.ENOTFOUND, "Alert %s has no proposal awaiting approval.", a.ID)
	}
	if p.ProposedBy == actor {
		return nil, nil, interdict.Errorf(interdict.EFORBIDDEN, "%s proposed this decision and cannot approve it: a second person must (four-eyes).", actor)
	}
	ok, err := s.cfg.Roles.HasRole(ctx, actor, RoleApprover)
	if err != nil {
		return nil, nil, fmt.Errorf("check the roles of %s: %w", actor, err)
	}
	if !ok {
		return nil, nil, interdict.Errorf(interdict.EFORBIDDEN, "%s does not have the approver role.", actor)
	}
	d := *p
	d.ApprovedBy, d.ApprovedAt = actor, s.now()
	upd := *a
	comment = trim(comment)
	if comment != "" {
		upd.Comments = append(upd.Comments, interdict.Comment{Author: actor, Text: comment, At: d.ApprovedAt})
	}
	u := interdict.AlertUpdate{Alert: &upd, Decision: &d}
	action := "alert.reject"
	if approve {
		action = "alert.approve"
		d.Status = interdict.DecisionApproved
		upd.State = d.State
		switch {
		case d.State == interdict.AlertFalsePositive && d.Suppress:
			u.GoodGuy = &interdict.GoodGuy{PartyID: a.PartyID, EntityID: a.EntityID, PartyHash: a.PartyHash, EntityHash: a.EntityHash,
				Score: a.Score, DecisionID: d.ID, ApprovedBy: actor, CreatedAt: d.ApprovedAt}
		case d.State == interdict.AlertTrueMatch:
			u.ClearGoodGuy = true
		}
	} else {
		d.Status = interdict.DecisionRejected
		upd.State = interdict.AlertInReview
	}
	out, err := s.cfg.Store.UpdateAlert(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	if err := s.audit(ctx, actor, action, "alert:"+a.ID, decisionRecord(&d, out)); err != nil {
		return nil, nil, err
	}
	return out, &d, nil
}

// Comment adds actor's comment to an alert.
func (s *Service) Comment(ctx context.Context, actor, alertID, text string) (*interdict.Alert, error) {
	text = trim(text)
	if actor == "" || text == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "A comment needs an author and a text.")
	}
	a, err := s.cfg.Store.FindAlert(ctx, alertID)
	if err != nil {
		return nil, err
	}
	upd := *a
	upd.Comments = append(upd.Comments, interdict.Comment{Author: actor, Text: text, At: s.now()})
	out, err := s.cfg.Store.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &upd})
	if err != nil {
		return nil, err
	}
	return out, s.audit(ctx, actor, "alert.comment", "alert:"+a.ID, map[string]string{"text": text})
}

// Assign gives an alert to assignee ("" to nobody), as actor.
func (s *Service) Assign(ctx context.Context, actor, alertID, assignee string) (*interdict.Alert, error) {
	if actor == "" {
		return nil, interdict.Errorf(interdict.EINVALID, "An assignment needs an actor.")
	}
	a, err := s.cfg.Store.FindAlert(ctx, alertID)
	if err != nil {
		return nil, err
	}
	upd := *a
	upd.Assignee = trim(assignee)
	out, err := s.cfg.Store.UpdateAlert(ctx, interdict.AlertUpdate{Alert: &upd})
	if err != nil {
		return nil, err
	}
	return out, s.audit(ctx, actor, "alert.assign", "alert:"+a.ID, map[string]string{"assignee": upd.Assignee})
}
