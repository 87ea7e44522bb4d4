// generate.mjs writes the ordinary-customer evaluation set (customers.jsonl.gz
// beside it): realistic synthetic people of many locales, in their own script
// and in Latin, each with a birth date and a sex, from @faker-js/faker's
// locale name tables. The set is independent of the lists and of the rest of
// interdict: nothing here reads a list or calls interdict's own code, and the
// Latin forms of non-Latin names come from any-ascii (and, for Korean family
// names, the conventional spellings below), not from interdict's romanizer.
//
// Each split has its own seed, so the sealed split shares no random stream
// with dev or test. The output is frozen and committed; run again only to
// replace the whole set, with the same versions:
//
//	npm install --no-save @faker-js/faker@10.6.0 any-ascii@0.3.3
//	node eval/data/customers.mjs > eval/data/customers.jsonl && gzip -9n eval/data/customers.jsonl
import { allFakers } from '@faker-js/faker';
import anyAsciiMod from 'any-ascii';
const anyAscii = anyAsciiMod.default || anyAsciiMod;

// seeds per split: dev for tuning, test for the figures of a change, sealed
// run once per round (eval/README.md).
const SEEDS = { dev: 20261203, test: 5550123, sealed: 918273645 };
// PER_FAMILY names of every script family in every split.
const PER_FAMILY = 5000;

// family: the script family a locale's names are written in. order: "fg"
// family name first (no space for zh/ko), "gf" given name first.
const LOCALES = {
  Latn: ['en_US', 'en_GB', 'en_IN', 'en_NG', 'es', 'es_MX', 'pt_BR', 'pt_PT', 'fr', 'de', 'it', 'pl', 'nl', 'sv', 'nb_NO', 'da', 'fi', 'cs_CZ', 'sk', 'hr', 'sr_RS_latin', 'ro', 'hu', 'tr', 'az', 'uz_UZ_latin', 'id_ID', 'vi', 'lv', 'yo_NG', 'zu_ZA', 'af_ZA'],
  Hang: ['ko'],
  Hani: ['zh_CN', 'zh_TW'],
  Jpan: ['ja'],
  Arab: ['ar', 'fa', 'ur', 'ku_ckb'],
  Cyrl: ['ru', 'uk', 'mk'],
  Hebr: ['he'],
  Grek: ['el'],
  Deva: ['ne'],
  Thai: ['th'],
  Geor: ['ka_GE'],
  Armn: ['hy'],
};
const FAMILY_FIRST = new Set(['ko', 'zh_CN', 'zh_TW', 'ja', 'hu', 'vi']);
const NO_SPACE = new Set(['ko', 'zh_CN', 'zh_TW']);
// LATIN: families whose Latin form is made too (any-ascii gives Arabic,
// Hebrew and Thai without their vowels, not a form customers write).
const LATIN = new Set(['Hang', 'Hani', 'Cyrl', 'Grek', 'Geor', 'Armn', 'Deva']);

// Conventional Latin spellings of common Korean family names (as in
// passports), used for half of the Korean Latin forms; the other half keep
// any-ascii's Revised Romanization.
const KO_FAMILY = { '김': 'Kim', '이': 'Lee', '박': 'Park', '최': 'Choi', '정': 'Jung', '강': 'Kang', '조': 'Cho', '윤': 'Yoon', '장': 'Jang', '임': 'Lim', '한': 'Han', '오': 'Oh', '서': 'Seo', '신': 'Shin', '권': 'Kwon', '황': 'Hwang', '안': 'Ahn', '송': 'Song', '류': 'Ryu', '유': 'Yoo', '홍': 'Hong', '전': 'Jeon', '고': 'Ko', '문': 'Moon', '양': 'Yang', '손': 'Son', '배': 'Bae', '백': 'Baek', '허': 'Heo', '노': 'Noh', '심': 'Shim', '하': 'Ha', '곽': 'Kwak', '성': 'Sung', '차': 'Cha', '주': 'Joo', '우': 'Woo', '구': 'Koo', '민': 'Min', '진': 'Jin', '나': 'Na', '지': 'Ji', '엄': 'Um', '변': 'Byun', '채': 'Chae', '원': 'Won', '방': 'Bang', '공': 'Kong', '현': 'Hyun', '함': 'Ham', '여': 'Yeo', '추': 'Choo', '도': 'Do', '소': 'So', '석': 'Seok', '선': 'Sun', '설': 'Seol', '마': 'Ma', '길': 'Gil', '연': 'Yeon', '위': 'Wi', '표': 'Pyo', '명': 'Myung', '기': 'Ki', '반': 'Ban', '왕': 'Wang', '금': 'Keum', '옥': 'Ok', '육': 'Yook', '인': 'In', '맹': 'Maeng', '제': 'Je', '모': 'Mo', '탁': 'Tak', '국': 'Kook', '어': 'Eo', '은': 'Eun', '편': 'Pyeon', '용': 'Yong', '예': 'Ye', '경': 'Kyung', '봉': 'Bong', '사': 'Sa', '부': 'Boo', '황보': 'Hwangbo', '남궁': 'Namgung', '제갈': 'Jegal', '선우': 'Sunwoo' };

function cap(s) { return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(); }

function latin(locale, family, given, rng) {
  const g = cap(anyAscii(given).replace(/'/g, ''));
  let f = cap(anyAscii(family).replace(/'/g, ''));
  if (locale === 'ko' && KO_FAMILY[family] && rng() < 0.5) f = KO_FAMILY[family];
  if (locale === 'ko' || locale.startsWith('zh')) {
    // Latin forms of East Asian names come both ways round.
    return rng() < 0.5 ? `${f} ${g}` : `${g} ${f}`;
  }
  return `${g} ${f}`;
}

function pad(n) { return String(n).padStart(2, '0'); }

const out = [];
// seen holds every name written so far: a name is in one split only.
const seen = new Set();
for (const [split, seed] of Object.entries(SEEDS)) {
  let n = 0;
  for (const [fam, locales] of Object.entries(LOCALES)) {
    let i = 0, tries = 0;
    while (i < PER_FAMILY && tries < PER_FAMILY * 20) {
      tries++;
      const locale = locales[(i + tries) % locales.length];
      const f = allFakers[locale];
      f.seed(seed + tries * 7919 + fam.charCodeAt(0) * 104729);
      const sex = f.person.sexType();
      const given = f.person.firstName(sex);
      const family = f.person.lastName(sex);
      let name;
      if (FAMILY_FIRST.has(locale)) name = NO_SPACE.has(locale) ? family + given : `${family} ${given}`;
      else name = `${given} ${family}`;
      // Russian and Ukrainian customers often give their patronymic.
      if ((locale === 'ru' || locale === 'uk') && f.number.int(2) === 0) {
        try { name = `${family} ${given} ${f.person.middleName(sex)}`; } catch { /* none */ }
      }
      if (seen.has(name)) continue;
      seen.add(name);
      const d = f.date.birthdate({ mode: 'age', min: 18, max: 90, refDate: '2026-01-01T00:00:00Z' });
      const dob = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
      n++;
      const rec = { id: `cust-${split}-${String(n).padStart(6, '0')}`, split, locale, family: fam, sex, name, dob };
      if (LATIN.has(fam)) rec.latin = latin(locale, family, given, () => f.number.float({ min: 0, max: 1 }));
      out.push(JSON.stringify(rec));
      i++;
    }
  }
}
process.stdout.write(out.join('\n') + '\n');
