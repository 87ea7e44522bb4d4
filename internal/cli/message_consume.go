package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/message"
	"github.com/interdict/interdict/postgres"
	"github.com/interdict/interdict/review"
	"github.com/interdict/interdict/sqlite"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"
)

// consumeOptions are the flags of `interdict messages consume`.
type consumeOptions struct {
	NATS     string
	Stream   string
	Subject  string
	Results  string
	Dead     string
	Durable  string
	Batch    int
	Workers  int
	AckWait  time.Duration
	NoAlerts bool
	Review   reviewFlags
	Policy   policyFlags
}

func (a *App) newMessagesConsumeCmd() *cobra.Command {
	var opts consumeOptions
	cmd := &cobra.Command{
		Use:   "consume --nats URL [--subject S] [--stream NAME] [--durable NAME]",
		Short: "Screen messages from a NATS JetStream subject and publish each result",
		Long: `Consume reads payment and trade messages (any format 'messages screen'
reads; one stream message may hold several) from a NATS JetStream subject
through a durable pull consumer, screens each, stores its result under the
message ID (MsgId, UETR, :20:, IMAD; else the Nats-Msg-Id header; free
text scanned with the document scanner and line by line), records
a message held by a listed party as alerts for review (party
"message:<ID>"), publishes the result as JSON to the result subject
(headers Interdict-Message-Id and Interdict-Decision) and only then
acknowledges the message.

Delivery is at least once and idempotent: a consumer that dies before
acknowledging leaves its messages to be delivered again, and a message
whose result is stored already gets that result published again, not a
second one. Run several consumers with the same --durable to share the
work. A message that cannot be read goes to the dead-letter subject with
the error, naming the field, in the Interdict-Error header, and the stream
goes on.

The stream is created (capturing the message, result and dead-letter
subjects) when it does not exist; an existing stream is used as it is.
Results are stored in the embedded database, or in PostgreSQL with
--database. It runs until interrupted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.NATS == "" {
				// The same server a replica of the cluster uses.
				opts.NATS = a.natsURL()
			}
			if opts.NATS == "" {
				return usageError("messages consume needs --nats URL (or $INTERDICT_NATS, or the config's \"nats\")")
			}
			return a.runMessagesConsume(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.NATS, "nats", "", "NATS server URL (nats://host:4222; default $INTERDICT_NATS, as serve)")
	f.StringVar(&opts.Stream, "stream", message.DefaultStream, "JetStream stream holding the messages")
	f.StringVar(&opts.Subject, "subject", message.DefaultSubject, "subject the messages are read from")
	f.StringVar(&opts.Results, "result-subject", message.DefaultResultSubject, "subject each result is published to")
	f.StringVar(&opts.Dead, "dead-letter-subject", message.DefaultDeadLetterSubject, "subject messages that cannot be read are published to")
	f.StringVar(&opts.Durable, "durable", message.DefaultDurable, "durable consumer name, shared by every consumer process")
	f.IntVar(&opts.Batch, "batch", message.DefaultBatch, "messages fetched, screened and stored together")
	f.IntVar(&opts.Workers, "workers", 0, "messages screened in parallel (default: the number of CPUs)")
	f.DurationVar(&opts.AckWait, "ack-wait", message.DefaultAckWait, "how long the server waits for an acknowledgement before delivering a message again")
	f.BoolVar(&opts.NoAlerts, "no-alerts", false, "do not record held messages as alerts")
	opts.Review.register(f, true)
	opts.Policy.register(f)
	return cmd
}

func (a *App) runMessagesConsume(ctx context.Context, opts consumeOptions) error {
	if opts.Batch <= 0 || opts.Batch > 10000 {
		return usageError("--batch must be between 1 and 10000, not %d", opts.Batch)
	}
	if opts.AckWait < time.Second {
		return usageError("--ack-wait must be at least 1s, not %v", opts.AckWait)
	}
	scr, svc, err := a.messageScreenerService(ctx, opts.Policy, true)
	if err != nil {
		return err
	}
	st, err := a.openReview(ctx, opts.Review)
	if err != nil {
		return err
	}
	results, err := a.openMessageResults(ctx, st, opts.Review)
	if err != nil {
		return err
	}
	copt := message.ConsumeOptions{Screener: scr, Store: results, Stream: opts.Stream, Subject: opts.Subject,
		ResultSubject: opts.Results, DeadLetterSubject: opts.Dead, Durable: opts.Durable, Batch: opts.Batch,
		Workers: opts.Workers, AckWait: opts.AckWait, Stats: &message.ConsumeStats{},
		Log: func(format string, args ...any) { fmt.Fprintf(a.Stderr, "interdict: "+format+"\n", args...) }}
	if !opts.NoAlerts {
		actor, err := a.actor(ctx, opts.Review)
		if err != nil {
			return err
		}
		users, _, err := a.userStores(ctx, opts.Review)
		if err != nil {
			return err
		}
		rs, err := review.NewService(review.Config{Store: st.review, Lists: st.lists, Screen: svc, Roles: userRoles{users}, Now: a.Now})
		if err != nil {
			return err
		}
		alerts := messageAlerts(rs)
		copt.OnHeld = func(ctx context.Context, r *message.Result) error { return alerts(ctx, actor, r) }
	}
	nc, err := nats.Connect(opts.NATS, nats.Name("interdict messages consume"), nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("connect to NATS at %s: %w", redactURL(opts.NATS), err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if _, err := message.EnsureStream(ctx, js, opts.Stream, opts.Subject, opts.Results, opts.Dead); err != nil {
		return err
	}
	fmt.Fprintf(a.Stderr, "interdict: consuming %s (stream %s, durable %s) from %s; results to %s, dead letters to %s\n",
		opts.Subject, opts.Stream, opts.Durable, redactURL(opts.NATS), opts.Results, opts.Dead)
	err = message.Consume(ctx, js, copt)
	s := copt.Stats
	fmt.Fprintf(a.Stderr, "interdict: %d stream messages received (%d again), %d results stored (%d held), %d already stored, %d dead letters, %d left for redelivery\n",
		s.Received.Load(), s.Redelivered.Load(), s.Stored.Load(), s.Held.Load(), s.Duplicates.Load(), s.DeadLetters.Load(), s.Retried.Load())
	return err
}

// openMessageResults returns the store of message results beside the
// review store: in the embedded database, or in PostgreSQL with
// --database (or $INTERDICT_DATABASE).
func (a *App) openMessageResults(ctx context.Context, st *stores, rf reviewFlags) (interdict.MessageResultStore, error) {
	dsn := rf.Database
	if dsn == "" {
		dsn = a.Getenv("INTERDICT_DATABASE")
	}
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return sqlite.NewMessageResultStore(st.db), nil
	}
	if st.pg != nil {
		return postgres.NewMessageResultStore(st.pg), nil
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	st.closers = append(st.closers, db)
	return postgres.NewMessageResultStore(db), nil
}

// messageAlerts records a held message's hits as alerts on
// "message:<ID>" through the review service (review.Service.RaiseMessage):
// its list hits, and the embargoed places and controlled goods that hold
// it.
func messageAlerts(rs *review.Service) func(ctx context.Context, actor string, r *message.Result) error {
	return func(ctx context.Context, actor string, r *message.Result) error {
		_, err := rs.RaiseMessage(ctx, actor, r)
		return err
	}
}

// redactURL drops the user information (a password, a token) of a URL
// for messages.
func redactURL(u string) string {
	if i := strings.Index(u, "@"); i >= 0 {
		if j := strings.Index(u, "://"); j >= 0 && j < i {
			return u[:j+3] + "***" + u[i:]
		}
	}
	return u
}
