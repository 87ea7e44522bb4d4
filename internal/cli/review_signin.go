package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/screen"
	"golang.org/x/term"
)

// signIn authenticates the user a review command acts as against the user
// store, as the server does: the API key in $INTERDICT_API_KEY, or the
// user --as names with their password, asked for on the terminal (or read
// from the first line of stdin with --password-stdin). A wrong password
// counts towards the user's lockout and is recorded on the audit trail.
// It returns nil when neither a key nor --as is given.
func (a *App) signIn(ctx context.Context, rf reviewFlags) (*interdict.User, error) {
	key := strings.TrimSpace(a.Getenv("INTERDICT_API_KEY"))
	as := strings.TrimSpace(rf.As)
	if key == "" && as == "" {
		return nil, nil
	}
	us, rs, err := a.userStores(ctx, rf)
	if err != nil {
		return nil, err
	}
	auth := &interdicthttp.UserAuth{Users: us, Now: a.Now}
	if key != "" {
		u, err := auth.CheckAPIKey(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("$INTERDICT_API_KEY: %w", err)
		}
		if as != "" && as != u.Name {
			return nil, usageError("--as %s, but $INTERDICT_API_KEY is a key of %s", as, u.Name)
		}
		return u, nil
	}
	pw, err := a.readSignInPassword(as, rf.PasswordStdin)
	if err != nil {
		return nil, err
	}
	u, out, err := auth.CheckPassword(ctx, as, pw, "")
	if aerr := auditCLISignIn(ctx, rs, out); aerr != nil {
		return nil, aerr
	}
	if err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", as, err)
	}
	return u, nil
}

// auditCLISignIn records a refused sign-in of the command line (the
// successful ones are the actors of the records that follow).
func auditCLISignIn(ctx context.Context, rs interdict.ReviewStore, out interdicthttp.SignInOutcome) error {
	if out.OK {
		return nil
	}
	object := "signin"
	if out.User != "" {
		object = "user:" + out.User
	}
	rec := func(action string, payload map[string]any) error {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		if err := rs.AppendAudit(ctx, &interdict.AuditRecord{Actor: "anonymous", Action: action, Object: object, Payload: b}); err != nil {
			return fmt.Errorf("record %s in the audit trail: %w", action, err)
		}
		return nil
	}
	if err := rec("user.signin_failed", map[string]any{"via": "cli", "reason": out.Reason}); err != nil {
		return err
	}
	if !out.LockedUntil.IsZero() {
		return rec("user.locked", map[string]any{"via": "cli", "until": out.LockedUntil, "failures": interdicthttp.MaxFailedSignIns})
	}
	return nil
}

// readSignInPassword reads the password of user: the first line of stdin
// with fromStdin, else once from the terminal without echo.
func (a *App) readSignInPassword(user string, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(a.Stdin, interdicthttp.MaxPasswordLen+2)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := a.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usageError("--as %s: no terminal to ask for the password; give --password-stdin, or set $INTERDICT_API_KEY", user)
	}
	fmt.Fprintf(a.Stderr, "Password of %s: ", user)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return string(b), nil
}

// reviewer returns the signed-in user who decides or approves an alert:
// four-eyes needs two proven identities, so a decision or an approval
// without a key or a password is refused, as is a user whose role may not
// decide.
func (a *App) reviewer(ctx context.Context, rf reviewFlags, what string) (*interdict.User, error) {
	u, err := a.signIn(ctx, rf)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, interdict.Errorf(interdict.EUNAUTHORIZED, "%s needs a signed-in user of the user store: set $INTERDICT_API_KEY to your API key, or give --as NAME and your password (see 'interdict users').", what)
	}
	switch u.Role {
	case interdict.RoleAnalyst, interdict.RoleApprover, interdict.RoleAdmin:
		return u, nil
	}
	return nil, interdict.Errorf(interdict.EFORBIDDEN, "User %s (%s) may not decide alerts.", u.Name, u.Role)
}

// recordSettings puts the policy p and the configuration in effect on the
// audit trail of rs when they differ from the last recorded, as actor ("":
// the command's user, see actor), naming the command and the config file.
func (a *App) recordSettings(ctx context.Context, rs interdict.ReviewStore, actor string, p screen.Policy, command string) error {
	c, err := a.loadConfig()
	if err != nil {
		return err
	}
	if actor == "" {
		if actor, err = a.actor(ctx, reviewFlags{}); err != nil {
			return err
		}
	}
	from := command + "; config " + a.configFile(c)
	if _, err := review.RecordSettings(ctx, rs, actor, from, review.Settings{Policy: p, Sources: c.Sources, MaxAgeDays: c.MaxAgeDays}); err != nil {
		return fmt.Errorf("record the policy and configuration in the audit trail: %w", err)
	}
	return nil
}

// configFile names the config file loadConfig reads.
func (a *App) configFile(c *Config) string {
	if a.configPath != "" {
		return a.configPath
	}
	if p := a.Getenv("INTERDICT_CONFIG"); p != "" {
		return p
	}
	return filepath.Join(c.Home, "config.json")
}

// recordPolicy records the policy and configuration a review command
// screens under (see recordSettings).
func (a *App) recordPolicy(ctx context.Context, svc *review.Service, actor, command string) error {
	p, err := a.policy(policyFlags{})
	if err != nil {
		return err
	}
	return a.recordSettings(ctx, svc.Store(), actor, p, command)
}
