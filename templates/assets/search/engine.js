// Search engine of /recherche/: loads the index built by src/ccdir/search/index.py piece by piece and
// ranks merchants by match quality, then distance (scoring: src/ccdir/search/scoring.py). No DOM here: the page (search.js) and the tests under Node both use it.
// Index format and algorithms: docs/search-index.md.

import { stem, words } from "./frenchtext.js";
import { loadHolidays, openAt, parisNow } from "./hours.js";

export const EARTH_KM = 6371.0088;
const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";
const TOP_KEY = "\uffff";
export const PAGE = 20;

// --- geometry ------------------------------------------------------------------------------------------

const rad = (d) => (d * Math.PI) / 180;

/** Great-circle distance in km (= ccdir.nearby.distance_km). */
export function distanceKm(lat1, lon1, lat2, lon2) {
  const dp = rad(lat2 - lat1);
  const dl = rad(lon2 - lon1);
  const a = Math.sin(dp / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dl / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** [south, west, north, east] of a cell id such as "u0b.01" (= search_index.cell_bbox). */
export function cellBox(cell) {
  const [chars, rest = ""] = cell.split(".");
  let bits = "";
  for (const ch of chars) bits += BASE32.indexOf(ch).toString(2).padStart(5, "0");
  bits += rest;
  let s = -90, w = -180, n = 90, e = 180;
  for (let i = 0; i < bits.length; i++) {
    if (i % 2 === 0) {
      const mid = (w + e) / 2;
      if (bits[i] === "1") w = mid; else e = mid;
    } else {
      const mid = (s + n) / 2;
      if (bits[i] === "1") s = mid; else n = mid;
    }
  }
  return [s, w, n, e];
}

/** Distance in km from a point to the nearest point of a box (0 inside). */
export function boxDistanceKm(lat, lon, [s, w, n, e]) {
  return distanceKm(lat, lon, Math.min(Math.max(lat, s), n), Math.min(Math.max(lon, w), e));
}

// --- sorted chunks (= ccdir.prefixfiles) ----------------------------------------------------------------

function bisectLeft(a, x) {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Indices [lo, hi) of the chunks that may hold keys starting with `prefix` (= prefixfiles.covering). */
export function covering(firsts, prefix) {
  if (!firsts.length) return [0, 0];
  const lo = Math.max(0, bisectLeft(firsts, prefix) - 1);
  const hi = bisectLeft(firsts, prefix + TOP_KEY);
  return [lo, Math.max(lo + 1, hi)];
}

/** True when a and b differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a, b) {
  if (a === b) return true;
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// --- loading -------------------------------------------------------------------------------------------

/** Fetches JSON files below `base` once each. `fetchJson(url)` can be replaced (tests, measurements). */
export class Loader {
  constructor(base, fetchJson = defaultFetchJson) {
    this.base = base;
    this.fetchJson = fetchJson;
    this.cache = new Map();
  }

  json(path) {
    if (!this.cache.has(path)) {
      const promise = this.fetchJson(this.base + path);
      promise.catch(() => this.cache.delete(path)); // a failed download can be tried again
      this.cache.set(path, promise);
    }
    return this.cache.get(path);
  }
}

async function defaultFetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} : ${response.status}`);
  return response.json();
}

/** Document numbers from [first, gap, gap…] (= search_index.ungaps). */
export function ungaps(values, from = 0) {
  const refs = [];
  let total = 0;
  for (let i = from; i < values.length; i++) {
    total += values[i];
    refs.push(total);
  }
  return refs;
}

/** [[document, weak]…] of a term row `[term, gap, ~gap…]` (= scoring.decode_row): a weak document holds
 *  the term only in its description or kind. */
export function rowDocs(row) {
  const out = [];
  let total = 0;
  for (let i = 1; i < row.length; i++) {
    const v = row[i];
    total += v < 0 ? ~v : v;
    out.push([total, v < 0]);
  }
  return out;
}

/** The lunr.js serialisation of a term directory chunk (= search_index.unpack_lunr). */
export function unpackLunr(header, chunk) {
  const [field] = header.fields;
  const invertedIndex = [];
  const vectors = new Map();
  for (const row of chunk) {
    if (row[0][0] === "@") continue;
    const position = invertedIndex.length;
    const byRef = {};
    for (const [ref] of rowDocs(row)) {
      byRef[String(ref)] = {};
      if (!vectors.has(ref)) vectors.set(ref, []);
      vectors.get(ref).push(position, 1);
    }
    invertedIndex.push([row[0], { [field]: byRef, _index: position }]);
  }
  const fieldVectors = [...vectors.keys()].sort((a, b) => a - b).map((ref) => [`${field}/${ref}`, vectors.get(ref)]);
  return { version: header.version, fields: [field], invertedIndex, fieldVectors, pipeline: header.pipeline };
}

// --- opening hours -------------------------------------------------------------------------------------

const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
let parisClock = null;

/** Weekday (0 = Monday) and minute of the day at `date` in France. */
export function parisTime(date) {
  parisClock = parisClock || new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Paris", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const parts = Object.fromEntries(parisClock.formatToParts(date).map((p) => [p.type, p.value]));
  return [WEEKDAYS[parts.weekday], Number(parts.hour) * 60 + Number(parts.minute)];
}

/** Whether weekly hours `[[days mask, start, end, …]…]` (search_index.hours_masks) are open then. */
export function isOpen(masks, [day, minute]) {
  return masks.some(([mask, ...spans]) => {
    if (!(mask & (1 << day))) return false;
    for (let i = 0; i < spans.length; i += 2) if (spans[i] <= minute && minute < spans[i + 1]) return true;
    return false;
  });
}

// --- queries -------------------------------------------------------------------------------------------

export const MAX_WORDS = 12; // a pasted paragraph is cut: the first words decide
const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Split « quoi » into groups: a run of words that names a category (« pain au chocolat », « fleuristes »,
 * one typo allowed on words of 5+ letters), or a single word to find in the text.
 */
export function parseQuery(text, syn) {
  const raw = words(String(text ?? "")).slice(0, MAX_WORDS);
  const terms = raw.map(stem);
  const groups = [];
  let i = 0;
  while (i < terms.length) {
    let j = Math.min(terms.length, i + 4);
    for (; j > i; j--) if (has(syn, terms.slice(i, j).join(" "))) break;
    if (j > i) {
      groups.push({ raw: raw.slice(i, j), terms: terms.slice(i, j), cats: [...syn[terms.slice(i, j).join(" ")]], fuzzy: false });
      i = j;
      continue;
    }
    const cats = new Set();
    if (raw[i].length >= 5) {
      for (const key of Object.keys(syn)) if (!key.includes(" ") && withinOneEdit(key, terms[i])) syn[key].forEach((c) => cats.add(c));
    }
    groups.push({ raw: [raw[i]], terms: [terms[i]], cats: [...cats].sort((a, b) => a - b), fuzzy: cats.size > 0 });
    i++;
  }
  return groups;
}

/** Edit distance (insertions, deletions, substitutions), giving up above `max`. */
export function editDistance(a, b, max = 2) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    prev = row;
  }
  return prev[b.length];
}

export class SearchEngine {
  /** `loader`: a Loader of site/search/; `getLunr()`: resolves to lunr.js with frenchtext registered. */
  constructor(loader, getLunr, names = null, lang = "fr") {
    this.loader = loader;
    this.lang = lang; // the page's: category labels in « Vouliez-vous dire » (manifest cats: [id, French, n, English])
    this.getLunr = getLunr;
    this.names = names; // a NameIndex (names.js), or null: no name lookup
  }

  async manifest() {
    if (!this.man) {
      const man = await this.loader.json("manifest.json");
      man.field = Object.fromEntries(man.fields.map((name, i) => [name, i]));
      // man.w: the scoring weights, written by the build from src/ccdir/search/scoring.py (no copy here).
      man.widen = man.widen || [];
      this.man = man;
    }
    return this.man;
  }

  /** A record as an object with the names of manifest.fields. */
  record(row) {
    const out = {};
    this.man.fields.forEach((name, i) => { out[name] = row[i]; });
    return out;
  }

  async cellRecords(path) {
    const rows = await this.loader.json(path);
    if (!rows.decoded) rows.decoded = rows.map((row) => this.record(row));
    return rows.decoded;
  }

  /**
   * Start a search. `query`: {quoi, lat, lon, radius, kind, delivery, open, now}. Returns a Search whose
   * `results(count)` are the best results, nearest first among equals (the first page is loaded);
   * `more(count)` loads further. Without lat/lon, only shop names are looked up (`names`).
   */
  async search(query) {
    const man = await this.manifest();
    if (query.open && this.holidays === undefined) this.holidays = await loadHolidays(this.loader); // hours.js
    const groups = parseQuery(query.quoi || "", man.syn);
    const located = Number.isFinite(query.lat) && Number.isFinite(query.lon);
    const textual = groups.some((g) => !g.cats.length || g.fuzzy);
    const names = this.names && groups.length && (textual || !located)
      ? await this.names.lookup(query.quoi, man.w, query.lat, query.lon) : [];
    let search = new Search(this, query, groups, false, names);
    if (!located) return search;
    await search.plan();
    await search.run(PAGE);
    if (!search.results(1).length && groups.length > 1) {
      // No merchant anywhere matches every word: show those that match at least one.
      const relaxed = new Search(this, query, groups, true, names);
      await relaxed.plan();
      await relaxed.run(PAGE);
      search = relaxed;
    }
    if (!search.results(1).length && !names.length) search.suggestions = this.suggestions(groups);
    return search;
  }

  /** Category labels spelt like the query's words (edit distance ≤ 2, ≤ 1 under 5 letters). */
  suggestions(groups) {
    const found = new Map();
    for (const g of groups) {
      for (let k = 0; k < g.terms.length; k++) {
        const max = g.raw[k].length >= 5 ? 2 : 1;
        for (const key of Object.keys(this.man.syn)) {
          if (key.includes(" ")) continue;
          const d = editDistance(key, g.terms[k], max);
          if (d > max) continue;
          for (const c of this.man.syn[key]) {
            const cat = this.man.cats[c];
            const label = this.lang === "en" && cat[3] ? cat[3] : cat[1];
            if (!found.has(label) || found.get(label) > d) found.set(label, d);
          }
        }
      }
    }
    return [...found].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([label]) => label);
  }

  /** The term directory chunk that holds `key` (a term or `@category`), if any. */
  async exactChunk(key) {
    const dir = await this.loader.json("text.json");
    if (!dir.t.length) return null;
    let lo = 0, hi = dir.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (key < dir.t[mid]) hi = mid; else lo = mid + 1;
    }
    return this.chunk(Math.max(0, lo - 1));
  }

  // Full-text index, split by term: the chunks that may hold `term`'s typos or completions.
  async chunksFor(term) {
    const dir = await this.loader.json("text.json");
    let [lo, hi] = covering(dir.t, term.slice(0, 2));
    if (hi - lo > 3) [lo, hi] = covering(dir.t, term.slice(0, 3));
    if (hi - lo > 3) [lo, hi] = covering(dir.t, term);
    return Promise.all(range(lo, hi).map((j) => this.chunk(j)));
  }

  chunk(j) {
    if (!this.chunks) this.chunks = new Map();
    if (!this.chunks.has(j)) {
      this.chunks.set(j, Promise.all([this.loader.json("text.json"), this.loader.json(`t/${j}.json`)])
        .then(([dir, rows]) => ({ dir, rows, terms: new Map(rows.map((row) => [row[0], row])), index: null })));
    }
    return this.chunks.get(j);
  }

  /** Documents holding `term` → score (scoring.py: field weight × quality); when it is not an index
   *  term: those holding a completion of it (3+ letters typed) or a word one typo away (5+ letters). */
  termDocs(term, raw) {
    if (!this.termCache) this.termCache = new Map();
    const key = `${term} ${raw.length >= 5 ? 5 : raw.length >= 3 ? 3 : 0}`;
    if (!this.termCache.has(key)) this.termCache.set(key, this.findTermDocs(term, raw));
    return this.termCache.get(key);
  }

  async findTermDocs(term, raw) {
    const w = this.man.w;
    const docs = new Map();
    const add = (d, score) => { if (!(docs.get(d) >= score)) docs.set(d, score); };
    const addRow = (row, quality) => {
      for (const [d, weak] of rowDocs(row)) add(d, (weak ? w.text : w.product) * quality);
    };
    const exact = await this.exactChunk(term);
    if (exact && exact.terms.has(term)) {
      addRow(exact.terms.get(term), w.exact);
      return docs;
    }
    if (raw.length < 3) return docs;
    const chunks = await this.chunksFor(term);
    const lunr = await this.getLunr();
    for (const c of chunks) {
      c.index = c.index || lunr.Index.load(unpackLunr(c.dir, c.rows));
      // lunr's own term matching (wildcard, edit distance), without scoring thousands of documents.
      const expanded = new Map();
      for (const t of c.index.tokenSet.intersect(lunr.TokenSet.fromString(`${term}*`)).toArray()) expanded.set(t, w.prefix);
      if (raw.length >= 5) {
        for (const t of c.index.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(term, 1)).toArray()) {
          if (!expanded.has(t)) expanded.set(t, w.typo);
        }
      }
      for (const [t, quality] of expanded) {
        addRow(c.terms.get(t), quality);
        // A term row leaves out the categories the term names (index.term_rows): add them back.
        if (has(this.man.syn, t)) {
          for (const cat of this.man.syn[t]) for (const d of await this.categoryDocs(cat)) add(d, w.category * quality);
        }
      }
    }
    return docs;
  }

  async categoryDocs(cat) {
    const key = `@${this.man.cats[cat][0]}`;
    const c = await this.exactChunk(key);
    return new Set(c && c.terms.has(key) ? ungaps(c.terms.get(key), 1) : []);
  }

  /** Documents matching group `g` → score: its words in the text (all of them), or its categories. */
  async groupDocs(g, withCategories) {
    const w = this.man.w;
    const perTerm = await Promise.all(g.terms.map((t, k) => this.termDocs(t, g.raw[k])));
    const docs = new Map();
    for (const [d, score] of perTerm[0] || []) {
      let s = score;
      for (let k = 1; k < perTerm.length && s > 0; k++) s = perTerm[k].has(d) ? Math.min(s, perTerm[k].get(d)) : 0;
      if (s > 0) docs.set(d, s);
    }
    if (withCategories) {
      const score = w.category * (g.fuzzy ? w.typo : w.exact);
      for (const cat of g.cats) {
        for (const d of await this.categoryDocs(cat)) if (!(docs.get(d) >= score)) docs.set(d, score);
      }
    }
    return docs;
  }
}

export function range(lo, hi) {
  return Array.from({ length: Math.max(0, hi - lo) }, (_, k) => lo + k);
}

function compareResults(a, b) {
  return (b.score - a.score) || (a.distance - b.distance) || (a.record.slug < b.record.slug ? -1 : 1);
}

/** One search: the cells to look at, nearest first, and what was found in those already loaded. */
class Search {
  constructor(engine, query, groups, relaxed, names = []) {
    this.engine = engine;
    this.man = engine.man;
    this.query = query;
    this.groups = groups;
    this.relaxed = relaxed;
    this.names = names; // NameIndex.lookup: shops whose name holds every word, anywhere
    this.suggestions = [];
    this.radii = this.man.radii;
    // Filters (type, delivery, open now) may reject every record: widening beyond the radii would then
    // load the whole country, so a filtered search stops at the last radius.
    const filtered = Boolean(query.kind || query.delivery || query.open);
    this.steps = filtered ? [...this.man.radii] : [...this.man.radii, ...this.man.widen];
    const asked = Number(query.radius);
    this.radius = this.steps.includes(asked) ? asked : this.radii[1];
    this.startRadius = this.radius;
    this.found = new Map(); // slug → result
    this.sorted = null;
    this.cells = [];
    this.next = 0;
    this.now = parisNow(query.now || new Date()); // hours.js: weekday, minute and date in France
    // A category query (one group naming categories exactly) loads the categories' cells, and the
    // general cells only for the other shops whose text holds the words.
    this.mode = !groups.length ? "all" : groups.length === 1 && groups[0].cats.length && !groups[0].fuzzy ? "category" : "text";
  }

  /** Decide which cells may hold results: `this.cells` = [{path, cell, docs, best, distance}], nearest
   *  first (`docs`: position in the cell → score, or null for every record; `best`: highest score). */
  async plan() {
    const { engine, query } = this;
    // The cells of the same words are the same wherever the resident is: computed once per engine.
    const key = JSON.stringify([this.mode, this.relaxed, this.groups.map((g) => [g.terms, g.cats, g.fuzzy])]);
    if (!engine.plans) engine.plans = new Map();
    if (!engine.plans.has(key)) {
      const planned = this.candidateCells();
      planned.catch(() => engine.plans.delete(key)); // a failed download can be tried again
      engine.plans.set(key, planned);
    }
    const cells = await engine.plans.get(key);
    const { lat, lon } = query;
    this.cells = cells.map((c) => ({ ...c, distance: boxDistanceKm(lat, lon, c.box) }))
      .sort((a, b) => a.distance - b.distance || (a.path < b.path ? -1 : 1));
  }

  /** Every cell that may hold results, with its box (see `plan`). */
  async candidateCells() {
    const { engine, man } = this;
    const w = man.w;
    const cells = [];
    let docs = null;
    if (this.mode === "category") {
      const g = this.groups[0];
      for (const cat of g.cats) {
        if (!man.cats[cat] || !man.cats[cat][2]) continue;
        const ids = await engine.loader.json(`c/${cat}.json`);
        ids.forEach((cell, j) => cells.push({ path: `c/${cat}/${j}.json`, cell, docs: null, best: w.category * w.exact }));
      }
      docs = await engine.groupDocs(g, false);
    } else if (this.mode === "text") {
      const perGroup = await Promise.all(this.groups.map((g) => engine.groupDocs(g, true)));
      docs = new Map();
      for (const [k, group] of perGroup.entries()) {
        for (const [d, score] of group) {
          if (!this.relaxed && k > 0 && !docs.has(d)) continue;
          docs.set(d, (docs.get(d) || 0) + score);
        }
        if (!this.relaxed && k > 0) for (const d of [...docs.keys()]) if (!group.has(d)) docs.delete(d);
      }
    }
    if (!(docs && docs.size) && this.mode !== "all") return cells.map((c) => ({ ...c, box: cellBox(c.cell) }));
    const dir = await engine.loader.json("cells.json");
    // Documents are numbered in cell order: cell i holds n[i] documents from o[i] = n[0] + … + n[i - 1].
    if (!dir.o) dir.o = [0, ...ungaps(dir.n)];
    if (docs) {
      const byCell = new Map();
      for (const [d, score] of docs) {
        const i = bisectLeft(dir.o, d + 1) - 1;
        if (!byCell.has(i)) byCell.set(i, new Map());
        byCell.get(i).set(d - dir.o[i], score);
      }
      for (const [i, inCell] of byCell) {
        cells.push({ path: `s/${i}.json`, cell: dir.s[i], docs: inCell, best: Math.max(...inCell.values()) });
      }
    } else if (this.mode === "all") {
      dir.s.forEach((cell, i) => cells.push({ path: `s/${i}.json`, cell, docs: null, best: 0 }));
    }
    return cells.map((c) => ({ ...c, box: cellBox(c.cell) }));
  }

  /** Whether the first `want` results can no longer change: no cell left within the radius may hold
   *  a better one (higher score, or the same score nearer). */
  certain(want) {
    const inside = this.inside();
    if (inside.length < want) return false;
    const last = inside[want - 1];
    for (let k = this.next; k < this.cells.length && this.cells[k].distance <= this.radius; k++) {
      const c = this.cells[k];
      if (c.best > last.score || (c.best === last.score && c.distance < last.distance)) return false;
    }
    return true;
  }

  /** Load cells, nearest first, until `want` results are certain (or none is left within the radius),
   *  widening the radius along manifest.radii while fewer than manifest.min results are found, then
   *  along manifest.widen (up to anywhere) while none is. */
  async run(want) {
    const lastRadius = this.radii[this.radii.length - 1];
    for (;;) {
      while (this.next < this.cells.length && this.cells[this.next].distance <= this.radius && !this.certain(want)) {
        const batch = [];
        while (batch.length < 3 && this.next < this.cells.length && this.cells[this.next].distance <= this.radius) {
          batch.push(this.cells[this.next++]);
        }
        const results = await Promise.all(batch.map((c) => this.match(c)));
        for (const list of results) for (const r of list) this.keep(r);
      }
      const inside = this.inside().length;
      const wider = this.steps.find((r) => r > this.radius);
      const needed = this.radius < lastRadius ? this.man.min : 1;
      if (inside >= needed || wider === undefined) break;
      this.radius = wider;
    }
  }

  /** One result per merchant: a record with two categories is in both categories' cells, and a merchant
   *  with points of sale has a record per point (search/outlets.py): the best scored, then the nearest. */
  keep(result) {
    const before = this.found.get(result.record.slug);
    if (before && (before.score > result.score || (before.score === result.score && before.distance <= result.distance))) return;
    this.found.set(result.record.slug, result);
    this.sorted = null;
  }

  /** Every result found within the radius, best first. */
  inside() {
    if (!this.sorted) this.sorted = [...this.found.values()].sort(compareResults);
    return this.sorted.filter((r) => r.distance <= this.radius);
  }

  /** The first `count` results within the radius: shops named by the query first, then by score and
   *  distance. */
  results(count) {
    const inside = this.inside();
    if (!this.names.length) return inside.slice(0, count);
    const rank = new Map(this.names.map((n, k) => [n.slug, k]));
    const named = inside.filter((r) => rank.has(r.record.slug)).sort((a, b) => rank.get(a.record.slug) - rank.get(b.record.slug));
    return [...named, ...inside.filter((r) => !rank.has(r.record.slug))].slice(0, count);
  }

  /** Shops named by the query that are not among the results (farther than the radius, or no place). */
  otherNames(limit = 5) {
    return this.names.filter((n) => !this.found.has(n.slug) || this.found.get(n.slug).distance > this.radius).slice(0, limit);
  }

  /** Whether more results may exist within the radius than `count`. */
  hasMore(count) {
    return this.inside().length > count || (this.next < this.cells.length && this.cells[this.next].distance <= this.radius);
  }

  async more(count) {
    await this.run(count);
    return this.results(count);
  }

  async match(cell) {
    const records = await this.engine.cellRecords(cell.path);
    const hits = cell.docs ? [...cell.docs].map(([i, score]) => [records[i], score])
      : records.map((r) => [r, cell.best]);
    const { lat, lon, kind, delivery, open } = this.query;
    const out = [];
    for (const [r, score] of hits) {
      if (!r) continue;
      if (kind && (!this.man.kinds[r.kind] || this.man.kinds[r.kind][0] !== kind)) continue;
      if (delivery && !r.delivery) continue;
      if (open && !openAt(r.hours, this.now, this.engine.holidays)) continue; // opening hours, else pickup hours; PH
      out.push({ record: r, score, distance: distanceKm(lat, lon, r.lat, r.lon) });
    }
    return out;
  }
}
