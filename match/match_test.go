package match_test

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/interdict/interdict"
	"github.com/interdict/interdict/internal/evalgen"
	"github.com/interdict/interdict/match"
)

func fixtures() []interdict.Entity {
	return []interdict.Entity{
		{ID: "t:1", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "John Smith", Quality: interdict.NamePrimary}},
			Dates: []interdict.Date{{Type: interdict.DateBirth, From: "1960-05-01", To: "1960-05-01", Precision: interdict.PrecisionDay}}, Nationalities: []string{"GB"}},
		{ID: "t:2", List: "t", Kind: interdict.KindOrganization, Names: []interdict.Name{{Full: "BELLETECH CORP", Quality: interdict.NamePrimary}}},
		{ID: "t:3", List: "t", Kind: interdict.KindOrganization, Names: []interdict.Name{{Full: "EMMA LLC", Quality: interdict.NamePrimary}}},
		{ID: "t:4", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{
			{Full: "Usama bin Laden", Quality: interdict.NamePrimary},
			{Full: "أسامة بن لادن", Quality: interdict.NameOriginal, Script: "Arab"},
			{Full: "Abu Abdallah", Quality: interdict.NameWeak}}},
		{ID: "t:5", List: "t", Kind: interdict.KindVessel, Names: []interdict.Name{{Full: "OCEAN STAR", Quality: interdict.NamePrimary}},
			Identifiers: []interdict.Identifier{{Type: interdict.IDIMO, Value: "IMO 9233753"}}},
		{ID: "t:6", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "Vladimir Vladimirovich PUTIN", Quality: interdict.NamePrimary}}},
		{ID: "t:7", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "Mohammed Ali Hassan", Quality: interdict.NamePrimary}}},
		{ID: "t:8", List: "t", Kind: interdict.KindOrganization, Names: []interdict.Name{{Full: "ZEEL - M CO., LTD.", Quality: interdict.NamePrimary}}},
		{ID: "t:9", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "ANWAR NASSER ABDULLA AL-AULAQI", Quality: interdict.NamePrimary}}},
		{ID: "t:10", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "Helena APOLINARIO", Quality: interdict.NamePrimary}}},
		{ID: "t:11", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{{Full: "Иван Петров", Quality: interdict.NameOriginal, Script: "Cyrl"}}},
	}
}

func TestIndex_Search(t *testing.T) {
	ix := match.NewIndex(fixtures())
	for _, tc := range []struct {
		name  string
		q     interdict.Query
		top   string  // expected top entity, "" for none at or above min
		min   float64 // the top score at least
		below float64 // or: every score below
	}{
		{"typo on a short token", interdict.Query{Name: "Jon Smith"}, "t:1", 0.8, 0},
		{"reordered", interdict.Query{Name: "SMITH, John"}, "t:1", 0.9, 0},
		{"joined particle", interdict.Query{Name: "Osama Binladen"}, "t:4", 0.8, 0},
		{"arabic script", interdict.Query{Name: "أسامة بن لادن"}, "t:4", 0.9, 0},
		{"cyrillic against latin", interdict.Query{Name: "Владимир Путин"}, "t:6", 0.8, 0},
		{"missing patronymic", interdict.Query{Name: "Vladimir Putin"}, "t:6", 0.8, 0},
		{"legal form and number only", interdict.Query{Name: "11420 CORP."}, "", 0, 0.5},
		{"given name and legal form", interdict.Query{Name: "emma daniels"}, "", 0, 0.8},
		{"identifier", interdict.Query{Name: "Unrelated Name", IDNumber: "IMO9233753"}, "t:5", 0.99, 0},
		{"identifier digits", interdict.Query{IDNumber: "9233753"}, "t:5", 0.99, 0},
		{"arabic script, each word at its closest romanization", interdict.Query{Name: "انور ناصر عبدالله العولقي"}, "t:9", 0.8, 0},
		{"foreign name transcribed into chinese", interdict.Query{Name: "海伦娜·阿波里纳里奥"}, "t:10", 0.8, 0},
		{"one-letter word of a company name is no initial", interdict.Query{Name: "Mettsen Zeel"}, "", 0, 0.8},
		{"latin against a cyrillic-only name", interdict.Query{Name: "Ivan Petrov"}, "t:11", 0.9, 0},
		{"hebrew against a cyrillic-only name", interdict.Query{Name: "איבן פטרוב"}, "", 0, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := ix.Search(tc.q, match.Options{})
			if tc.top == "" {
				for _, m := range ms {
					if m.Score >= tc.below {
						t.Errorf("Search(%q) hit %s %q at %.3f, want below %.2f", tc.q.Name, m.Entity.ID, m.MatchedName(), m.Score, tc.below)
					}
				}
				return
			}
			if len(ms) == 0 {
				t.Fatalf("Search(%q) = no hits, want %s", tc.q.Name, tc.top)
			}
			if ms[0].Entity.ID != tc.top || ms[0].Score < tc.min {
				t.Errorf("Search(%q) top = %s at %.3f, want %s at >= %.2f (%+v)", tc.q.Name, ms[0].Entity.ID, ms[0].Score, tc.top, tc.min, ms[0].Explanation)
			}
		})
	}
}

func TestIndex_Search_Evidence(t *testing.T) {
	ix := match.NewIndex(fixtures())
	base := ix.Search(interdict.Query{Name: "John Smith"}, match.Options{})[0].Score
	same := ix.Search(interdict.Query{Name: "John Smith", DOB: "1960-05-01", Country: "GB"}, match.Options{})[0]
	other := ix.Search(interdict.Query{Name: "John Smith", DOB: "1990"}, match.Options{})
	if same.Score <= base {
		t.Errorf("matching DOB and country: %.3f, want above name-only %.3f", same.Score, base)
	}
	if len(other) == 0 {
		t.Fatal("a disjoint DOB removed the candidate")
	}
	if other[0].Score >= base {
		t.Errorf("disjoint DOB: %.3f, want below name-only %.3f", other[0].Score, base)
	}
	var feats []string
	for _, e := range same.Explanation.Evidence {
		feats = append(feats, e.Feature)
	}
	if diff := cmp.Diff([]string{"dob", "country"}, feats); diff != "" {
		t.Errorf("evidence (-want +got):\n%s", diff)
	}
}

func TestIndex_Search_WeakAlias(t *testing.T) {
	ix := match.NewIndex(fixtures())
	ms := ix.Search(interdict.Query{Name: "Abu Abdallah"}, match.Options{})
	if len(ms) == 0 || ms[0].Entity.ID != "t:4" {
		t.Fatalf("weak alias not found: %+v", ms)
	}
	if ms[0].Explanation.NameQuality != interdict.NameWeak || ms[0].Score >= 0.9 {
		t.Errorf("weak alias: quality %q score %.3f, want weak and below 0.9", ms[0].Explanation.NameQuality, ms[0].Score)
	}
}

func TestIndex_Search_Deterministic(t *testing.T) {
	ix := match.NewIndex(fixtures())
	q := interdict.Query{Name: "Mohamed Hasan"}
	want := ix.Search(q, match.Options{})
	for i := 0; i < 5; i++ {
		if diff := cmp.Diff(want, ix.Search(q, match.Options{})); diff != "" {
			t.Fatalf("run %d differs:\n%s", i, diff)
		}
	}
}

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b   string
		lo, hi float64
	}{
		{"Jon Smith", "John Smith", 0.85, 1},
		{"11420 CORP.", "BELLETECH CORP", 0, 0.3},
		{"emma daniels", "EMMA LLC", 0, 0.6},
		{"محمد علي", "Mohamed Ali", 0.85, 1},
		{"Omar Jamal", "Omar Kamal", 0, 0.7},
		{"Bob Jones", "Robert Jones", 0.85, 1},
		// A nasab in the middle of an Arabic name is left out of short
		// forms; the last one is a family name.
		{"Mounir Helel", "Mounir Ben Dhaou Ben Brahim Ben Helal", 0.8, 1},
		{"Osama", "Usama bin Laden", 0, 0.8},
		{"Mohammed bin Salman", "Mohammed bin Rashid", 0, 0.6},
		// Five name parts each paired at about 0.8.
		{"سعد سبعاوي إبراهيم حسن التكريتي", "Sa’d Sabawi Ibrahim Hasan Al-Tikriti", 0.8, 1},
		// One letter left out of a typed name.
		{"BIETRA S.A.", "BIESTRA S.A.", 0.8, 1},
		// Acronyms of an organisation's words, either way round.
		{"NPO LUCH, OAO", "OTKRYTOE AKTSIONERNOE OBSHCHESTVO NOVOSIBIRSKOE PROIZVODSTVENNOE OBEDINENIE LUCH", 0.85, 1},
		{"AKTSIONERNOE OBSHCHESTVO TORGOVYI DOM PROTON-ELEKTROTEKS", "AO TD PROTON-ELEKTROTEKS", 0.85, 1},
		// Not of a person's names, and never alone.
		{"Maliy Brindel Sarahiba", "MALIY B.S.", 0, 0.75},
		{"NPO", "Novosibirskoe Proizvodstvennoe Obedinenie", 0, 0.3},
		// A patronymic on one side only costs little; different ones differ.
		{"Карина Юрьевна Ротенберг", "Karina ROTENBERG", 0.8, 1},
		{"Sergey ROLDUGIN", "Сергей Павлович Ролдугин", 0.8, 1},
		{"ZALDASTANOV, Aleksandr Sergeevich", "ZALDOSTANOV, Aleksandr", 0.8, 1},
		{"Ivan Sergeevich Petrov", "Ivan Pavlovich Petrov", 0, 0.8},
		{"Ivan Sergeevich Petrov", "Ivan Petrovich Abramovich", 0, 0.6},
		// Ukrainian, Belarusian and Russian forms of one name.
		{"Andriy Mykolayovych SERDYUKOV", "Andrey Nikolaevich SERDYUKOV", 0.85, 1},
		{"Уладзімір Уладзіміравіч Макей", "Vladimir Vladimirovich MAKEY", 0.85, 1},
		{"Andriy Mykolayovych SERDYUKOV", "Andrey Olegovich SERDYUKOV", 0, 0.8},
		// Arabic al-Din compounds, apart, hyphenated or joined.
		{"جلال الدين حقانى", "Jalaluddin Haqqani", 0.85, 1},
		{"BADREDDINE, Mohamed", "BADR-AL-DIN, Muhammad", 0.85, 1},
		// A middle name the listed name lacks costs little; a Han
		// syllable is not a middle name, and an extra surname still costs.
		{"HAYDAR, Muhammad Ali", "HAYDAR, Muhammad", 0.8, 1},
		{"John Robert Smith", "John Smith", 0.8, 1},
		{"张燕磊", "ZHANG, Lei", 0, 0.8},
		{"John Smith Robertson", "John Smith", 0, 0.8},
		{"BEHZAD BSTAKI, Ahmad Abdullah Mohammed Abdullah", "BEHZAD, Ahmad Abdulla Mohammad Abdulla", 0.8, 1},
		{"NASSER, Jamal Talab Mohammad Saleh", "SALEH, Jamal", 0, 0.7},
		// A generational suffix is no name part.
		{"LAVILLA, Reuben", "LAVILLA, Ruben Pestano, Jr.", 0.8, 1},
		// Romanizations of one Korean surname.
		{"Cho Yong Chol", "JO YONG CHOL", 0.85, 1},
		{"PAK Jong Chol", "PARK, Jong Chol", 0.85, 1},
		// Belarusian -au for Russian -ov; Turkish c and Egyptian g for ج.
		{"ATABEKOV, Khazalbek Bakhtibekovich", "ATABEKAU, Khazalbek Bakhtsibekavich", 0.8, 1},
		{"GUZEL, Jebrail", "GUZEL, Cebrail", 0.85, 1},
		{"Vladimiras Putinas", "Vladimir Vladimirovich PUTIN", 0.8, 1},
		// Han against Han: a given syllable left over, or the given
		// syllables out of order, make another name.
		{"汪军", "王君正", 0, 0.75},
		{"王军玉", "王君正", 0, 0.75},
		{"王政君", "王君正", 0, 0.8},
		{"王君正", "王君正", 0.9, 1},
		// A Hangul query against a Korean name of one more syllable.
		{"김상우", "Sung Su KIM", 0, 0.75},
		{"신로아", "Sin Song RI", 0, 0.75},
		{"김성수", "KIM Song Su", 0.8, 1},
		// A Cyrillic name romanized is still found.
		{"Игорь Костин", "Igor Vladimirovich KOSTIN", 0.8, 1},
		// A short legal form spelled by an Arabic word's romanization.
		{"نوفین لابد", "Noavin Ltd.", 0, 0.7},
	} {
		m := match.Compare(interdict.Query{Name: tc.a}, interdict.Query{Name: tc.b}, match.DefaultWeights())
		if m.Score < tc.lo || m.Score > tc.hi {
			t.Errorf("Compare(%q, %q) = %.3f, want in [%.2f, %.2f]", tc.a, tc.b, m.Score, tc.lo, tc.hi)
		}
	}
}

var (
	benchOnce sync.Once
	benchEnts []interdict.Entity
	benchErr  error
)

func bundled(b *testing.B) []interdict.Entity {
	b.Helper()
	benchOnce.Do(func() { benchEnts, _, benchErr = evalgen.LoadLists("../../shared/data/lists") })
	if benchErr != nil {
		b.Skip("bundled lists not available in ../shared/data/lists:", benchErr)
	}
	return benchEnts
}

// BenchmarkNewIndex builds the index over every bundled list and reports
// the heap per entity.
func BenchmarkNewIndex(b *testing.B) {
	ents := bundled(b)
	var names int
	for _, e := range ents {
		names += len(e.Names)
	}
	var ix *match.Index
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for b.Loop() {
		ix = match.NewIndex(ents)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(len(ents)), "entities")
	b.ReportMetric(float64(names), "names")
	b.ReportMetric(float64(ix.Names()), "forms")
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(ents)), "heapB/entity")
}

var benchQueries = []string{"Mohammed Ali", "Vladimir Putin", "Jon Smith", "BELLETECH CORP", "Usama bin Ladin", "Ali Akbar Velayati",
	"Rosneft Trading SA", "Kim Jong Un", "محمد بن سلمان", "Сергей Шойгу", "Hassan Nasrallah", "Banco Nacional de Cuba", "Abdul Rahman Yasin", "OCEAN STAR", "Emma Daniels", "Islamic Revolutionary Guard Corps"}

// BenchmarkSearch screens single names against every bundled list, in
// parallel (run with -cpu 2 for the 2-core figure).
func BenchmarkSearch(b *testing.B) {
	ix := match.NewIndex(bundled(b))
	b.ResetTimer()
	var i int
	var mu sync.Mutex
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		k := i
		i++
		mu.Unlock()
		for pb.Next() {
			ix.Search(interdict.Query{Name: benchQueries[k%len(benchQueries)]}, match.Options{})
			k++
		}
	})
	_ = fmt.Sprint()
}

// A name with a legal form reads as an organisation's: against a person it
// carries kind evidence against, and it does not against an organisation.
func TestIndex_Search_ReadKind(t *testing.T) {
	ix := match.NewIndex(fixtures())
	kindEffect := func(q, id string) (float64, bool) {
		for _, m := range ix.Search(interdict.Query{Name: q}, match.Options{Limit: 20}) {
			if m.Entity.ID != id {
				continue
			}
			for _, ev := range m.Explanation.Evidence {
				if ev.Feature == "kind" {
					return ev.Effect, true
				}
			}
			return 0, true
		}
		return 0, false
	}
	if eff, found := kindEffect("John Smith Ltd", "t:1"); !found || eff >= 0 {
		t.Errorf("John Smith Ltd against the person John Smith: kind effect %.3f (found %v), want below 0", eff, found)
	}
	if eff, found := kindEffect("Belletech Ltd", "t:2"); !found || eff != 0 {
		t.Errorf("Belletech Ltd against BELLETECH CORP: kind effect %.3f (found %v), want none", eff, found)
	}
	if eff, found := kindEffect("John Smith", "t:1"); !found || eff != 0 {
		t.Errorf("John Smith against John Smith: kind effect %.3f (found %v), want none", eff, found)
	}
}

func FuzzCompare(f *testing.F) {
	for _, p := range [][2]string{
		{"Jon Smith", "John Smith"}, {"محمد بن سلمان", "Mohammed bin Salman"}, {"Сергей Шойгу", "Sergei SHOIGU"},
		{"海伦娜·阿波里纳里奥", "Helena Apolinario"}, {"ג'ונו ז'ורדי", "Juno Jordy"}, {"NPO LUCH, OAO", "Novosibirskoe Proizvodstvennoe Obedinenie LUCH"},
		{"", "x"}, {"a b c d e f g", "g f e d c b a"},
	} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) || len(a) > 200 || len(b) > 200 {
			return
		}
		m := match.Compare(interdict.Query{Name: a}, interdict.Query{Name: b}, match.DefaultWeights())
		if m.Score < 0 || m.Score > 1 || m.Score != m.Score {
			t.Fatalf("Compare(%q, %q) = %v, want in [0, 1]", a, b, m.Score)
		}
		if m2 := match.Compare(interdict.Query{Name: a}, interdict.Query{Name: b}, match.DefaultWeights()); m2.Score != m.Score {
			t.Fatalf("Compare(%q, %q) not deterministic: %v, %v", a, b, m.Score, m2.Score)
		}
	})
}

// A query typed in Latin letters meets an entity's Arabic-script name only
// when the entity has no Latin name: "Li Lu" is not لؤي العلي (Luay AL-ALI),
// whose Latin name stands for it.
func TestSearch_LatinQueryAgainstArabicName(t *testing.T) {
	withLatin := interdict.Entity{ID: "t:a", List: "t", Kind: interdict.KindPerson, Names: []interdict.Name{
		{Full: "Luay AL-ALI", Quality: interdict.NamePrimary},
		{Full: "لؤي العلي", Quality: interdict.NameOriginal, Script: "Arab"}}}
	arabicOnly := withLatin
	arabicOnly.ID, arabicOnly.Names = "t:b", withLatin.Names[1:]
	ix := match.NewIndex([]interdict.Entity{withLatin, arabicOnly})
	score := map[string]float64{}
	for _, m := range ix.Search(interdict.Query{Name: "Li Lu"}, match.Options{Limit: 5}) {
		score[m.Entity.ID] = m.Score
	}
	if score["t:a"] >= 0.8 {
		t.Errorf("Li Lu alerts on Luay AL-ALI through its Arabic name: %.3f", score["t:a"])
	}
	if score["t:b"] <= score["t:a"] {
		t.Errorf("Li Lu: the entity with an Arabic name only scores %.3f, not above the one with a Latin name (%.3f): its name was not met", score["t:b"], score["t:a"])
	}
	ms := ix.Search(interdict.Query{Name: "Luay al-Ali"}, match.Options{Limit: 2})
	if len(ms) == 0 || ms[0].Entity.ID != "t:a" || ms[0].Score < 0.8 {
		t.Errorf("Luay al-Ali does not find Luay AL-ALI first: %v", ms)
	}
}

func TestGenderEvidence(t *testing.T) {
	w := match.DefaultWeights()
	gender := func(m match.Match) (float64, bool) {
		for _, ev := range m.Explanation.Evidence {
			if ev.Feature == "gender" {
				return ev.Effect, true
			}
		}
		return 0, false
	}
	person := interdict.KindPerson
	// Both genders given and different: evidence against, never enough
	// alone to clear a name that matches word for word.
	m := match.Compare(interdict.Query{Name: "Anna Kowalska", Kind: person, Gender: "female"}, interdict.Query{Name: "Anna Kowalska", Kind: person, Gender: "male"}, w)
	if eff, ok := gender(m); !ok || eff >= 0 || m.Score < 0.8 {
		t.Errorf("declared genders differ: effect %v (%v), score %.3f; want a cost and a score of 0.8 or more", eff, ok, m.Score)
	}
	// The listed gender read from the given name (Maria) against a man.
	m = match.Compare(interdict.Query{Name: "Maria Santos", Kind: person, Gender: "male"}, interdict.Query{Name: "Maria Santos", Kind: person}, w)
	if eff, ok := gender(m); !ok || eff >= 0 || eff <= -w.GenderMismatch {
		t.Errorf("declared male against Maria: effect %v (%v), want a cost below the declared one", eff, ok)
	}
	// The same gender costs nothing.
	m = match.Compare(interdict.Query{Name: "Maria Santos", Kind: person, Gender: "female"}, interdict.Query{Name: "Maria Santos", Kind: person}, w)
	if _, ok := gender(m); ok {
		t.Errorf("same gender: unexpected gender evidence %+v", m.Explanation.Evidence)
	}
}
