package cli_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/interdict/interdict/internal/cli"
)

// sharedMessages is the shared message samples, beside the checkout.
var sharedMessages = filepath.Join("..", "..", "..", "shared", "data", "messages")

func messageSample(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedMessages, rel))
	if err != nil {
		t.Skipf("shared message samples not found: %v", err)
	}
	return string(b)
}

type messageResult struct {
	MessageID string   `json:"message_id"`
	Format    string   `json:"format"`
	Decision  string   `json:"decision"`
	Reasons   []string `json:"reasons"`
	Hits      []struct {
		Field    string  `json:"field"`
		Value    string  `json:"value"`
		EntityID string  `json:"entity_id"`
		Score    float64 `json:"score"`
		Alert    bool    `json:"alert"`
	} `json:"hits"`
	Fields []struct {
		Field string `json:"field"`
	} `json:"fields"`
	Error string `json:"error"`
}

func jsonLines(t *testing.T, out string) []messageResult {
	t.Helper()
	var rs []messageResult
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r messageResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		rs = append(rs, r)
	}
	return rs
}

func TestMessagesScreen(t *testing.T) {
	pacs008 := messageSample(t, "iso20022/cbpr-examples/pacs008_credit_transfer_sample.xml")
	mt103 := messageSample(t, "mt/ballerina-mt-mx/p_2_3_1_a__mt103_pacs_008_A_D.fin")
	listedBIC := strings.Replace(pacs008, "<pacs:BICFI>GLPBES2X</pacs:BICFI>\n\t\t\t\t\t</pacs:FinInstnId>\n\t\t\t\t</pacs:CdtrAgt>",
		"<pacs:BICFI>MELIGB2LXXX</pacs:BICFI>\n\t\t\t\t\t</pacs:FinInstnId>\n\t\t\t\t</pacs:CdtrAgt>", 1)
	if listedBIC == pacs008 {
		t.Fatal("sample not changed")
	}
	home := snapshotHome(t)
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clean := write("a_clean.xml", pacs008)
	write("b_listed_bic.xml", listedBIC)
	write("README.md", "# payments of the day\n")

	t.Run("directory", func(t *testing.T) {
		code, out, errOut := run(t, home, nil, "messages", "screen", "--json", dir)
		if code != cli.ExitMatch {
			t.Fatalf("exit %d, want %d (a message held): %s", code, cli.ExitMatch, errOut)
		}
		if !strings.Contains(errOut, "skipped") || !strings.Contains(errOut, "README.md") {
			t.Errorf("stderr %q, want README.md reported as skipped", errOut)
		}
		rs := jsonLines(t, out)
		if len(rs) != 2 {
			t.Fatalf("%d results, want 2:\n%s", len(rs), out)
		}
		if rs[0].Decision != "release" || rs[0].MessageID != "P008-20260413-5017" || len(rs[0].Fields) == 0 {
			t.Errorf("clean sample: %+v, want released with its fields", rs[0])
		}
		if rs[1].Decision != "hold" {
			t.Fatalf("listed BIC: decision %s, want hold", rs[1].Decision)
		}
		found := false
		for _, h := range rs[1].Hits {
			if h.Alert && h.Field == "CdtTrfTxInf[0]/CdtrAgt/FinInstnId/BICFI" && h.EntityID == "ofac-sdn:25420" {
				found = true
			}
		}
		if !found {
			t.Errorf("no alerting hit on the creditor agent's BIC for MELLI BANK PLC: %+v", rs[1].Hits)
		}
	})
	t.Run("released", func(t *testing.T) {
		code, out, errOut := run(t, home, nil, "message", "screen", clean)
		if code != cli.ExitOK {
			t.Fatalf("exit %d, want 0: %s", code, errOut)
		}
		if !strings.HasPrefix(out, "RELEASE") || !strings.Contains(errOut, "1 messages: 1 released, 0 held") {
			t.Errorf("stdout %q stderr %q", out, errOut)
		}
	})
	t.Run("broken file", func(t *testing.T) {
		bad := write("bad.fin", strings.Replace(mt103, ":57A:", ":57A:NOT A BIC\r\n:57X:", 1))
		code, out, errOut := run(t, home, nil, "messages", "screen", bad, clean)
		if code != cli.ExitError {
			t.Fatalf("exit %d, want %d: %s", code, cli.ExitError, errOut)
		}
		if !strings.Contains(errOut, "bad.fin") || !strings.Contains(errOut, "field :57A:") {
			t.Errorf("stderr %q, want the file and field named", errOut)
		}
		if !strings.Contains(out, "P008-20260413-5017") {
			t.Errorf("the readable file was not screened: %q", out)
		}
	})
	t.Run("stream", func(t *testing.T) {
		in := mt103 + "\n" + strings.Replace(mt103, ":57A:", ":57A:NOT A BIC\r\n:57X:", 1) + "\n" + pacs008 + "\n$\n"
		code, out, errOut := runIn(t, home, in, "--no-snapshot", "messages", "screen", "--stream", "--json")
		if code != cli.ExitError {
			t.Fatalf("exit %d, want %d (one message unreadable): %s", code, cli.ExitError, errOut)
		}
		rs := jsonLines(t, out)
		if len(rs) != 3 || rs[0].Format != "MT103" || rs[1].Error == "" || rs[2].MessageID != "P008-20260413-5017" {
			t.Errorf("stream results %+v, want MT103, an error line, then the pacs.008", rs)
		}
	})
	t.Run("usage", func(t *testing.T) {
		if code, _, _ := run(t, home, nil, "messages", "screen"); code != cli.ExitUsage {
			t.Errorf("no FILE: exit %d, want %d", code, cli.ExitUsage)
		}
	})
}
