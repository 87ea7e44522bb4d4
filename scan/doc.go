// Package scan finds, in free text (news, court and government press
// releases, reports), the mentions of listed parties, of embargoed
// countries, regions, cities and ports, and of controlled-goods terms, and
// the risk topics the text speaks of (sanctions evasion, smuggling, arrest
// or indictment, proliferation, terrorism financing, defection, fraud).
//
// The text is tokenized once (tokenize). Each token is folded (NFKC, case
// folding, Arabic and Persian letter unification: normalize.Fold) and
// hashed (ASCII words in the same pass that reads them); tokens in a
// non-Latin script are also romanized. Three kinds of lookup run over the
// tokens, each a hash probe per token, so a scan costs time linear in the
// length of the text; before any probe, a bit set of the keys of each
// lookup passes over most words with one bit test:
//
//   - Lexicons (places, goods, topics): phrases of up to maxPhrase folded
//     tokens, matched by the hash of the token n-gram; Han text, which is
//     written without spaces, is matched by substring against the Han
//     phrases.
//   - Parties: every name of every entity of the index, parsed by
//     normalize.Parse (every romanization), is an anchor under each of its
//     distinctive tokens (exact text, and consonant skeleton for tokens
//     that look like a name; a name of one name part by its skeleton only
//     when it is long enough for a slip). Before any alignment a prefilter
//     of hash compares checks that the window holds every name part (as
//     written or by skeleton, one allowed missing in a name of three) and
//     the words the alignment would require as written (the generic words
//     of a one-part name, every word of a name of everyday words); names
//     found in lower case are keyed on pairs holding a distinctive word, so
//     that "of the" sends no sentence to them. At an anchor the name's
//     other tokens are
//     aligned with the neighbouring words of the same sentence (exact,
//     skeleton, or within a small edit budget), "SURNAME, Given" order
//     included. A candidate must then look like a name in the text
//     (capitalised, not a lone common word, not a place, not part of a
//     longer capitalised name) unless it is long and exact, and is verified
//     by the screening service (interdict.Screener): the span as written is
//     screened, and it is a mention only if the listed entity scores at or
//     above the threshold. The score and explanation are the screener's.
//
// Mentions of one party are grouped with their count. A Scanner is
// immutable and safe for concurrent use; build one per index. Live keeps
// the scanner of a screening service's current index, built in the
// background at start-up and after each list update (Live.Run).
package scan
