// French text analysis, identical to src/ccdir/frenchtext.py and ccdir.textnorm (fold, commune_key).
// The index was built by lunr.py with the pipeline PIPELINE; a query must give the same terms.
// tests/test_search_frenchtext.py runs both implementations on the same words under Node.

const SPECIAL = {
  "œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d",
  "ł": "l", "Ł": "l", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
};
// Typographic apostrophes, dashes and spaces.
const SPACES = "\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4\u2010\u2011\u2012\u2013\u2014\u2212\u00a0\u202f\u2009";
const MARKS = /\p{M}/gu;
const ASCII = /^[\x00-\x7f]*$/;
const ALNUM_ASCII = /^[0-9A-Za-z]+$/;

let table = null;

function buildTable() {
  const t = new Map();
  for (let cp = 0x80; cp < 0x250; cp++) {
    const ch = String.fromCharCode(cp);
    if (SPECIAL[ch]) {
      t.set(ch, SPECIAL[ch]);
      continue;
    }
    const base = ch.normalize("NFKD").replace(MARKS, "");
    t.set(ch, ALNUM_ASCII.test(base) ? base : " ");
  }
  for (const ch of SPACES) t.set(ch, " ");
  return t;
}

function translate(s) {
  table = table || buildTable();
  let out = "";
  for (const ch of s) {
    const r = table.get(ch);
    out += r === undefined ? ch : r;
  }
  return out;
}

/** Lowercase, strip accents, apostrophes, hyphens and punctuation become spaces (= textnorm.fold). */
export function fold(s) {
  s = translate(String(s || "")).toLowerCase();
  if (ASCII.test(s)) return s.replace(/[^0-9a-z]+/g, " ").trim();
  s = s.normalize("NFKD").replace(MARKS, "");
  return translate(s).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

export const ARTICLES = new Set(["le", "la", "les", "l"]);
const SAINTS = { st: "saint", ste: "sainte", sts: "saints", stes: "saintes" };
const TRAILING_ARTICLE = /^(.*?)\s*\(\s*(le|la|les|l['’]?)\s*\)\s*$/i;
const SUR = /(?<![^\s\-'’])s\/\s*/gi;

/** Commune names: « St-Jean-de-Braye » → "saint jean de braye", « Mans (Le) » → "le mans" (= commune_key). */
export function communeKey(s) {
  s = String(s || "");
  if (s.includes("(")) {
    const m = TRAILING_ARTICLE.exec(s);
    if (m) s = `${m[2]} ${m[1]}`;
  }
  if (s.includes("/")) s = s.replace(SUR, "sur ");
  const words = fold(s).split(" ").filter(Boolean);
  return words.map((w) => SAINTS[w] || w).join(" ");
}

export const STOP_WORDS = new Set(`
a ai au aux avec c ce ces cet cette chez comme d dans de des du elle elles en entre est et eux il ils j je
jusqu l la le les leur leurs lorsqu lui m ma mais me mes moi mon n ne nos notre nous on ont ou par pas plus
pour puisqu qu que quel quelle quelles quels qui s sa se ses son sont sur t ta te tes toi ton tous tout
toute toutes tres tu un une vos votre vous y
`.split(/\s+/).filter(Boolean));

export const PLURAL_RULES = [["eaux", "eau"], ["aux", "al"], ["x", ""], ["s", ""]];
export const GENDER_RULES = [["euse", "eur"], ["trice", "teur"], ["ive", "if"], ["enne", "en"], ["onne", "on"],
  ["elle", "el"], ["ette", "et"], ["ere", "er"], ["ee", "e"]];
export const MIN_STEM = 3;
export const PIPELINE = ["ccdir-fold-fr", "ccdir-stopwords-fr", "ccdir-stemmer-fr"];
const LETTERS = /^[a-z]+$/;

function apply(word, rules) {
  for (const [suffix, replacement] of rules) {
    if (word.endsWith(suffix)) {
      if (suffix === "s" && word.endsWith("ss")) return word;
      const stemmed = word.slice(0, word.length - suffix.length) + replacement;
      return stemmed.length >= MIN_STEM ? stemmed : word;
    }
  }
  return word;
}

/** Light French stem of a folded word (= frenchtext.stem). */
export function stem(word) {
  if (word.length <= MIN_STEM || !LETTERS.test(word)) return word;
  word = apply(apply(word, PLURAL_RULES), GENDER_RULES);
  if (word.length > 4 && word.endsWith("e")) word = word.slice(0, -1);
  return word;
}

const DIGITS = /^[0-9]+$/;

/** Stop words, numbers and single characters (= frenchtext.is_stop). */
export function isStop(word) {
  return STOP_WORDS.has(word) || [...word].length === 1 || DIGITS.test(word);
}

/** Folded words without stop words (= frenchtext.words). */
export function words(text) {
  return fold(text).split(" ").filter((w) => w && !isStop(w));
}

/** Index terms of `text`, in order (= frenchtext.analyze). */
export function analyze(text) {
  return words(text).map(stem);
}

/** Register the pipeline functions with lunr.js under the labels lunr.py serialised. */
export function registerLunr(lunr) {
  if (lunr.Pipeline.registeredFunctions[PIPELINE[0]]) return;
  const foldToken = (token) => fold(token.toString()).split(" ").filter(Boolean)
    .map((part) => token.clone(() => part));
  const stopToken = (token) => (isStop(token.toString()) ? undefined : token);
  const stemToken = (token) => token.update((s) => stem(s));
  [foldToken, stopToken, stemToken].forEach((fn, i) => lunr.Pipeline.registerFunction(fn, PIPELINE[i]));
}
