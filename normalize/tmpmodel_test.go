package normalize

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"hash/fnv"
	"os"
	"strings"
	"testing"
)

func heldOut(token string) bool {
	h := fnv.New32a()
	h.Write([]byte(token))
	return h.Sum32()%5 == 0
}

func lr(s string) string { return strings.ReplaceAll(s, "r", "l") }

func TestTmpModel(t *testing.T) {
	for _, f := range []string{"wd_chinese", "wd_hebrew", "wd_arabic"} {
		fh, _ := os.Open("../../shared/data/lists/matching/transliteration/" + f + ".normalized.aligned.tokens.gz")
		zr, _ := gzip.NewReader(fh)
		sc := bufio.NewScanner(zr)
		var n, ex, sk, sklr, rsk int
		for sc.Scan() {
			p := strings.Split(sc.Text(), "\t")
			s := strings.ReplaceAll(p[1], " ", "")
			if !heldOut(s) {
				continue
			}
			lat := Fold(p[0])
			if !isASCII(lat) || strings.Contains(lat, " ") {
				continue
			}
			w := Fold(s)
			if strings.Contains(w, " ") {
				continue
			}
			if rs := []rune(w); len(rs) > 3 && rs[0] == 'ا' && rs[1] == 'ل' {
				w = string(rs[2:])
				lat = strings.TrimPrefix(strings.TrimPrefix(lat, "al"), "el")
			}
			m := romanizeModel([]string{w, w})
			if m == "" {
				continue
			}
			m = strings.Fields(m)[0]
			n++
			if m == lat {
				ex++
			}
			if Skeleton(m) == Skeleton(lat) {
				sk++
			}
			if lr(Skeleton(m)) == lr(Skeleton(lat)) {
				sklr++
			}
			for _, r := range Romanize(w) {
				if Skeleton(r) == Skeleton(lat) {
					rsk++
					break
				}
			}
			if n < 15 {
				fmt.Println(f, w, lat, m)
			}
		}
		fmt.Printf("%s n=%d exact=%.3f skel=%.3f skel-lr=%.3f anyRomanizeSkel=%.3f\n", f, n, float64(ex)/float64(n), float64(sk)/float64(n), float64(sklr)/float64(n), float64(rsk)/float64(n))
	}
}
