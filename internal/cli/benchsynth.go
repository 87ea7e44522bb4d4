package cli

import (
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/screen"
	"github.com/interdict/interdict/source/ftm"
	"github.com/schollz/progressbar/v3"
)

// syntheticEntities builds n entities whose names are drawn from the real
// name tokens of ents (the bundled lists), in proportion to how often each
// token occurs there, so that common tokens stay common: persons of two to
// four tokens, organizations of two to four tokens plus a legal form, each
// with one to three names (a reordered or shortened alias, a weak alias).
// The same n gives the same entities; it is the construction of the
// package match's BenchmarkSearch1M.
func syntheticEntities(ents []interdict.Entity, n int) []interdict.Entity {
	var person, org []string
	seen := map[string]string{}
	intern := func(s string) string {
		if t, ok := seen[s]; ok {
			return t
		}
		seen[s] = s
		return s
	}
	legal := []string{"llc", "ltd", "co", "gmbh", "sa", "jsc", "fze", "corp"}
	for _, e := range ents {
		for _, nm := range e.Names {
			if nm.Script != "Latn" && nm.Script != "" {
				continue
			}
			for _, t := range strings.Fields(strings.ToLower(nm.Full)) {
				t = strings.Trim(t, ",.()\"'-")
				if len(t) < 2 {
					continue
				}
				if e.Kind == interdict.KindPerson {
					person = append(person, intern(t))
				} else {
					org = append(org, intern(t))
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(toks []string, k int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = toks[rng.IntN(len(toks))]
		}
		return out
	}
	out := make([]interdict.Entity, n)
	// The names of all entities share backing arrays, as a compact store
	// would hold them.
	names := make([]interdict.Name, 0, n*2)
	for i := range out {
		e := &out[i]
		e.ID = "syn:" + strconv.Itoa(i)
		e.List = "syn"
		var toks []string
		if rng.IntN(10) < 7 {
			e.Kind = interdict.KindPerson
			toks = pick(person, 2+rng.IntN(3))
		} else {
			e.Kind = interdict.KindOrganization
			toks = append(pick(org, 2+rng.IntN(3)), legal[rng.IntN(len(legal))])
		}
		if cap(names)-len(names) < 3 {
			names = make([]interdict.Name, 0, max(n, 1024))
		}
		off := len(names)
		names = append(names, interdict.Name{Full: strings.Join(toks, " "), Quality: interdict.NamePrimary, Script: "Latn"})
		switch rng.IntN(3) {
		case 1: // reordered
			r := append(append([]string{}, toks[1:]...), toks[0])
			names = append(names, interdict.Name{Full: strings.Join(r, " "), Quality: interdict.NameStrong, Script: "Latn"})
		case 2: // without its second token, plus a weak alias
			short := append(append([]string{}, toks[:1]...), toks[2:]...)
			names = append(names, interdict.Name{Full: strings.Join(short, " "), Quality: interdict.NameStrong, Script: "Latn"},
				interdict.Name{Full: toks[len(toks)-1], Quality: interdict.NameWeak, Script: "Latn"})
		}
		e.Names = names[off:len(names):len(names)]
	}
	return out
}

// procStatus returns the resident set size and its peak (VmRSS, VmHWM)
// in bytes from /proc/self/status; zeros where /proc is missing.
func procStatus() (rss, hwm int64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb << 10
		case "VmHWM:":
			hwm = kb << 10
		}
	}
	return rss, hwm
}

// benchFTM streams the parties of an FtM JSON-lines file (gzip when its
// name ends in .gz), with a progress bar on a terminal, and returns them
// compacted as a server holds them.
func (a *App) benchFTM(path string) ([]interdict.Entity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	size := int64(-1)
	if st, err := f.Stat(); err == nil && !strings.HasSuffix(path, ".gz") {
		size = st.Size()
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	opt := ftm.StreamOptions{List: interdict.ListFTM, Name: filepath.Base(path)}
	if a.IsTerminal {
		bar := progressbar.NewOptions64(size, progressbar.OptionSetWriter(a.Stderr), progressbar.OptionSetDescription("read "+filepath.Base(path)),
			progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish())
		opt.Progress = func(read int64, entities int) {
			bar.Describe(fmt.Sprintf("read %s: %d entities", filepath.Base(path), entities))
			bar.Set64(read)
		}
		defer bar.Finish()
	}
	start := time.Now()
	var ents []interdict.Entity
	res, err := ftm.Stream(r, opt, func(e *interdict.Entity) error {
		ents = append(ents, *e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	screen.CompactEntities(ents)
	fmt.Fprintf(a.Stdout, "read: %d parties of %d lines from %s (%.0f MiB) in %s; %d left out, %d warnings\n",
		len(ents), res.Report.Records, path, float64(res.Read)/(1<<20), time.Since(start).Round(time.Millisecond), res.Report.Skipped, res.Report.Warnings)
	if len(ents) == 0 {
		return nil, fmt.Errorf("%s: no party to index", path)
	}
	return slices.Clip(ents), nil
}
