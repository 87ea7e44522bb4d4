package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/interdict/interdict/scan"
)

// TestEvalSet holds the floor of the labelled evaluation set: recall and
// precision of party mentions on both splits, no party in clean texts.
func TestEvalSet(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the scanner over every bundled list")
	}
	s := MustBundledScanner(t)
	docs, err := scan.EvalSet()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) < 60 {
		t.Errorf("evaluation set has %d documents, want at least 60", len(docs))
	}
	for _, split := range scan.Splits {
		r, err := scan.Evaluate(context.Background(), s, docs, split)
		if err != nil {
			t.Fatal(err)
		}
		p := r.ByKind[scan.KindParty]
		t.Logf("%s: party precision %.3f recall %.3f (TP %d FP %d FN %d), clean party mentions %d", split, p.Precision(), p.Recall(), p.TP, p.FP, p.FN, r.CleanPartyMentions)
		// Floors: the targets (0.95) on dev; on the held-out splits, the
		// levels measured last, so that a change that loses ground there
		// fails. test2 and test3 (as first run) do not reach the targets;
		// test3's floor is its level with the screening changes it was
		// first run beside (18 of 33 party mentions, 4 false).
		floor := map[string][2]float64{"dev": {0.95, 0.95}, "test": {0.95, 0.95}, "test2": {0.95, 0.68}, "test3": {0.81, 0.54}}[split]
		if p.Precision() < floor[0] || p.Recall() < floor[1] {
			t.Errorf("%s: party precision %.3f, recall %.3f; want at least %.2f and %.2f", split, p.Precision(), p.Recall(), floor[0], floor[1])
		}
		if maxClean := map[string]int{"test2": 1, "test3": 2}[split]; r.CleanPartyMentions > maxClean {
			t.Errorf("%s: %d party mentions in clean documents, want at most %d", split, r.CleanPartyMentions, maxClean)
		}
		if split != "dev" {
			continue // held out: its errors are not looked at while tuning
		}
		for _, e := range r.Errors {
			t.Logf("  %s %s %s %q %s", e.Doc, e.What, e.Kind, e.Text, e.Listed)
		}
	}
}

func TestScanner_Scan(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the scanner over every bundled list")
	}
	s := MustBundledScanner(t)
	text := "Le rapport cite Олег Дерипаска et KIM, Jong Un. Téhéran a réagi; DERIPASKA a démenti.\n\nA Union Pacific train left Holland, Michigan."
	r, err := s.Scan(context.Background(), "t", text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range r.Mentions {
		got = append(got, m.Kind+":"+m.Text)
		if text[m.Start:m.End] != m.Text {
			t.Errorf("mention %q: bytes %d-%d hold %q", m.Text, m.Start, m.End, text[m.Start:m.End])
		}
		runes := []rune(text)
		if string(runes[m.CharStart:m.CharEnd]) != m.Text {
			t.Errorf("mention %q: characters %d-%d hold %q", m.Text, m.CharStart, m.CharEnd, string(runes[m.CharStart:m.CharEnd]))
		}
		if m.Sentence == "" || !strings.Contains(m.Sentence, m.Text) {
			t.Errorf("mention %q: sentence %q does not hold it", m.Text, m.Sentence)
		}
		if m.Kind == scan.KindParty && (m.Score < 0.8 || m.Explanation == nil || m.Why == "") {
			t.Errorf("party mention %q: score %.2f, explanation %v, why %q", m.Text, m.Score, m.Explanation, m.Why)
		}
	}
	want := []string{"party:Олег Дерипаска", "party:KIM, Jong Un", "place:Téhéran"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Scan(%q) mentions = %v, want %v", text, got, want)
	}
	if len(r.Groups) == 0 || r.Groups[0].Kind != scan.KindParty {
		t.Errorf("groups = %+v, want the parties first", r.Groups)
	}
}

func TestScanner_Topics(t *testing.T) {
	s, err := scan.New(nil, scan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, topic string }{
		{"The network helped the company evade sanctions through front companies.", scan.TopicSanctionsEvasion},
		{"Le capitaine a été interpellé et mis en examen pour contrebande.", scan.TopicSmuggling},
		{"Er wurde am Montag festgenommen.", scan.TopicArrest},
		{"Северная Корея развивает программу ядерного оружия.", scan.TopicProliferation},
		{"اتهم بتمويل الإرهاب", scan.TopicTerrorismFinancing},
		{"Он попросил убежища после того, как перебежчики рассказали о нём.", scan.TopicDefection},
		{"涉嫌洗钱和欺诈。", scan.TopicFraud},
		{"پلیس از بازداشت یک قاچاقچی خبر داد.", scan.TopicSmuggling},
		{"La empresa fue acusada de evadir sanciones.", scan.TopicSanctionsEvasion},
	}
	for _, tt := range tests {
		r, err := s.Scan(context.Background(), "t", tt.text)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, tp := range r.Topics {
			if tp.Topic == tt.topic && len(tp.Sentences) > 0 {
				found = true
			}
		}
		if !found {
			t.Errorf("Scan(%q) topics = %+v, want %s", tt.text, r.Topics, tt.topic)
		}
	}
}

func TestScanner_InvalidUTF8(t *testing.T) {
	s, err := scan.New(nil, scan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Scan(context.Background(), "t", "Shipped to \xffIran\xfe and Pyongyang.")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Mentions) != 2 {
		t.Errorf("mentions = %+v, want Iran and Pyongyang", r.Mentions)
	}
}

func FuzzScan(f *testing.F) {
	s, err := scan.New(nil, scan.Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add("Sanctions on Iran; arrests in Téhéran. 朝鲜试射弹道导弹。 Москве")
	f.Add("l'Iran, d'Oleg; Kim Jong-un's")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := s.Scan(context.Background(), "f", text)
		if err != nil {
			t.Fatal(err)
		}
		valid := strings.ToValidUTF8(text, "\uFFFD")
		for _, m := range r.Mentions {
			if m.Start < 0 || m.End > len(valid) || m.Start >= m.End || valid[m.Start:m.End] != m.Text || !utf8.ValidString(m.Text) {
				t.Fatalf("mention %+v out of the text %q", m, valid)
			}
		}
	})
}

// englishText repeats the English texts of the evaluation set to n bytes.
func englishText(b *testing.B, n int) string {
	return textOf(b, "evaldata/en-*.txt", n)
}

// textOf repeats the texts of the files matching pattern to n bytes.
func textOf(b *testing.B, pattern string, n int) string {
	b.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		b.Fatal("no English texts in evaldata")
	}
	var sb strings.Builder
	for sb.Len() < n {
		for _, f := range files {
			t, err := os.ReadFile(f)
			if err != nil {
				b.Fatal(err)
			}
			sb.Write(t)
			sb.WriteString("\n\n")
		}
	}
	return sb.String()[:n]
}

// BenchmarkScan scans plain English text (the English news, press releases
// and clean texts of the evaluation set, repeated) against every bundled
// list, at 1 MiB and 10 MiB: equal MB/s at both sizes show that the cost is
// linear in length. Besides the wall-clock MB/s it reports cpu-MB/s, the
// bytes per second of CPU time of the process, which a busy machine does
// not distort.
func BenchmarkScan(b *testing.B) {
	s := MustBundledScanner(b)
	for _, size := range benchSizes {
		text := englishText(b, size)
		b.Run(fmtSize(size), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := s.Scan(context.Background(), "bench", text); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N)*float64(len(text))/1e6/cpu.Seconds(), "cpu-MB/s")
			}
		})
	}
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fmtSize(n int) string { return strconv.Itoa(n>>20) + "MiB" }

// benchSizes are the text sizes BenchmarkScan measures.
var benchSizes = []int{1 << 20, 10 << 20}

// BenchmarkScanProse scans ordinary English prose (the clean texts of the
// evaluation set: companies and people that share words with listed names,
// but no listed party) against every bundled list.
func BenchmarkScanProse(b *testing.B) {
	s := MustBundledScanner(b)
	text := textOf(b, "evaldata/en-clean-*.txt", 1<<20)
	b.SetBytes(int64(len(text)))
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := s.Scan(context.Background(), "bench", text); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)*float64(len(text))/1e6/cpu.Seconds(), "cpu-MB/s")
	}
}

// BenchmarkScanNoParties scans the same text with the lexicons only (no
// entities): the cost of tokenizing and of places, goods and topics, the
// baseline of BenchmarkScan.
func BenchmarkScanNoParties(b *testing.B) {
	s, err := scan.New(nil, scan.Options{})
	if err != nil {
		b.Fatal(err)
	}
	text := englishText(b, 1<<20)
	b.SetBytes(int64(len(text)))
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := s.Scan(context.Background(), "bench", text); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(float64(b.N)*float64(len(text))/1e6/cpu.Seconds(), "cpu-MB/s")
	}
}
