// Shops found by their name anywhere (site/search/n/, built by src/ccdir/search/names.py): the page
// loads the chunks of the query's rarest word only. Format and ranking: docs/search-index.md.

import { fold, stem, words } from "./frenchtext.js";
import { MAX_WORDS, covering, distanceKm, range, withinOneEdit } from "./engine.js";

/** How well a name word matches a typed word: exact, completion (3+ letters), one typo (5+ letters). */
function wordQuality(w, nameWord, term, raw) {
  if (nameWord === term) return w.exact;
  if (raw.length >= 3 && nameWord.startsWith(term)) return w.prefix;
  if (raw.length >= 5 && nameWord.length >= 4 && withinOneEdit(nameWord, term)) return w.typo;
  return 0;
}

/** Shops found by their name anywhere (site/search/n/, src/ccdir/search/names.py). */
export class NameIndex {
  constructor(loader) {
    this.loader = loader;
  }

  async rows(lo, hi) {
    const parts = await Promise.all(range(lo, hi).map((j) => this.loader.json(`n/${j}.json`)));
    return parts.flat();
  }

  /**
   * Shops whose name holds every word of `text` (accents, plural, completion, one typo), best first:
   * [{slug, name, commune, dept, lat, lon, score, distance}]; by distance among equals when `lat` is given.
   */
  async lookup(text, w, lat, lon, limit = 20) {
    const raw = words(String(text ?? "")).slice(0, MAX_WORDS);
    if (!raw.length) return [];
    const terms = raw.map(stem);
    const dir = await this.loader.json("names.json");
    if (!dir.t.length) return [];
    const span = (t) => { const [lo, hi] = covering(dir.t, t); return hi - lo; };
    const head = (row) => row[0].split(" ", 1)[0];
    let rows = [];
    // The words as typed, in order (keys are a name's words from one of them on): few chunks even when
    // the first word is common (« boulangerie du centre »).
    const phrase = terms.join(" ");
    if (terms.length > 1 && span(phrase) <= 4) {
      const [lo, hi] = covering(dir.t, phrase);
      rows = (await this.rows(lo, hi)).filter((row) => row[0].startsWith(phrase));
    }
    if (!rows.length) {
      // The rarest word (fewest chunks), the longest among equals, picks the rows to load.
      const order = terms.map((t, k) => k).sort((a, b) => span(terms[a]) - span(terms[b]) || raw[b].length - raw[a].length);
      const k = order[0];
      let [lo, hi] = covering(dir.t, terms[k]);
      if (hi - lo > 4) hi = lo + 4;
      const matching = (found) => found.filter((row) => wordQuality(w, head(row), terms[k], raw[k]) > 0);
      rows = matching(await this.rows(lo, hi));
      if (!rows.length && raw[k].length >= 5) {
        [lo, hi] = covering(dir.t, terms[k].slice(0, 3));
        if (hi - lo <= 4) rows = matching(await this.rows(lo, hi));
      }
    }
    const out = new Map();
    for (const row of rows) {
      if (out.has(row[1])) continue;
      const nameWords = words(row[2]).map(stem);
      let score = 0;
      for (let q = 0; q < terms.length && score >= 0; q++) {
        const best = Math.max(0, ...nameWords.map((n) => wordQuality(w, n, terms[q], raw[q])));
        score = best ? score + w.name * best : -1;
      }
      if (score <= 0) continue;
      const [, slug, name, commune, dept, rlat, rlon] = row;
      const distance = Number.isFinite(lat) && Number.isFinite(lon) ? distanceKm(lat, lon, rlat, rlon) : null;
      out.set(slug, { slug, name, commune, dept, lat: rlat, lon: rlon, score, distance });
    }
    return [...out.values()].sort((a, b) => b.score - a.score || (a.distance ?? 0) - (b.distance ?? 0)
      || fold(a.name).localeCompare(fold(b.name)) || (a.slug < b.slug ? -1 : 1)).slice(0, limit);
  }
}

