// Package normalize turns names as lists and customers write them into the
// comparable forms the matcher indexes: Unicode-folded, romanized (several
// romanizations per name where the common systems differ), tokenized, with
// each token classed as a name part, particle, title, legal form, stopword,
// generic word or number, and keyed by a script-independent consonant
// skeleton.
//
// The pipeline for one name is:
//
//  1. Fold: NFKC (which also folds full-width forms), Unicode case folding,
//     Arabic and Persian letter unification (ي/ی/ى, ك/ک, ة, hamza forms),
//     removal of tatweel, harakat and zero-width joiners.
//  2. Romanize: per-script rule tables (Cyrillic ICAO 9303 / BGN/PCGN /
//     common English; Arabic and Persian ICAO-style with and without long
//     vowels; Greek ELOT 743; Hebrew; Han in toneless pinyin through
//     go-pinyin, laid out as a Chinese or a transcribed foreign name (see
//     han.go); Hangul through go-unidecode), plus a Learned romanization
//     that spells tokens the way people most often write them in Latin
//     where the rules miss it (learned.tsv), and a Model romanization
//     that spells Arabic, Hebrew, Cyrillic and transcribed foreign Han
//     names letter by letter, each letter in the light of its neighbours,
//     the way such names are most often spelled in Latin (model.tsv,
//     learned by expectation maximisation from the training
//     transliteration pairs). Likeness scores how likely a given Latin
//     token spells a word of those scripts under the same model's
//     emission table (channel.tsv).
//     Combining marks are stripped only after transliteration, so that
//     Сергей becomes "sergei"/"sergey" and never "Сергеи".
//  3. Tokenize: punctuation becomes space, "SURNAME, Given" is reordered,
//     Arabic particles (al-, el-, bin, ibn, bint, abu) are split off and
//     classed, abd/abdul is joined with the following word, -allah/-ullah,
//     al-Din compounds (Jalal ud-Din, Jalaluddin, Badreddine) and Persian
//     -zadeh/-pour are spelled one way, titles and honorifics
//     (Sheikh, Haji, Seyyed, Dr, General) are classed, and company legal
//     forms (from OpenSanctions rigour's org_types table, MIT) are
//     recognised at either end of the name; the abbreviated words of Turkish
//     company names (San. ve Tic.) are spelled out, and the seat written
//     after an ex-Yugoslav legal form (DOO BEOGRAD) is classed generic
//     (orgwords.go).
//
// The package does no I/O; its tables are embedded. All functions are safe
// for concurrent use.
package normalize
