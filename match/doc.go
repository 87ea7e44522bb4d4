// Package match finds and scores the listed entities a name may be. An Index
// is an immutable in-memory index over every romanized form of every name of
// a set of entities: exact tokens, consonant-skeleton keys that survive
// transliteration, a one-deletion neighbourhood for typos, adjacent tokens
// joined (Binladen / Bin Laden), and identifiers. Tokens are weighted by
// inverse document frequency, so that common tokens (Mohammed, Ali, Trading)
// count for little.
//
// Scoring aligns the query's tokens with a name's tokens regardless of order,
// tolerates missing middle names and patronymics, joined and split tokens,
// initials, nicknames and typos within a budget that grows with token
// length, and never lets a legal form, title, stopword, generic word or
// number match on its own. Secondary evidence (birth date, country, gender,
// identifiers, address, kind) moves the score up or down but never removes a
// candidate. Every Match carries an interdict.Explanation.
//
// The package does no I/O. An Index is safe for concurrent use.
package match
