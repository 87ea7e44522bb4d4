// genders.mjs prints, for normalize/internal/gengenders, every one-word name
// of the person tables of every locale of @faker-js/faker (real name data
// collected per locale by its authors), once per locale that lists it, with
// the list: "f" a female first name, "m" a male one, "x" a generic (unisex)
// first name, "l" a last name. Each line is "name<TAB>f|m|x|l", the name as
// faker writes it (any script). gengenders romanizes the names and keeps the
// usual gender of those one gender bears in normalize/genders.tsv, which is
// committed; run again only to replace it, with the same version:
//
//	npm install --no-save @faker-js/faker@10.6.0
//	node normalize/genders.mjs | go run ./normalize/internal/gengenders > normalize/genders.tsv
import { allFakers } from '@faker-js/faker';

const out = [];
for (const [, f] of Object.entries(allFakers)) {
  const p = f.rawDefinitions?.person;
  if (!p) continue;
  const seen = new Set(); // name TAB list, once per locale
  const add = (n, s) => {
    n = n.normalize('NFC').trim();
    if (!n || /\s/.test(n) || seen.has(`${n}\t${s}`)) return;
    seen.add(`${n}\t${s}`);
    out.push(`${n}\t${s}`);
  };
  const fn = p.first_name || {};
  for (const n of fn.female || []) add(n, 'f');
  for (const n of fn.male || []) add(n, 'm');
  for (const n of fn.generic || []) add(n, 'x');
  const ln = p.last_name;
  const lasts = Array.isArray(ln) ? ln : Object.values(ln || {}).flat();
  for (const n of lasts) if (typeof n === 'string') add(n, 'l');
}
out.sort();
process.stdout.write(out.join('\n') + '\n');
