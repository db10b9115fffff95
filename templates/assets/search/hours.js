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
    if (cond[0] === 1) {
      const [, first, last, step] = cond;
      const week = isoWeek(c);
      return first <= week && week <= last && (week - first) % step === 0;
    }
    const [, m1, d1, m2, d2] = cond;
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

function matches([mask, , dates, nth], c) {
  if (dates.length && !dateMatches(dates, c)) return false;
  if (mask === -1 || mask & (1 << c.weekday) || (c.holiday && mask & 128)) return true;
  return nth.some(([weekday, ...ranks]) => weekday === c.weekday && nthMatches(ranks, c));
}

function timeline(rules, today, yesterday) {
  let active = [];
  for (const rule of rules) {
    const [, reset, , , spans, off] = rule;
    if (matches(rule, today)) {
      const part = [];
      for (let i = 0; i < spans.length; i += 2) part.push([spans[i], Math.min(spans[i + 1], DAY)]);
      if (!spans.length || reset) active = [];
      active = off ? subtract(active, part) : active.concat(part);
    }
    if (matches(rule, yesterday)) {
      const night = [];
      for (let i = 0; i < spans.length; i += 2) if (spans[i + 1] > DAY) night.push([0, spans[i + 1] - DAY]);
      active = off ? subtract(active, night) : active.concat(night);
    }
  }
  return active;
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
