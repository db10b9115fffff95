// Text helpers for the registration form: folding for search, opening hours, YAML for the fallback.

const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

// ccdir.core.textnorm.fold, ported: Latin letters folded by one table (NFKD without marks; œ → oe…),
// typographic apostrophes, dashes and spaces as spaces; other scripts keep their letters.
// tests/test_form_parity.py holds the two to the same answers.
const SPECIAL = { 'œ': 'oe', 'Œ': 'oe', 'æ': 'ae', 'Æ': 'ae', 'ß': 'ss', 'ø': 'o', 'Ø': 'o', 'đ': 'd', 'Đ': 'd',
  'ł': 'l', 'Ł': 'l', 'ı': 'i', 'þ': 'th', 'Þ': 'th', 'ð': 'd', 'Ð': 'd' };
const TABLE = (() => {
  const table = new Map();
  for (let cp = 0x80; cp < 0x250; cp += 1) {
    const ch = String.fromCodePoint(cp);
    if (ch in SPECIAL) { table.set(ch, SPECIAL[ch]); continue; }
    const base = ch.normalize('NFKD').replace(/\p{Mn}/gu, '');
    table.set(ch, /^[A-Za-z0-9]+$/.test(base) ? base : ' ');
  }
  for (const ch of '\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\u2009') table.set(ch, ' ');
  return table;
})();
const translate = (s) => [...s].map((ch) => (TABLE.has(ch) ? TABLE.get(ch) : ch)).join('');

/** Lowercase, no accents, punctuation as spaces: « Pâtisserie » → « patisserie » (ccdir.core.textnorm.fold). */
export function fold(text) {
  let s = translate(String(text || '')).toLowerCase();
  if (/^[\x00-\x7f]*$/.test(s)) return s.replace(/[^0-9a-z]+/g, ' ').trim();
  s = s.normalize('NFKD').replace(/\p{Mn}/gu, '');
  return translate(s).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Days (["Mo", …, "Sa"]) and times → OpenStreetMap opening_hours: « Mo-Sa 09:00-12:00,14:00-19:00 ». */
export function composeHours(days, amOpen, amClose, pmOpen, pmClose) {
  const chosen = DAYS.filter((d) => days.includes(d));
  if (!chosen.length) return '';
  const groups = [];
  let start = null;
  let prev = -2;
  for (const d of chosen) {
    const i = DAYS.indexOf(d);
    if (i !== prev + 1) {
      if (start !== null) groups.push([start, prev]);
      start = i;
    }
    prev = i;
  }
  groups.push([start, prev]);
  const dayText = groups.map(([a, b]) => (a === b ? DAYS[a] : b === a + 1 ? `${DAYS[a]},${DAYS[b]}` : `${DAYS[a]}-${DAYS[b]}`)).join(',');
  const ranges = [];
  if (amOpen && amClose && pmOpen && pmClose) ranges.push(`${amOpen}-${amClose}`, `${pmOpen}-${pmClose}`);
  else if (amOpen && amClose) ranges.push(`${amOpen}-${amClose}`);
  else if (amOpen && pmClose) ranges.push(`${amOpen}-${pmClose}`);
  else if (pmOpen && pmClose) ranges.push(`${pmOpen}-${pmClose}`);
  if (!ranges.length) return '';
  return `${dayText} ${ranges.join(',')}`;
}

const quote = (s) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

function scalar(value) {
  if (typeof value === 'string') return quote(value);
  return String(value);
}

/** YAML for the fallback (e-mail, GitHub issue); `ccdir intake` rewrites it in the canonical layout. */
export function toYaml(data, indent = '') {
  const lines = [];
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v !== 'object')) {
        lines.push(`${indent}${key}: [${value.map(scalar).join(', ')}]`);
      } else {
        lines.push(`${indent}${key}:`);
        for (const item of value) {
          const inner = toYaml(item, `${indent}    `).split('\n');
          lines.push(`${indent}  - ${inner[0].trimStart()}`, ...inner.slice(1));
        }
      }
    } else if (typeof value === 'object') {
      lines.push(`${indent}${key}:`, toYaml(value, `${indent}  `));
    } else {
      lines.push(`${indent}${key}: ${scalar(value)}`);
    }
  }
  return lines.filter((l) => l !== '').join('\n');
}
