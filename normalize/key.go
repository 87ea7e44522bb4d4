package normalize

import "strings"

// Skeleton returns the consonant skeleton of a romanized token: a key that
// survives transliteration and spelling variation. Vowels, y, w, and h after
// a vowel at the end of a word are dropped; digraphs are folded (sh, sch, ch,
// tch, cz -> x; kh, gh, q, c, g, ck -> k; zh, dj, dzh -> j; ph, v -> f; th, dh, d ->
// t; z, ts, tz -> s; p -> b; x -> ks); and repeats are collapsed. So محمد,
// Mohammed, Muhammad and Mohamad all give "mhmt", and Qasem, Ghasem and
// Kassem give "ksm". Digits are kept. tok should be a token of a
// romanization (lowercase ASCII); other bytes are ignored. A token of vowels
// only gives its first letter, so that the key is never empty for a
// non-empty token.
func Skeleton(tok string) string {
	var b [32]byte
	out := b[:0]
	n := len(tok)
	last := byte(0)
	emit := func(c byte) {
		if c != last {
			out = append(out, c)
		}
		last = c
	}
	for i := 0; i < n; i++ {
		c := tok[i]
		next := byte(0)
		if i+1 < n {
			next = tok[i+1]
		}
		switch c {
		case 'w':
			// w before a vowel, or leading, is a consonant (Walid/Valid,
			// Wladimir/Vladimir); elsewhere it is a vowel glide (Mahmoud/Mahmowd).
			if i == 0 || isVowel(next) {
				emit('f')
				continue
			}
			last = 0
			continue
		case 'a', 'e', 'i', 'o', 'u', 'y':
			last = 0 // a vowel separates repeats: "mama" keeps both m
			continue
		case 'h':
			// h is a consonant except at the end after a vowel (Fatimah,
			// Abdullah, Zadeh) and after another h.
			if i+1 == n && i > 0 && isVowel(tok[i-1]) {
				continue
			}
			emit('h')
		case 's':
			if next == 'h' {
				emit('x')
				i++
			} else if next == 'c' && i+2 < n && tok[i+2] == 'h' {
				emit('x')
				i += 2
			} else {
				emit('s')
			}
		case 'c':
			switch next {
			case 'h':
				emit('x')
				i++
			case 'z':
				emit('x')
				i++
			case 'k':
				emit('k')
				i++
			default:
				emit('k')
			}
		case 't':
			switch {
			case next == 'c' && i+2 < n && tok[i+2] == 'h':
				emit('x')
				i += 2
			case next == 's' && i+2 < n && tok[i+2] == 'c' && i+3 < n && tok[i+3] == 'h':
				emit('x')
				i += 3
			case next == 'h':
				emit('t')
				i++
			case next == 's' || next == 'z':
				emit('s')
				i++
			default:
				emit('t')
			}
		case 'd':
			switch {
			case next == 'z' && i+2 < n && tok[i+2] == 'h':
				// dzh, the Russian romanization of дж (Madzhid/Majid).
				emit('j')
				i += 2
				continue
			case next == 'h':
				emit('t')
				i++
			case next == 'j':
				emit('j')
				i++
			default:
				emit('t')
			}
		case 'k':
			if next == 'h' {
				i++
			}
			emit('k')
		case 'g':
			if next == 'h' {
				i++
			}
			emit('k')
		case 'q':
			emit('k')
		case 'z':
			if next == 'h' {
				emit('j')
				i++
			} else {
				emit('s')
			}
		case 'p':
			if next == 'h' {
				emit('f')
				i++
			} else {
				emit('b')
			}
		case 'v', 'f':
			emit('f')
		case 'x':
			emit('k')
			emit('s')
		case 'b', 'j', 'l', 'm', 'n', 'r':
			emit(c)
		default:
			if c >= '0' && c <= '9' {
				emit(c)
			}
		}
	}
	if len(out) == 0 && n > 0 {
		return tok[:1]
	}
	return string(out)
}

func isVowel(c byte) bool {
	return strings.IndexByte("aeiouy", c) >= 0
}
