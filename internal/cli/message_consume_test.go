package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/internal/cli"
	"github.com/interdict/interdict/message"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestMessagesConsume runs `interdict messages consume` against the real
// NATS server on a stream of its own: a clean payment is released, the
// same payment to a bank named only by the BIC of a listed bank is held
// and raises an alert on "message:<ID>", a broken message goes to the
// dead-letter subject naming its field.
func TestMessagesConsume(t *testing.T) {
	url := os.Getenv("INTERDICT_TEST_NATS_URL")
	if url == "" {
		t.Skip("INTERDICT_TEST_NATS_URL is not set; skipping the NATS tests")
	}
	pacs008 := messageSample(t, "iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml")
	listedBIC := strings.Replace(pacs008, "<pacs:BICFI>GLPBES2X</pacs:BICFI>\n\t\t\t\t\t</pacs:FinInstnId>\n\t\t\t\t</pacs:CdtrAgt>",
		"<pacs:BICFI>MELIGB2LXXX</pacs:BICFI>\n\t\t\t\t\t</pacs:FinInstnId>\n\t\t\t\t</pacs:CdtrAgt>", 1)
	listedBIC = strings.ReplaceAll(listedBIC, "P008-20260413-5017", "P008-HELD-1")
	home := seededHome(t)

	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	tag := fmt.Sprintf("CLI%d_%d", os.Getpid(), time.Now().UnixNano()%1e9)
	stream, in, out, dead := "INTERDICT_TEST_"+tag, "interdict.test."+tag+".in", "interdict.test."+tag+".result", "interdict.test."+tag+".dead"
	defer js.DeleteStream(context.Background(), stream)
	results := make(chan *nats.Msg, 10)
	deads := make(chan *nats.Msg, 10)
	for subj, ch := range map[string]chan *nats.Msg{out: results, dead: deads} {
		sub, err := nc.ChanSubscribe(subj, ch)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Unsubscribe()
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	app := &cli.App{Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
		Getenv: func(string) string { return "" }, Now: time.Now}
	exit := make(chan int, 1)
	go func() {
		exit <- app.Run(ctx, []string{"--home", home, "messages", "consume", "--nats", url, "--stream", stream, "--subject", in,
			"--result-subject", out, "--dead-letter-subject", dead, "--durable", "d-" + tag})
	}()
	// The stream exists once the command has loaded the lists.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := js.Stream(ctx, stream); err == nil {
			break
		}
		select {
		case code := <-exit:
			t.Fatalf("consume ended with exit %d: %s", code, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no stream after 60 s: %s", stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, m := range []string{pacs008, listedBIC, "{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\r\n:20:BAD\r\n:57A:NOT A BIC\r\n-}"} {
		if _, err := js.Publish(ctx, in, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	decisions := map[string]string{}
	for len(decisions) < 2 {
		select {
		case m := <-results:
			decisions[m.Header.Get(message.HeaderMessageID)] = m.Header.Get(message.HeaderDecision)
		case <-time.After(30 * time.Second):
			t.Fatalf("results after 30 s: %v; %s", decisions, stderr.String())
		}
	}
	if decisions["P008-20260413-5017"] != "release" || decisions["P008-HELD-1"] != "hold" {
		t.Errorf("decisions %v; want the clean payment released and the one to the listed bank held", decisions)
	}
	select {
	case m := <-deads:
		if e := m.Header.Get(message.HeaderError); !strings.Contains(e, "field :57A:") || !strings.Contains(e, "nats:"+stream+"/3") {
			t.Errorf("dead letter error %q, want one naming the stream message and field :57A:", e)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("no dead letter after 30 s: %s", stderr.String())
	}
	cancel()
	if code := <-exit; code != 0 {
		t.Fatalf("consume: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "2 results stored (1 held)") {
		t.Errorf("summary: %s", stderr.String())
	}
	l := listAlerts(t, home)
	found := false
	for _, a := range l.Alerts {
		if a.PartyID == "message:P008-HELD-1" {
			found = true
			if !strings.Contains(a.PartyName, "MELIGB2LXXX") || a.EntityID == "" {
				t.Errorf("alert %+v", a)
			}
		}
	}
	if !found {
		t.Errorf("no alert on message:P008-HELD-1 among %d alerts", len(l.Alerts))
	}
}
