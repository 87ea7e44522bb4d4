package cli_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	interdicthttp "github.com/interdict/interdict/http"
)

// reviewBrowser signs in as an analyst in a headless Chromium, opens the
// alert queue, opens an alert, proposes a false positive, signs out, signs
// in as an approver and approves it (skipped without Chromium). It runs on
// the server and users of TestServe_ReviewWorkflow.
func reviewBrowser(t *testing.T, ts *testServer, keys map[string]string) {
	ctx := newBrowser(t)
	st, b := ts.api(t, keys["bot"], "PUT /v1/parties/{id}", "PUT", "/v1/parties/W-1", `{"name":"Majid Kakavand","country":"IR","type":"person"}`)
	put := mustDecode[interdicthttp.PartyResponse](t, b)
	if st != 200 || len(put.Alerts) == 0 {
		t.Fatalf("PUT /v1/parties/W-1: %d %s", st, b)
	}
	alertID := put.Alerts[0].ID
	br := &browser{t: t, ctx: ctx, ts: ts, dir: artifacts(t)}

	signIn := func(name string) {
		br.do(
			chromedp.Navigate(ts.URL()+"/alerts"),
			chromedp.WaitVisible(chromedp.ID("password")), // redirected to the login page
			chromedp.SendKeys(chromedp.ID("name"), name),
			chromedp.SendKeys(chromedp.ID("password"), webPassword),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitVisible(chromedp.ID("queue")),
		)
	}

	// The analyst signs in and lands on the queue, with the counts.
	signIn("ana")
	br.screenshot("review-queue.png")
	if user := br.text(`header .user`); !strings.Contains(user, "ana (analyst)") {
		t.Errorf("header says %q, want ana (analyst)", user)
	}
	if counts := br.text(`#counts`); !strings.Contains(counts, "open") || !strings.Contains(counts, "false_positive") {
		t.Errorf("queue counts %q, want the count of each state", counts)
	}
	queue := br.text(`#queue`)
	if !strings.Contains(queue, "Majid Kakavand") || !strings.Contains(queue, alertID) {
		t.Fatalf("the queue lacks the alert:\n%s", queue)
	}

	// The alert page: party and entity side by side; propose a false
	// positive.
	br.do(
		chromedp.Click(chromedp.CSS(`#queue a[href="/alerts/`+alertID+`"]`)),
		chromedp.WaitVisible(chromedp.ID("decide")),
	)
	page := br.text(`main`)
	for _, want := range []string{"Party (the book)", "Listed entity", "W-1", "Why it matched", "History (audit trail)", "alert.create"} {
		if !strings.Contains(page, want) {
			t.Errorf("the alert page lacks %q", want)
		}
	}
	br.do(
		chromedp.Click(chromedp.CSS(`input[name="state"][value="false_positive"]`)),
		chromedp.SendKeys(chromedp.ID("comment"), "Different person: the customer was born in 1990."),
		chromedp.Click(chromedp.ID("decide")),
		chromedp.WaitVisible(chromedp.ID("message")),
	)
	br.screenshot("review-proposed.png")
	if msg := br.text(`#message`); !strings.Contains(msg, "proposed") {
		t.Errorf("after proposing: %q", msg)
	}
	if pending := br.text(`#pending`); !strings.Contains(pending, "ana proposed false_positive") {
		t.Errorf("pending proposal: %q", pending)
	}
	// The analyst has no approve button.
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#approve").length`)); err != nil || n != 0 {
		t.Errorf("the analyst sees %d approve buttons (%v), want none", n, err)
	}

	// Sign out; the approver signs in and approves.
	br.do(
		chromedp.Click(chromedp.CSS(`form.logout button`)),
		chromedp.WaitVisible(chromedp.ID("password")),
	)
	signIn("bea")
	br.do(
		chromedp.Navigate(ts.URL()+"/alerts/"+alertID),
		chromedp.WaitVisible(chromedp.ID("approve")),
		chromedp.SendKeys(chromedp.ID("approve-comment"), "Agreed."),
		chromedp.Click(chromedp.ID("approve")),
		chromedp.WaitVisible(chromedp.ID("message")),
	)
	br.screenshot("review-approved.png")
	if state := strings.TrimSpace(br.text(`#alert-state`)); state != "false_positive" {
		t.Errorf("alert state after approval %q, want false_positive", state)
	}
	if history := br.text(`main`); !strings.Contains(history, "alert.approve") || !strings.Contains(history, "alert.propose") {
		t.Errorf("the history lacks the proposal or the approval:\n%s", history)
	}
	br.do(chromedp.Navigate(ts.URL()+"/audit"), chromedp.WaitVisible(chromedp.CSS(`table.audit`)))
	if trail := br.text(`table.audit`); !strings.Contains(trail, "bea") || !strings.Contains(trail, "alert.approve") {
		t.Errorf("the audit page lacks the approval")
	}
	br.do(chromedp.Navigate(ts.URL()+"/book"), chromedp.WaitVisible(chromedp.CSS(`table.book`)))
	if book := br.text(`table.book`); !strings.Contains(book, "Majid Kakavand") {
		t.Errorf("the book page lacks the party")
	}
}
