package cli

import (
	"context"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/review"
)

// reviewWorkflow drives the review service for the HTTP review routes.
type reviewWorkflow struct {
	svc *review.Service
}

var _ interdicthttp.Workflow = reviewWorkflow{}

func (w reviewWorkflow) PutParty(ctx context.Context, actor string, p *interdict.Party) (bool, []*interdict.Alert, error) {
	res, err := w.svc.PutParty(ctx, actor, p)
	if err != nil {
		return false, nil, err
	}
	var alerts []*interdict.Alert
	if res.Screening != nil {
		alerts = res.Screening.Alerts
	}
	return res.Changed, alerts, nil
}

func (w reviewWorkflow) DeleteParty(ctx context.Context, actor, id string) error {
	return w.svc.DeleteParty(ctx, actor, id)
}

func (w reviewWorkflow) Decide(ctx context.Context, actor, alertID string, d interdicthttp.DecisionRequest) (*interdict.Alert, *interdict.Decision, error) {
	return w.svc.Decide(ctx, actor, alertID, review.DecideInput{State: d.State, Suppress: d.Suppress, Comment: d.Comment, Version: d.Version})
}

func (w reviewWorkflow) Approve(ctx context.Context, actor, alertID string, approve bool, comment string) (*interdict.Alert, *interdict.Decision, error) {
	return w.svc.Approve(ctx, actor, alertID, approve, comment)
}

func (w reviewWorkflow) Comment(ctx context.Context, actor, alertID, text string) (*interdict.Alert, error) {
	return w.svc.Comment(ctx, actor, alertID, text)
}

func (w reviewWorkflow) Assign(ctx context.Context, actor, alertID, assignee string) (*interdict.Alert, error) {
	return w.svc.Assign(ctx, actor, alertID, assignee)
}

// userRoles answers the review service's role checks from the user store:
// an enabled admin holds every role of the review (approver included), an
// enabled user their own.
type userRoles struct {
	users interdict.UserStore
}

var _ review.Roles = userRoles{}

// HasRole implements review.Roles.
func (r userRoles) HasRole(ctx context.Context, user, role string) (bool, error) {
	u, err := r.users.FindUserByName(ctx, user)
	if interdict.ErrorCode(err) == interdict.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if u.Disabled {
		return false, nil
	}
	return string(u.Role) == role || u.Role == interdict.RoleAdmin && role != string(interdict.RoleAPIClient), nil
}
