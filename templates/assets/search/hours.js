// « Ouvert maintenant » in the browser: evaluates a search record's `hours` (src/ccdir/search/hours.py) at a
// moment in France, public holidays included (search/holidays.json). Same semantics as
// ccdir.content.hours (opening_hours.js's): tests/test_hours_js.py holds the two side by side.

let clock = null;

const pad = (n) => String(n).padStart(2, "0");
const isoDay = (y, m, d) => { const t = new Date(Date.UTC(y, m - 1, d)); return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`; };

/** The moment `date` in France: {day (0 = Monday), minute, date: "YYYY-MM-DD", prev: the day before}. */
export function parisNow(date) {
  clock = clock || new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const p = Object.fromEntries(clock.formatToParts(date).map((x) => [x.type, Number(x.value)]));
  const day = (new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7;
  return { day, minute: p.hour * 60 + p.minute, date: isoDay(p.year, p.month, p.day), prev: isoDay(p.year, p.month, p.day - 1) };
}

/** search/holidays.json → a Set of ISO dates (null when the file cannot be read: holidays then count as ordinary days). */
export async function loadHolidays(loader) {
  try {
    return new Set((await loader.json("holidays.json")).dates);
  } catch {
    return null;
  }
}

/** Whether the record's `hours` say open at `now` (parisNow); `holidays`: Set of ISO dates, or null. */
export function openAt(hours, now, holidays) {
  if (!hours) return false;
  if (!Array.isArray(hours)) return inSpans(timeline(hours.r, context(now.date, holidays), context(now.prev, holidays)), now.minute);
  const kind = hours.some(([mask]) => mask >= 128) && holidays ? (holidays.has(now.date) ? 1 : 0) + (holidays.has(now.prev) ? 2 : 0) : 0;
  const bit = 1 << (now.day + 7 * kind);
  return hours.some(([mask, ...spans]) => {
    if (!(mask & bit)) return false;
    for (let i = 0; i < spans.length; i += 2) if (spans[i] <= now.minute && now.minute < spans[i + 1]) return true;
    return false;
  });
}

// --- rules that depend on the date (ccdir.content.hours.week.OpeningHours.rules_json) ------------------

const DAY = 1440;
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function context(iso, holidays) {
  const [y, m, d] = iso.split("-").map(Number);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return { y, m, d, weekday, holiday: !!holidays && holidays.has(iso) };
}

function isoWeek(c) {
  const thursday = Date.UTC(c.y, c.m - 1, c.d + 3 - c.weekday);
  const year = new Date(thursday).getUTCFullYear();
  return Math.floor((thursday - Date.UTC(year, 0, 1)) / 86400000 / 7) + 1;
}

function dateMatches(conds, c) {
  return conds.some((cond) => {
    if (cond[0] === 2) return dateMatches(cond[1], c) && dateMatches(cond[2], c); // « Jan week 02 »
    if (cond[0] === 1) {
      const [, first, last, step] = cond;
      const week = isoWeek(c);
      return first <= week && week <= last && (week - first) % step === 0;
    }
    const [, m1, d1, m2, d2, y1, y2] = cond;
    if (y1) { // « 2026 Dec 24 »: that year only; the last day may be in the next year
      const yl = y2 || y1 + (m2 < m1 ? 1 : 0);
      const here = c.y * 10000 + c.m * 100 + c.d;
      return y1 * 10000 + m1 * 100 + (d1 || 1) <= here && here <= yl * 10000 + m2 * 100 + (d2 || daysIn(yl, m2));
    }
    const first = m1 * 100 + (d1 || 1);
    const last = m2 * 100 + (d2 || daysIn(c.y, m2));
    const here = c.m * 100 + c.d;
    return first <= last ? first <= here && here <= last : here >= first || here <= last;
  });
}

function nthMatches(ranks, c) {
  const forward = Math.floor((c.d - 1) / 7) + 1;
  const backward = -(Math.floor((daysIn(c.y, c.m) - c.d) / 7) + 1);
  return ranks.includes(forward) || ranks.includes(backward);
}

function matches([mask, , dates, nth, , , , years = [], , offsets = []], c) {
  if (dates.length && !dateMatches(dates, c)) return false;
  if (years.length && !years.some(([first, last, step]) => first <= c.y && (!last || c.y <= last) && (c.y - first) % step === 0)) return false;
  if (mask === -1 || mask & (1 << c.weekday) || (c.holiday && mask & 128)) return true;
  return nth.some(([weekday, ...ranks], i) => {
    const s = offsets[i] ? shifted(c, -offsets[i]) : c; // « Sa[-1] +3 days »: 3 days after the last Saturday
    return weekday === s.weekday && nthMatches(ranks, s);
  });
}

function shifted(c, days) {
  const t = new Date(Date.UTC(c.y, c.m - 1, c.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), weekday: (t.getUTCDay() + 6) % 7 };
}

function timeline(rules, today, yesterday) {
  const state = { active: [], maybe: [] }; // maybe: unknown, neither open nor closed (« ouvert maintenant » leaves it out)
  for (const rule of rules) {
    if (matches(rule, today)) paint(state, rule, 0);
    if (matches(rule, yesterday)) paint(state, rule, DAY);
  }
  return state.active;
}

/** One rule on the day's spans; `shift` = DAY for its part past midnight the day before. */
function paint(state, rule, shift) {
  const [, reset, , , spans, off, maybeSpans = [], , fallback = 0] = rule;
  const part = clip(spans, shift);
  const unknown = maybeSpans.length ? clip(maybeSpans, shift) : maybeSpans;
  if (fallback) { // « || »: only where the rules before leave the shop closed
    if (off || !spans.length) return;
    const taken = state.active.concat(state.maybe);
    const gapUnknown = subtract(unknown, taken);
    state.active = state.active.concat(subtract(subtract(part, taken), gapUnknown));
    state.maybe = state.maybe.concat(gapUnknown);
  } else if (!shift && !spans.length) {
    state.active = [];
    state.maybe = [];
  } else if (off) {
    state.active = subtract(state.active, part);
    state.maybe = subtract(state.maybe, part);
  } else {
    if (!shift && reset) { state.active = []; state.maybe = []; }
    if (!unknown.length && !state.maybe.length) { state.active = state.active.concat(part); return; }
    const known = subtract(part, unknown);
    state.active = subtract(state.active, unknown).concat(known);
    state.maybe = subtract(state.maybe, known).concat(unknown);
  }
}

/** Pairs of a flat [start, end, …] list (minutes from the rule's day) within the day starting at `shift`. */
function clip(flat, shift) {
  const out = [];
  for (let i = 0; i < flat.length; i += 2) {
    const s = Math.max(flat[i] - shift, 0), e = Math.min(flat[i + 1] - shift, DAY);
    if (s < e) out.push([s, e]);
  }
  return out;
}

function subtract(spans, cuts) {
  let out = spans;
  for (const [cs, ce] of cuts) {
    out = out.flatMap(([s, e]) => [[s, Math.min(e, cs)], [Math.max(s, ce), e]]).filter(([s, e]) => s < e);
  }
  return out;
}

function inSpans(spans, minute) {
  return spans.some(([start, end]) => start <= minute && minute < end);
}
