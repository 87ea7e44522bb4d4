package scan

import "strings"

// commonWords are everyday words of English, French, German and Spanish
// (and place-like words) that list aliases are made of: a name whose name
// parts are all common words ("UNION", "HOLLAND", "GOLDEN STAR") must be
// written out in full, capitalised, to be a mention. Lower case ASCII.
var commonWords = set(`
a about above across act action active after again against age agency air al all alliance alpha also america american an and
angel any apex april arab arrow art as asia asian at atlas august authority autumn award back bay be beach bear bell best beta
big bird black blue board bold boss bridge bright brother brown build business by call camp capital care care carrier case
cedar center central centre century chain challenge champion change charity china chinese city civil clean clear club coast
code cold commerce commercial common community company concord construction continental control cooperation corner corporation
council country creative crescent crown crystal cultural culture cyber daily dawn day december deep delta democratic design
development diamond digital direct district do dragon dream east eastern eagle easy economic eight electric elite emerald
empire energy engineering enterprise enterprises equity euro europe european ever express fair faith falcon family far fast
february federal fidelity field film final finance financial first five flag flower fly for force foreign forest fortune
forum forward foundation four free freedom friday friend friendship from front future garden gas gate general global go gold
golden good grace grand great green group growth guard gulf happy harbor harbour health heart heritage high highway hill
holding holdings holland home honor hope horizon house human hunter ice ideal image imperial import in independent india
industrial industries industry info information inter international investment investments iron island islamic it january
jewel joint journal journey july june just justice key king kingdom labor labour lake land last leader league legal liberty
life light limited line link lion live local logistics long lord love lucky machine magic main march marine maritime mark
market master may media medical mega metal middle military mind mining mission modern monday moon morning mother motor
mountain movement mutual my nation national natural navy network new news next night nine no noble north northern november
now object ocean october of office oil on one open orient oriental original pacific palm paradise park partner partners
party peace pearl people perfect pilot pioneer planet plus point popular port power premier president press prime prince
progress project prosperity public pure quality queen rainbow rapid real red reform regional republic research resource
resources revolution rich right river road rock rose royal rubin safe saint sales san sea season second secure security
september service services seven shadow shield shine ship shipping silver six sky smart social society solar solid south
southern space special spirit spring square standard star state steel stone storm strategic strong summer sun sunday sunrise
super supply support supreme swift system systems tech technology ten the three tiger time today top tower trade trading
trans transport travel trust truth two under union united unity universal university van venture victory view village
vision vista voice volunteer war water wave way welcome west western white wind wing winter wisdom with wood world year
yellow young youth zenith zone
afghan african albanian algerian american arab arabian argentine armenian asian australian austrian azerbaijani
belarusian belgian bolivian bosnian brazilian british bulgarian burmese cambodian canadian chechen chilean chinese
colombian congolese croatian cuban cypriot czech danish dutch egyptian emirati english eritrean estonian ethiopian
european filipino finnish french georgian german ghanaian greek haitian hungarian indian indonesian iranian iraqi
irish israeli italian japanese jordanian kazakh kenyan korean kurdish kuwaiti kyrgyz lao latvian lebanese libyan
lithuanian malaysian malian mexican moldovan mongolian moroccan nepali nigerian norwegian omani pakistani palestinian
persian peruvian polish portuguese qatari romanian russian rwandan saudi serbian singaporean slovak somali spanish
sudanese swedish swiss syrian taiwanese tajik thai tunisian turkish turkmen ugandan ukrainian uzbek venezuelan
vietnamese yemeni zimbabwean soviet counter terror terrorism terrorist anti
mohammed muhammad mohammad mohamed ahmed ahmad ali hassan hasan hussein husain hussain omar umar abdullah abdul
abdel abdulrahman abdurrahman rahman khalid khaled ibrahim ismail yusuf youssef mustafa mahmoud jamal karim said
salem saleh nasser khan western eastern northern southern central ministry finance affairs defence defense
nacional nationale nazionale internacional internationale le la les de des du et un une nouvelle nouveau grand grande société banque
der die das und mit neue neu bank gesellschaft
el los las del y nuevo nueva banco sociedad empresa
`)

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// uncasedCommon are frequent words of Arabic and Persian (folded as
// normalize.Fold folds them) that never match a name part by sound alone.
var uncasedCommon = set(`
قال قالت يقول تقول ان انه انها في من علي الي عن مع هذا هذه ذلك التي الذي الذين كان كانت وقال وقالت بعد قبل حيث كما او ثم
اعلن اعلنت اكد اكدت مصدر مصادر الحكومه الشركه وزاره وزير رييس الرييس
گفت گفته کرد کرده است بود شد شده این آن برای با از به در که را تا هم نیز اعلام گزارش دولت وزارت وزیر شرکت رییس
`)

// commonHash holds the hashes of commonWords, to test a token without
// building its text.
var commonHash = func() map[uint64]bool {
	m := make(map[uint64]bool, len(commonWords))
	for w := range commonWords {
		m[hashString(w)] = true
	}
	return m
}()

// common reports whether token i is a common word (a Latin token only).
func (d *doc) common(i int) bool {
	t := &d.toks[i]
	return t.flags&fLatin != 0 && commonHash[t.rom]
}
