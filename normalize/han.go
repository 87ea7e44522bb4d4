package normalize

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// Han names are romanized in Hanyu Pinyin without tones, the spelling of
// PRC passports and of Chinese names on sanctions lists, with the readings
// of github.com/mozillazg/go-pinyin (MIT), which follow the common reading of
// each character (卡 ka, 娜 na, 宁 ning, where go-unidecode gives qia, nuo,
// zhu). A family name takes its reading as a family name (曾 Zeng, 单 Shan).
//
// The layout of the syllables depends on what the Han word is:
//
//   - a Chinese personal name (a common family name and one to three more
//     characters): the family name, then the given name joined (ICAO, "xi
//     jinping") or syllable by syllable (the other systems, "xi jin ping");
//   - a transcribed foreign name (a name written in two or more Han words
//     split by a middle dot, 乔治·布什, or a word not starting with a family
//     name): every word one token, its syllables joined ("qiaozhi bushi"),
//     for its syllables are sounds, not name parts, and must not match
//     short name parts one by one;
//   - a longer word (a company name): syllable by syllable, and (ICAO) in
//     pairs of syllables, the usual length of a Chinese word ("changan
//     hailian jishu").

// hanSurnames are the commonest Chinese family names (simplified and
// traditional forms), with their reading as a family name where it differs
// from the character's common reading.
var hanSurnames = func() map[rune]string {
	m := map[rune]string{}
	for _, r := range "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭肖田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付傅方白邹鄒孟熊秦邱江尹薛闫閆段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童凌毕畢单單季裴霍涂成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦麥褚娄婁窦竇戚岑景党宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池查麻苑迟遲邝鄺朴" {
		m[r] = ""
	}
	for r, s := range map[rune]string{
		'曾': "zeng", '单': "shan", '單': "shan", '解': "xie", '仇': "qiu", '朴': "piao", '区': "ou", '區': "ou",
		'查': "zha", '翟': "zhai", '覃': "qin", '尉': "yu", '缪': "miao", '繆': "miao", '盖': "ge", '蓋': "ge",
		'乐': "yue", '樂': "yue", '种': "chong", '種': "chong", '秘': "bi", '任': "ren", '沈': "shen", '万': "wan",
		'萬': "wan", '叶': "ye", '葉': "ye", '宁': "ning", '寧': "ning", '柏': "bai", '薄': "bo", '长': "chang", '長': "chang",
		'重': "chong", '员': "yun", '員': "yun", '折': "she", '祭': "zhai", '尤': "you", '吕': "lu", '呂': "lu",
	} {
		m[r] = s
	}
	return m
}()

// hanCompoundSurnames are two-character family names.
var hanCompoundSurnames = []string{"欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "尉迟", "尉遲", "公孙", "公孫", "慕容", "令狐", "长孙", "長孫", "宇文", "司徒", "夏侯", "轩辕", "軒轅", "端木", "独孤", "獨孤", "南宫", "南宮", "西门", "西門"}

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal
	a.Fallback = func(r rune, _ pinyin.Args) []string {
		return []string{strings.ToLower(strings.TrimSpace(unidecodeRune(r)))}
	}
	return a
}()

// hanSyllable returns the toneless pinyin of one Han character (ü as u).
func hanSyllable(r rune) string {
	p := pinyin.SinglePinyin(r, pinyinArgs)
	if len(p) == 0 || p[0] == "" {
		return strings.ToLower(strings.TrimSpace(unidecodeRune(r)))
	}
	return strings.ReplaceAll(p[0], "v", "u")
}

func isHanWord(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return len(rs) > 0
}

// hanContext is what the other words of a name say about its Han words.
type hanContext struct {
	any     bool // the name has a word of Han characters only
	foreign bool // two or more Han words and no company word: 乔治·布什 (folded to "乔治 布什")
	company bool // a Han word holds a company word (公司, 有限, 集团, ...)
}

// hanCompanyWords mark a Han name as an organisation's.
var hanCompanyWords = []string{"公司", "有限", "集团", "集團", "会社", "會社", "银行", "銀行", "大学", "大學", "协会", "協會", "工厂", "工廠", "贸易", "貿易", "科技", "国际", "國際", "研究", "委员会", "委員會", "机构", "機構", "中心", "株式"}

func hanContextOf(words []string) hanContext {
	var hc hanContext
	n := 0
	for _, w := range words {
		if !isHanWord([]rune(w)) {
			continue
		}
		hc.any = true
		n++
		for _, c := range hanCompanyWords {
			if strings.Contains(w, c) {
				hc.company = true
			}
		}
	}
	hc.foreign = n >= 2 && !hc.company
	return hc
}

// hanKind classes a Han word.
type hanKind uint8

const (
	hanPerson  hanKind = iota // family name + given name
	hanForeign                // a transcribed foreign name part
	hanLong                   // a company or place name
)

func classifyHan(rs []rune, hc hanContext) (hanKind, int) {
	switch {
	case hc.foreign:
		return hanForeign, 0
	case hc.company:
		return hanLong, 0
	}
	if len(rs) >= 3 {
		for _, c := range hanCompoundSurnames {
			if strings.HasPrefix(string(rs), c) && len(rs) <= 4 {
				return hanPerson, 2
			}
		}
	}
	_, sur := hanSurnames[rs[0]]
	switch {
	case len(rs) >= 5:
		return hanLong, 0
	case sur && len(rs) >= 2:
		return hanPerson, 1
	case len(rs) == 1:
		return hanPerson, 1
	}
	return hanForeign, 0
}

// romanizeHan romanizes a word of Han characters in one system.
func romanizeHan(rs []rune, sys System, hc hanContext) string {
	kind, nsur := classifyHan(rs, hc)
	syl := make([]string, len(rs))
	for i, r := range rs {
		syl[i] = hanSyllable(r)
	}
	if kind == hanPerson && nsur == 1 {
		if s := hanSurnames[rs[0]]; s != "" {
			syl[0] = s
		}
	}
	switch kind {
	case hanForeign:
		return strings.Join(syl, "")
	case hanPerson:
		fam := strings.Join(syl[:nsur], "")
		if nsur == len(syl) {
			return fam
		}
		if sys == ICAO {
			return fam + " " + strings.Join(syl[nsur:], "")
		}
		return fam + " " + strings.Join(syl[nsur:], " ")
	}
	if sys != ICAO {
		return strings.Join(syl, " ")
	}
	var b strings.Builder
	for i := 0; i < len(syl); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(syl[i])
		if i+1 < len(syl) {
			b.WriteString(syl[i+1])
		}
	}
	return b.String()
}

// ChinesePersonalName reports whether s reads as a Chinese person's name:
// one word of two to four Han characters that starts with a common family
// name of the common ones (廖宁, 王小明, 欧阳修), with no company word in it.
func ChinesePersonalName(s string) bool {
	words := strings.Fields(Fold(s))
	if len(words) != 1 {
		return false
	}
	rs := []rune(words[0])
	if len(rs) < 2 || len(rs) > 4 || !isHanWord(rs) {
		return false
	}
	hc := hanContextOf(words)
	if hc.company {
		return false
	}
	k, _ := classifyHan(rs, hc)
	return k == hanPerson
}
