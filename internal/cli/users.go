package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/sqlite"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func init() { extraCommands = append(extraCommands, (*App).newUsersCmd) }

func (a *App) newUsersCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage the users of the web UI and the API (roles, passwords, API keys)",
		Long: `Users sign in to the web UI with a password and call the API with an API key.
Each has a role: analyst (screen, view the book and alerts, propose decisions),
approver (also approve another user's decision and read the audit trail),
admin (also manage users) or api-client (screening and the book API).

The first user must be an admin. Once a user exists, a loopback server asks
everyone to sign in; the book, alert, decision, audit and user routes always do.
Passwords and keys are stored only as their argon2id hashes; every change is
recorded in the audit trail.`,
	}
	cmd.AddCommand(a.newUsersAddCmd(), a.newUsersListCmd(), a.newUsersSetCmd(), a.newUsersKeyCmd())
	return cmd
}

// usersOptions are the options of 'users add' and 'users set'.
type usersOptions struct {
	rf            reviewFlags
	role          string
	passwordStdin bool
	apiKey        bool
	label         string
	disable       bool
	enable        bool
}

func (a *App) newUsersAddCmd() *cobra.Command {
	var o usersOptions
	cmd := &cobra.Command{
		Use:   "add NAME --role ROLE",
		Short: "Add a user; the password is asked for, or read from stdin with --password-stdin",
		Long: `Add a user with a role (analyst, approver, admin or api-client). The first user
must be an admin.

The password (at least 12 characters) is asked for on the terminal, or read
from the first line of stdin with --password-stdin. With --api-key the user
also gets an API key, printed once on stdout and never shown again; an
api-client needs no password then.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.usersAdd(cmd.Context(), args[0], o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.role, "role", "", "the user's role: analyst, approver, admin or api-client (required)")
	f.BoolVar(&o.passwordStdin, "password-stdin", false, "read the password from the first line of stdin")
	f.BoolVar(&o.apiKey, "api-key", false, "also create an API key and print it (once)")
	f.StringVar(&o.label, "label", "", "what the API key is for")
	o.rf.register(f, false)
	return cmd
}

func (a *App) newUsersSetCmd() *cobra.Command {
	var o usersOptions
	cmd := &cobra.Command{
		Use:   "set NAME [--role ROLE] [--password-stdin | --password] [--disable | --enable]",
		Short: "Change a user's role or password, or disable or enable the user",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, _ := cmd.Flags().GetBool("password")
			return a.usersSet(cmd.Context(), args[0], o, pw)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.role, "role", "", "new role")
	f.BoolVar(&o.passwordStdin, "password-stdin", false, "read a new password from the first line of stdin")
	f.Bool("password", false, "ask for a new password on the terminal")
	f.BoolVar(&o.disable, "disable", false, "disable the user (ends their sessions; keys are refused)")
	f.BoolVar(&o.enable, "enable", false, "enable the user again")
	o.rf.register(f, false)
	return cmd
}

func (a *App) newUsersKeyCmd() *cobra.Command {
	var label string
	var rf reviewFlags
	cmd := &cobra.Command{
		Use:   "key NAME",
		Short: "Create an API key for a user and print it (once)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			us, rs, err := a.userStores(cmd.Context(), rf)
			if err != nil {
				return err
			}
			return a.createKey(cmd.Context(), us, rs, args[0], label)
		},
	}
	cmd.Flags().StringVar(&label, "label", "", "what the key is for")
	rf.register(cmd.Flags(), false)
	return cmd
}

func (a *App) newUsersListCmd() *cobra.Command {
	var asJSON bool
	var rf reviewFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the users with their roles and API keys",
		Args:  exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.usersList(cmd.Context(), rf, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	rf.register(cmd.Flags(), false)
	return cmd
}

// userStores opens the user store and the review store (for the audit
// trail): on the PostgreSQL database of --database (or
// $INTERDICT_DATABASE) when given, as the server does, else on the App's
// embedded database. It imports no list.
func (a *App) userStores(ctx context.Context, rf reviewFlags) (interdict.UserStore, interdict.ReviewStore, error) {
	st, err := a.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	dsn := rf.Database
	if dsn == "" {
		dsn = a.Getenv("INTERDICT_DATABASE")
	}
	switch {
	case dsn == "":
		return sqlite.NewUserStore(st.db), sqlite.NewReviewStore(st.db), nil
	case strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://"):
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, nil, err
		}
		st.closers = append(st.closers, db)
		return postgres.NewUserStore(db), postgres.NewReviewStore(db), nil
	}
	return nil, nil, usageError("--database must be a postgres:// URL")
}

// cliActor is the audit trail's actor for a change made on the command
// line: the operating-system user, who has the database in hand.
func (a *App) cliActor() string {
	u := a.Getenv("USER")
	if u == "" {
		u = a.Getenv("USERNAME")
	}
	if u == "" || interdict.CheckUserName(u) != nil {
		return "cli"
	}
	return "cli:" + u
}

func (a *App) auditUser(ctx context.Context, rs interdict.ReviewStore, action, name string, payload map[string]any) error {
	b, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	if err := rs.AppendAudit(ctx, &interdict.AuditRecord{Actor: a.cliActor(), Action: action, Object: "user:" + name, Payload: b}); err != nil {
		return fmt.Errorf("record %s of %s in the audit trail: %w", action, name, err)
	}
	return nil
}

// readPassword reads a password: the first line of stdin with fromStdin,
// else twice from the terminal without echo.
func (a *App) readPassword(fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(a.Stdin, interdicthttp.MaxPasswordLen+2)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		pw := strings.TrimRight(line, "\r\n")
		return pw, interdicthttp.CheckPasswordStrength(pw)
	}
	f, ok := a.Stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", usageError("no terminal to ask for the password: give --password-stdin")
	}
	fmt.Fprint(a.Stderr, "Password: ")
	b1, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if err := interdicthttp.CheckPasswordStrength(string(b1)); err != nil {
		return "", err
	}
	fmt.Fprint(a.Stderr, "Again: ")
	b2, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(b1) != string(b2) {
		return "", usageError("the two passwords differ")
	}
	return string(b1), nil
}

func (a *App) usersAdd(ctx context.Context, name string, o usersOptions) error {
	role := interdict.Role(o.role)
	if !role.Valid() {
		return usageError("--role %q: give analyst, approver, admin or api-client", o.role)
	}
	if err := interdict.CheckUserName(name); err != nil {
		return err
	}
	us, rs, err := a.userStores(ctx, o.rf)
	if err != nil {
		return err
	}
	u := &interdict.User{Name: name, Role: role}
	if o.passwordStdin || !(o.apiKey && role == interdict.RoleAPIClient) {
		pw, err := a.readPassword(o.passwordStdin)
		if err != nil {
			return err
		}
		if u.PasswordHash, err = interdicthttp.HashSecret(pw); err != nil {
			return err
		}
	}
	if err := us.CreateUser(ctx, u); err != nil {
		return err
	}
	if err := a.auditUser(ctx, rs, "user.create", name, map[string]any{"role": role, "password": u.PasswordHash != ""}); err != nil {
		return err
	}
	fmt.Fprintf(a.Stderr, "interdict: added user %s (%s)\n", name, role)
	if o.apiKey {
		return a.createKey(ctx, us, rs, name, o.label)
	}
	return nil
}

// createKey creates an API key and prints it on stdout, once.
func (a *App) createKey(ctx context.Context, us interdict.UserStore, rs interdict.ReviewStore, name, label string) error {
	key, k, err := interdicthttp.NewAPIKey(name, label)
	if err != nil {
		return err
	}
	if err := us.CreateAPIKey(ctx, k); err != nil {
		return err
	}
	if err := a.auditUser(ctx, rs, "user.api_key_create", name, map[string]any{"key_id": k.ID, "label": label}); err != nil {
		return err
	}
	fmt.Fprintf(a.Stderr, "interdict: API key %s for %s; it is shown once, keep it now:\n", k.ID, name)
	fmt.Fprintln(a.Stdout, key)
	return nil
}

func (a *App) usersSet(ctx context.Context, name string, o usersOptions, askPassword bool) error {
	if o.disable && o.enable {
		return usageError("--disable and --enable exclude each other")
	}
	var upd interdict.UserUpdate
	payload := map[string]any{}
	if o.role != "" {
		role := interdict.Role(o.role)
		if !role.Valid() {
			return usageError("--role %q: give analyst, approver, admin or api-client", o.role)
		}
		upd.Role = &role
		payload["role"] = role
	}
	if o.disable || o.enable {
		d := o.disable
		upd.Disabled = &d
		payload["disabled"] = d
	}
	us, rs, err := a.userStores(ctx, o.rf)
	if err != nil {
		return err
	}
	if o.passwordStdin || askPassword {
		pw, err := a.readPassword(o.passwordStdin)
		if err != nil {
			return err
		}
		h, err := interdicthttp.HashSecret(pw)
		if err != nil {
			return err
		}
		upd.PasswordHash = &h
		payload["password"] = "changed"
	}
	if len(payload) == 0 {
		return usageError("nothing to change: give --role, --password, --password-stdin, --disable or --enable")
	}
	if _, err := us.UpdateUser(ctx, name, upd); err != nil {
		return err
	}
	return a.auditUser(ctx, rs, "user.update", name, payload)
}

type userRow struct {
	*interdict.User
	Keys []*interdict.APIKey `json:"api_keys"`
}

func (a *App) usersList(ctx context.Context, rf reviewFlags, asJSON bool) error {
	us, _, err := a.userStores(ctx, rf)
	if err != nil {
		return err
	}
	list, _, err := us.FindUsers(ctx, interdict.UserFilter{})
	if err != nil {
		return err
	}
	rows := make([]userRow, 0, len(list))
	for _, u := range list {
		ks, err := us.FindAPIKeys(ctx, u.Name)
		if err != nil {
			return err
		}
		rows = append(rows, userRow{User: u, Keys: ks})
	}
	if asJSON {
		return writeJSON(a.Stdout, map[string]any{"users": rows})
	}
	if len(rows) == 0 {
		fmt.Fprintln(a.Stdout, "No users. Add the first admin with 'interdict users add NAME --role admin'.")
		return nil
	}
	tw := tabwriter.NewWriter(a.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tSTATUS\tPASSWORD\tAPI KEYS\tCREATED")
	for _, r := range rows {
		status, pw := "enabled", "no"
		if r.Disabled {
			status = "disabled"
		}
		if r.PasswordHash != "" {
			pw = "yes"
		}
		ids := make([]string, len(r.Keys))
		for i, k := range r.Keys {
			ids[i] = k.ID
		}
		keys := strings.Join(ids, ",")
		if keys == "" {
			keys = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Role, status, pw, keys, r.CreatedAt.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}
