// Day-by-day hours editor: progressively enhances each hours text field of the registration form
// (`input[data-hours]`, or the fields named opening_hours / click_and_collect.pickup_hours).
// The text field stays the source of truth: the rows write the canonical OSM value into it
// (identical days grouped, « Mo-Sa 09:00-12:00,14:00-19:00; PH off »), and a value typed in the field
// (OSM or French, read by checkHours) is read back into the rows when they can show it; otherwise the
// editor steps aside (« texte libre ») and only shows the normalised value. No inline style or script.
import { checkHours } from './hours.js';

const CODES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const SELECTOR = 'input[data-hours], input[name="opening_hours"], input[name="click_and_collect.pickup_hours"]';
const CLOSED = { kind: 'closed', ranges: [] };
let counter = 0;

// --- OSM value <-> week (7 days, each { kind: closed|split|continuous, ranges: [[from, to], …] }) -------

const TIME = '([01]\\d|2[0-4]):([0-5]\\d)';
const RANGE_RE = new RegExp(`^${TIME}-${TIME}$`);

function parseDays(text) {
  const days = new Set();
  for (const part of text.split(',')) {
    const m = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$/.exec(part);
    if (!m) return null;
    const a = CODES.indexOf(m[1]);
    const b = m[2] ? CODES.indexOf(m[2]) : a;
    for (let d = a; ; d = (d + 1) % 7) { days.add(d); if (d === b) break; }
  }
  return days;
}

/** The week an OSM value describes, or null when rows cannot show it (then: free text). */
export function readWeek(value) {
  const week = CODES.map(() => CLOSED);
  let holidays = 'open';
  const text = (value || '').trim();
  if (!text) return { week, holidays };
  for (const rule of text.split(';').map((r) => r.trim()).filter(Boolean)) {
    if (/^PH\s+(off|closed)$/.test(rule)) { holidays = 'closed'; continue; }
    const m = /^(\S+)\s+(.+)$/.exec(rule);
    if (!m) return null;
    const days = parseDays(m[1]);
    if (!days) return null;
    let day;
    if (/^(off|closed)$/.test(m[2])) {
      day = CLOSED;
    } else {
      const ranges = [];
      for (const r of m[2].split(',')) {
        const t = RANGE_RE.exec(r.trim());
        if (!t) return null;
        const from = `${t[1]}:${t[2]}`;
        const to = `${t[3]}:${t[4]}`;
        if (to !== '24:00' && to <= from) return null;  // past midnight: leave it to the text field
        ranges.push([from, to === '24:00' ? '23:59' : to]);
      }
      if (ranges.length > 2 || (ranges.length === 2 && ranges[1][0] <= ranges[0][1])) return null;
      day = { kind: ranges.length === 2 ? 'split' : 'continuous', ranges };
    }
    days.forEach((d) => { week[d] = day; });
  }
  return { week, holidays };
}

const dayKey = (day) => (day.kind === 'closed' ? 'off' : day.ranges.map((r) => r.join('-')).join(','));

/** Runs of consecutive days: [[0, 5]] for Mo-Sa, [[0, 0], [2, 2]] for Mo,We. */
function runs(days) {
  const out = [];
  for (const d of days) {
    const last = out[out.length - 1];
    if (last && last[1] === d - 1) last[1] = d; else out.push([d, d]);
  }
  return out;
}

/** The canonical OSM value: identical days grouped, in week order, then « PH off ». */
export function writeWeek(week, holidays) {
  const groups = new Map();
  week.forEach((day, d) => {
    if (day.kind === 'closed') return;
    const key = dayKey(day);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(d);
  });
  const rules = [...groups].map(([key, days]) => `${runs(days).map(([a, b]) => (
    a === b ? CODES[a] : `${CODES[a]}${b === a + 1 ? ',' : '-'}${CODES[b]}`)).join(',')} ${key}`);
  if (rules.length && holidays === 'closed') rules.push('PH off');
  return rules.join('; ');
}

// --- French description ----------------------------------------------------------------------------

const hour = (t) => { const [h, m] = t.split(':').map(Number); return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`; };
const list = (items) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} et ${items[items.length - 1]}`);

function frenchDays(days) {
  const parts = runs(days);
  if (parts.length === 1 && parts[0][1] - parts[0][0] >= 2) return `du ${NAMES[parts[0][0]]} au ${NAMES[parts[0][1]]}`;
  if (parts.length === 1 && parts[0][0] === parts[0][1]) return `le ${NAMES[parts[0][0]]}`;
  return list(parts.flatMap(([a, b]) => (b - a >= 2 ? [`du ${NAMES[a]} au ${NAMES[b]}`] : NAMES.slice(a, b + 1))));
}

/** « Du lundi au samedi, 9 h – 12 h et 14 h – 19 h ; fermé les jours fériés » */
export function describeWeek(week, holidays) {
  const groups = new Map();
  week.forEach((day, d) => {
    if (day.kind === 'closed') return;
    const key = dayKey(day);
    if (!groups.has(key)) groups.set(key, { day, days: [] });
    groups.get(key).days.push(d);
  });
  if (!groups.size) return 'Aucun jour d’ouverture.';
  const parts = [...groups.values()].map(({ day, days }) => `${frenchDays(days)}, ${list(day.ranges.map(([a, b]) => `${hour(a)} – ${hour(b)}`))}`);
  if (holidays === 'closed') parts.push('fermé les jours fériés');
  const text = parts.join(' ; ');
  return text[0].toUpperCase() + text.slice(1);
}

/** French words for a value of an hours field (OSM or French), or the value itself when rows cannot show it. */
export function describeHours(value) {
  const checked = checkHours(value || '');
  const read = checked.error ? null : readWeek(checked.osm);
  return read && checked.osm ? describeWeek(read.week, read.holidays) : value;
}

// --- the editor ------------------------------------------------------------------------------------

const make = (tag, props = {}, children = []) => {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
};

function timeInput(id, labelText, value) {
  const input = make('input', { type: 'time', id, value, step: 300 });
  return { input, label: make('label', { htmlFor: id, className: 'he-time' }, [make('span', { textContent: labelText }), input]) };
}

function buildDay(d, prefix) {
  const id = `${prefix}-${CODES[d]}`;
  const select = make('select', { id: `${id}-kind` }, [
    make('option', { value: 'closed', textContent: 'fermé' }),
    make('option', { value: 'split', textContent: 'matin et après-midi' }),
    make('option', { value: 'continuous', textContent: 'journée continue' })]);
  const t = [timeInput(`${id}-a1`, 'ouverture', '09:00'), timeInput(`${id}-a2`, 'fermeture', '12:00'),
    timeInput(`${id}-b1`, 'réouverture', '14:00'), timeInput(`${id}-b2`, 'fermeture le soir', '19:00')];
  const copy = make('button', { type: 'button', className: 'secondary he-copy', textContent: 'Copier sur les autres jours' });
  const fieldset = make('fieldset', { className: 'he-day' }, [
    make('legend', { textContent: NAMES[d][0].toUpperCase() + NAMES[d].slice(1) }),
    make('label', { htmlFor: select.id, className: 'he-kind' }, [make('span', { textContent: 'Ce jour-là' }), select]),
    make('div', { className: 'he-times' }, t.map((x) => x.label)), copy]);
  return { fieldset, select, times: t.map((x) => x.input), labels: t.map((x) => x.label), copy };
}

function enhance(field) {
  if (field.dataset.hoursEnhanced) return;
  field.dataset.hoursEnhanced = '1';
  const prefix = `he${counter += 1}`;
  const box = field.closest('.field') || field.parentElement;
  const rows = CODES.map((_, d) => buildDay(d, prefix));
  const monSat = make('button', { type: 'button', className: 'secondary', textContent: 'Du lundi au samedi comme le lundi' });
  const lunch = make('input', { type: 'checkbox', id: `${prefix}-midi` });
  const phClosed = make('input', { type: 'radio', name: `${prefix}-ph`, id: `${prefix}-ph-off`, value: 'closed' });
  const phOpen = make('input', { type: 'radio', name: `${prefix}-ph`, id: `${prefix}-ph-on`, value: 'open', checked: true });
  const daysBox = make('div', { className: 'he-rows' }, [
    make('div', { className: 'he-tools' }, [monSat,
      make('label', { className: 'choice', htmlFor: lunch.id }, [lunch, ' Fermé le midi'])]),
    ...rows.map((r) => r.fieldset),
    make('fieldset', { className: 'he-ph' }, [make('legend', { textContent: 'Jours fériés' }), make('div', { className: 'choices' }, [
      make('label', { className: 'choice', htmlFor: phClosed.id }, [phClosed, ' fermé']),
      make('label', { className: 'choice', htmlFor: phOpen.id }, [phOpen, ' ouvert comme d’habitude'])])])]);
  const toggle = make('button', { type: 'button', className: 'secondary he-toggle' });
  const freeNote = make('p', { className: 'hint he-free', textContent: 'Texte libre : ces horaires ne peuvent pas être affichés jour par jour ; modifiez-les dans le champ ci-dessous (en français ou en écriture OpenStreetMap).' });
  const summary = make('p', { className: 'he-summary', id: `${prefix}-resume` });
  summary.setAttribute('aria-live', 'polite');
  const alert = make('p', { className: 'error he-problem', hidden: true });
  alert.setAttribute('role', 'alert');
  const editor = make('div', { className: 'hours-editor' }, [toggle, freeNote, daysBox, alert]);
  // The editor's controls belong to no form: only the text field is submitted (and collected).
  editor.querySelectorAll('input, select').forEach((el) => el.setAttribute('form', `${prefix}-aucun`));
  field.before(editor);
  field.after(summary);
  field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') || ''} ${summary.id}`.trim());

  let mode = 'rows';
  const readRow = (r) => {
    const kind = r.select.value;
    const v = r.times.map((i) => i.value);
    if (kind === 'closed') return CLOSED;
    if (kind === 'continuous') return { kind, ranges: [[v[0], v[1]]] };
    return { kind, ranges: [[v[0], v[1]], [v[2], v[3]]] };
  };
  const showKind = (r) => {
    const kind = r.select.value;
    r.labels.forEach((l, i) => { l.hidden = kind === 'closed' || (kind === 'continuous' && i > 1); });
  };
  const setRow = (r, day) => {
    r.select.value = day.kind;
    if (day.kind === 'split') [r.times[0].value, r.times[1].value, r.times[2].value, r.times[3].value] = day.ranges.flat();
    if (day.kind === 'continuous') [r.times[0].value, r.times[1].value] = day.ranges[0];
    showKind(r);
  };
  const holidays = () => (phClosed.checked ? 'closed' : 'open');
  const week = () => rows.map(readRow);
  const spansLunch = (r) => r.select.value === 'continuous' && r.times[0].value <= '12:00' && r.times[1].value >= '14:00';
  const syncLunch = () => {
    const open = rows.filter((r) => r.select.value !== 'closed');
    lunch.checked = open.some((r) => r.select.value === 'split') && !open.some(spansLunch);
  };
  const describe = () => {
    const value = field.value.trim();
    if (!value) { summary.textContent = ''; return; }
    const checked = checkHours(value);
    if (checked.error) { summary.textContent = ''; return; }  // the field's own error says what to fix
    const read = readWeek(checked.osm);
    const french = read ? `${describeWeek(read.week, read.holidays)}. ` : '';
    summary.textContent = `${french}Enregistré ainsi : ${checked.osm}`;
  };
  const setMode = (m) => {
    mode = m;
    daysBox.hidden = m !== 'rows';
    freeNote.hidden = m !== 'free';
    toggle.textContent = m === 'rows' ? 'Écrire en texte libre' : 'Saisir jour par jour';
    toggle.setAttribute('aria-expanded', String(m === 'rows'));
  };
  const problem = () => {  // French, for the first day whose times do not follow each other
    for (const [d, r] of rows.entries()) {
      const times = readRow(r).ranges.flat();
      if (times.some((t) => !t)) return `${NAMES[d]} : indiquez toutes les heures.`;
      if (times.some((t, i) => i && t <= times[i - 1])) return `${NAMES[d]} : chaque heure doit suivre la précédente (ouverture avant fermeture).`;
    }
    return '';
  };
  const write = () => {
    const wrong = problem();
    alert.textContent = wrong ? `${wrong[0].toUpperCase()}${wrong.slice(1)} Les horaires ne sont pas enregistrés tant que ce n'est pas corrigé.` : '';
    alert.hidden = !wrong;
    if (wrong) return;
    field.value = writeWeek(week(), holidays());
    syncLunch();
    describe();
    field.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const load = () => {  // field -> rows; false when rows cannot show the value
    const checked = checkHours(field.value);
    const read = checked.error ? null : readWeek(checked.osm);
    if (!read) return false;
    read.week.forEach((day, d) => setRow(rows[d], day));
    (read.holidays === 'closed' ? phClosed : phOpen).checked = true;
    syncLunch();
    return true;
  };

  rows.forEach((r, d) => {
    r.select.addEventListener('change', () => { showKind(r); write(); });
    r.times.forEach((i) => i.addEventListener('change', write));
    r.copy.addEventListener('click', () => {
      const day = readRow(r);
      rows.forEach((o, e) => { if (e !== d) setRow(o, day); });
      write();
    });
  });
  monSat.addEventListener('click', () => {
    const day = readRow(rows[0]);
    rows.forEach((o, e) => { if (e > 0) setRow(o, e < 6 ? day : CLOSED); });
    write();
  });
  lunch.addEventListener('change', () => {
    rows.forEach((r) => {
      if (r.select.value === 'closed') return;
      const [a1, a2, b1, b2] = r.times.map((i) => i.value);
      if (lunch.checked && spansLunch(r)) {  // a2 was the closing time of the day
        r.select.value = 'split';
        const [noon, back] = a1 < b1 && b1 < b2 && b2 < a2 ? [b1, b2] : ['12:00', '14:00'];
        [r.times[1].value, r.times[2].value, r.times[3].value] = [noon, back, a2];
      } else if (!lunch.checked && r.select.value === 'split') {
        r.select.value = 'continuous';
        [r.times[1].value, r.times[2].value, r.times[3].value] = [b2, a2, b1];  // keep the break for later
      }
      showKind(r);
    });
    write();
  });
  [phClosed, phOpen].forEach((i) => i.addEventListener('change', write));
  toggle.addEventListener('click', () => {
    if (mode === 'rows') { setMode('text'); field.focus(); return; }
    if (!load()) { rows.forEach((r) => setRow(r, CLOSED)); write(); }
    setMode('rows');
  });
  field.addEventListener('input', (event) => {
    if (event.isTrusted === false && event.target === field && document.activeElement !== field) { describe(); return; }
    if (load()) { if (mode === 'free') setMode('rows'); } else if (mode === 'rows') setMode('free');
    describe();
  });

  rows.forEach(showKind);
  const known = load();
  // An empty optional field (pickup hours: « same as opening hours ») starts folded.
  if (!field.value.trim() && field.dataset.hours === 'optional') setMode('text');
  else setMode(known ? 'rows' : 'free');
  describe();
}

/** Enhances every hours field under `root` (idempotent). */
export function enhanceHours(root = document) {
  root.querySelectorAll(SELECTOR).forEach(enhance);
}
