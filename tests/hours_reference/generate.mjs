// Reference answers for our opening-hours engine, from opening_hours.js (npm), the OSM community's library.
// Usage (from the project root, after `npm ci`): node tests/hours_reference/generate.mjs [output file]
// Reads upstream_values.json (the values of opening_hours.js's own test suite, see extract_upstream.cjs) and
// french_values.txt (values as French shops write them), and writes reference.json: for every value,
// whether opening_hours.js accepts it and, if so, its open intervals during fixed windows of wall-clock
// time in France (2026, chosen for DST changes, every French public holiday, ISO week 53, the new year).
// Intervals are [start, end] in minutes since the window's start (local wall clock), [start, end, 1] when
// the library answers « unknown ». Never edit reference.json by hand: run this script.
process.env.TZ = "Europe/Paris"; // before any Date is made
import { readFileSync, writeFileSync } from "fs";
import { createRequire } from "module";
import path from "path";
import { fileURLToPath } from "url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const OpeningHours = require("opening_hours");
const version = require("opening_hours/package.json").version;

// Where the shop is: Centre-Val de Loire (nominatim answer cached by opening_hours.js, fr_cvl.yaml).
const NOMINATIM = {
  lat: "47.5518673146385", lon: "1.73408123207213",
  address: { country: "France", country_code: "fr", state: "Centre-Val de Loire", postcode: "41210" },
};
export const WINDOWS = [
  ["2026-02-09", "2026-02-16"], // an ordinary winter week
  ["2026-03-27", "2026-04-08"], // summer time starts (29 March), Easter Monday (6 April)
  ["2026-04-30", "2026-05-02"], // 1 May
  ["2026-05-07", "2026-05-09"], // 8 May
  ["2026-05-13", "2026-05-15"], // Ascension (14 May)
  ["2026-05-24", "2026-05-26"], // Whit Monday (25 May)
  ["2026-06-15", "2026-06-22"], // an ordinary June week
  ["2026-07-13", "2026-07-15"], // 14 July
  ["2026-08-14", "2026-08-17"], // 15 August (a Saturday)
  ["2026-10-23", "2026-11-03"], // winter time (25 October), All Saints (1 November, a Sunday)
  ["2026-11-10", "2026-11-12"], // 11 November
  ["2026-12-21", "2027-01-05"], // Christmas, ISO week 53, New Year
];

const day = (iso) => { const [y, m, d] = iso.split("-").map(Number); return new Date(y, m - 1, d); };
const wallDays = (date) => Math.round(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86400000);
const wallMinutes = (date, start) => (wallDays(date) - wallDays(start)) * 1440 + date.getHours() * 60 + date.getMinutes();

const upstream = JSON.parse(readFileSync(path.join(here, "upstream_values.json"), "utf8"));
const french = readFileSync(path.join(here, "french_values.txt"), "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
const values = [...new Set([...upstream.values, ...french])];
const frenchSet = new Set(french);

const answers = [];
const answerIds = new Map();
const rows = [];
for (const value of values) {
  const row = { value, source: frenchSet.has(value) ? "french" : "upstream" };
  let oh;
  try {
    oh = new OpeningHours(value, NOMINATIM, { mode: 0, locale: "en" });
  } catch {
    row.accepted = false;
    rows.push(row);
    continue;
  }
  row.accepted = true;
  const answer = WINDOWS.map(([from, to]) => {
    const start = day(from);
    return oh.getOpenIntervals(start, day(to)).map(([a, b, unknown]) => {
      const interval = [wallMinutes(a, start), wallMinutes(b, start)];
      return unknown ? [...interval, 1] : interval;
    });
  });
  const key = JSON.stringify(answer);
  if (!answerIds.has(key)) { answerIds.set(key, answers.length); answers.push(answer); }
  row.answer = answerIds.get(key);
  rows.push(row);
}

const out = {
  generator: "tests/hours_reference/generate.mjs",
  library: `opening_hours ${version}`,
  upstream: upstream.source,
  timezone: "Europe/Paris",
  windows: WINDOWS,
  values: rows,
  answers,
};
writeFileSync(process.argv[2] || path.join(here, "reference.json"), JSON.stringify(out).replace(/\{"value"/g, '\n{"value"').replace(/,\[\[\[/g, ',\n[[[') + "\n");
const accepted = rows.filter((r) => r.accepted).length;
console.log(`${rows.length} values (${french.length} French), ${accepted} accepted by opening_hours ${version}, ${answers.length} distinct answers`);
