// Text helpers for the registration form: folding for search, opening hours, YAML for the fallback.

const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

/** Lowercase, no accents, punctuation as spaces: « Pâtisserie » → « patisserie » (like ccdir.textnorm.fold). */
export function fold(text) {
  return String(text || '').replace(/œ/gi, 'oe').replace(/æ/gi, 'ae').normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
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
