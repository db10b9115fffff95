// Opening hours written in French, for the registration form: the same reader as ccdir.content.hours
// (french.py, french_dates.py, french_osm.py), ported line for line; tests/test_hours_form_js.py holds the two
// side by side (same OSM value, same refusals, same French messages and columns).
//
//   checkHours(text) → {osm, rewritten: true}        French understood: store `osm`, show it to the merchant
//                    → {error, column}               French not understood (message in French, 1-based column)
//                    → {osm: text.trim(), rewritten: false}  OSM syntax: kept as written (the server checks it)
//
// OSM syntax itself is checked by the server (the bot's /check and the build): this file never parses it.

const DAY_MINUTES = 1440;
const PH = 7;
const DAY_CODES = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
const OSM_CODES = Object.fromEntries(DAY_CODES.map((c, i) => [c, i]));
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const map = (entries) => new Map(entries.flatMap(([words, v]) => words.split(" ").map((w) => [w, v])));
const DAYS = map([["lundi lundis lun", 0], ["mardi mardis mar", 1], ["mercredi mercredis mer merc", 2],
  ["jeudi jeudis jeu", 3], ["vendredi vendredis ven vend", 4], ["samedi samedis sam", 5], ["dimanche dimanches dim", 6]]);
const FR_MONTHS = map([["janvier janv", 1], ["fevrier fev fevr", 2], ["mars", 3], ["avril avr", 4], ["mai", 5],
  ["juin", 6], ["juillet juil", 7], ["aout", 8], ["septembre sept", 9], ["octobre oct", 10], ["novembre nov", 11],
  ["decembre dec", 12]]);
const set = (words) => new Set(words.split(" "));
const CLOSED = set("ferme fermee fermes fermees fermeture off closed");
const FILLERS = set("le les la l du de des d en ouvert ouverte ouverts ouvertes ouverture horaires horaire "
  + "uniquement seulement aussi egalement nous sommes est sont on");
const RANGE = set("au a jusqu jusqua");
const AND = set("et puis");
const EXCEPT = set("sauf excepte hors");
const LEADING = set("au en le les du de d annuels annuelles ete hiver");
const FRENCH_WORDS = new Set([...DAYS.keys(), ...[...CLOSED].filter((w) => w !== "off" && w !== "closed"),
  ...[...FILLERS].filter((w) => w !== "d" && w !== "l"), ...EXCEPT, ...("tous toute jours feries ferie midi minuit "
  + "matin soir apres semaine week weekend sur rendez rdv et puis quand entre deux conges vacances mois").split(" "),
  ...FR_MONTHS.keys()]);
const TOKEN_RE = new RegExp([
  "(?<allday>24\\s*h?\\s*(?:/|sur)\\s*24(?:\\s*h)?\\b|\\bh\\s*24\\b)",
  "(?<alldays>7\\s*j?(?:ours)?\\s*(?:/|sur)\\s*7(?:\\s*j(?:ours)?)?\\b|\\btljs?\\b)",
  "(?<time>\\d{1,2}\\s*(?:h|:)\\s*\\d{2}(?!\\d)|\\d{1,2}\\s*h(?![a-z])|\\d{1,2}\\.\\d{2}(?!\\d))",
  "(?<num>\\d+)", "(?<word>[a-z]+)\\.?", "(?<dash>[-–—‐‑])", "(?<sep>[;,/:&.\\n])", "(?<ws>[\\s'’]+)", "(?<other>[^])",
].join("|"), "gu");

export class HoursError extends Error {
  constructor(message, column) {
    super(`${message} (colonne ${column})`);
    this.message = message;
    this.column = column;
  }
}

const fmt = (m) => { if (m > DAY_MINUTES) m -= DAY_MINUTES; return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`; };
const daysIn = (month) => new Date(Date.UTC(2024, month, 0)).getUTCDate();

/** Lowercase without accents, one character for one (columns count characters, as in Python). */
function fold(chars) {
  return chars.map((c) => (/\s/u.test(c) ? c : c.normalize("NFKD")[0].toLowerCase())).join("");
}

function tokenize(text) {
  const chars = Array.from(text);
  const folded = fold(chars);
  const out = [];
  let col = 1; // 1-based position in characters (code points), as Python counts
  let offset = 0; // position in UTF-16 units of `folded`
  for (const m of folded.matchAll(TOKEN_RE)) {
    col += Array.from(folded.slice(offset, m.index)).length;
    offset = m.index;
    const kind = Object.keys(m.groups).find((k) => m.groups[k] !== undefined);
    const length = Array.from(m[0]).length;
    if (kind !== "ws") out.push({ kind, text: m[0].replace(/\.$/, ""), raw: chars.slice(col - 1, col - 1 + length).join(""), col });
  }
  return out;
}

/** Whether `text` reads as French hours rather than OSM syntax: a French word, or « 9h ». */
export function looksFrench(text) {
  return tokenize(text).some((t) => (["time", "allday", "alldays"].includes(t.kind) && !/^\d\d:\d\d$/.test(t.raw))
    || (t.kind === "word" && FRENCH_WORDS.has(t.text)));
}

const OSM_LIKE = /\b(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)\b|\b\d\d:\d\d\b/;
const OSM_WORD = "(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|week|off|closed|open|unknown|days?)";
const OSM_ONLY = new RegExp(`^[\\s\\d:;,\\-/\\[\\]+|]*(?:${OSM_WORD}[\\s\\d:;,\\-/\\[\\]+|]*)*$`);

/** Only OSM vocabulary (comments in double quotes and years aside), times as HH:MM: OSM syntax, left as written for
 * the server to check. */
function osmOnly(text) {
  text = text
    .replace(/"[^"]*"?|«[^»]*»?|“[^”]*”?|„[^“”]*[“”]?/g, " ") // comments (as syntax.py's tokens)
    .replace(/(?<![\d:])20\d\d(?:\s*[-,]\s*20\d\d)*(?:\/\d+)?(?:\+|(?=\s*(?:[A-Za-z":]|\d\d:\d\d)))/g, " "); // years
  return OSM_ONLY.test(text) && !/(?:^|[^\d])\d:|:\d(?:$|[^\d])|\d{3,}/.test(text);
}

/** What the form does with the hours field (see the top of this file). */
export function checkHours(text) {
  const left = { osm: text.trim(), rewritten: false };
  if (!text.trim() || osmOnly(text)) return left;
  const french = looksFrench(text);
  if (!french && OSM_LIKE.test(text)) return left;
  try {
    return { osm: fromFrench(text), rewritten: true };
  } catch (e) {
    if (!(e instanceof HoursError)) throw e;
    return french ? { error: e.message, column: e.column } : left;
  }
}

/** The OSM value for French hours; throws HoursError (French message, column in `text`). */
export function fromFrench(text) {
  const [clauses, phOff, lunch] = new French(text).parse();
  return normalized(toOsm(clauses, phOff, lunch));
}

// --- the reader (french.py: _French) -------------------------------------------------------------------

class French {
  constructor(text) {
    this.text = text;
    this.toks = tokenize(text);
    this.i = 0;
  }

  get tok() { return this.i < this.toks.length ? this.toks[this.i] : null; }

  at(kind, words) {
    const tok = this.tok;
    return tok !== null && tok.kind === kind && (words === undefined || words.has(tok.text));
  }

  wordAt(offset = 0) {
    const j = this.i + offset;
    return j < this.toks.length && this.toks[j].kind === "word" ? this.toks[j].text : "";
  }

  dashAt(offset) {
    const j = this.i + offset;
    return j < this.toks.length && this.toks[j].kind === "dash";
  }

  skipFillers() {
    for (;;) {
      if (this.at("word", FILLERS)) this.i += 1;
      else if (this.at("word", set("matin soir matins soirs")) && this.timeFollows(1)) this.i += 1;
      else if (this.at("word", set("apres")) && this.wordAt(2) === "midi" && this.timeFollows(3)) this.i += 3;
      else if (this.at("word", set("nonstop continu continue"))) this.i += 1;
      else if (this.at("word", set("non")) && this.wordAt(this.dashAt(1) ? 2 : 1) === "stop") this.i += this.dashAt(1) ? 3 : 2;
      else if (this.at("word", set("sans")) && ["rendez", "rdv"].includes(this.wordAt(1))) {
        this.i += 2;
        if (this.dashAt(0) && this.wordAt(1) === "vous") this.i += 2;
      } else if ((this.at("word", set("sans")) && this.wordAt(1) === "interruption")
        || (this.at("word", set("journee")) && ["continue", "continu"].includes(this.wordAt(1)))) this.i += 2;
      else return;
    }
  }

  timeFollows(offset) {
    const save = this.i;
    this.i += offset;
    while (this.at("word", FILLERS)) this.i += 1;
    const found = this.startsTime();
    this.i = save;
    return found;
  }

  error(message) {
    const tok = this.tok;
    return new HoursError(message, tok ? tok.col : Array.from(this.text.trimEnd()).length + 1);
  }

  parse() {
    const clauses = [];
    let phOff = false;
    const lunch = [];
    while (this.tok !== null) {
      const save = this.i;
      this.skipFillers();
      if (this.tok === null) break;
      if (this.i !== save || this.at("sep") || this.at("dash") || this.at("word", AND)) {
        this.i += this.i !== save ? 0 : 1;
        continue;
      }
      if (this.at("word", CLOSED)) {
        const closedTok = this.tok;
        this.i += 1;
        this.skipFillers();
        if (startsPeriod(this)) clauses.push(clause(null, [], true, period(this)));
        else if (this.at("word", set("midi")) || this.at("word", set("entre")) || this.startsTime()) lunch.push(...this.lunch());
        else if (this.startsDays()) {
          const days = this.days();
          if (days.has(PH)) phOff = true;
          const week = without(days, [PH]);
          if (week.size) clauses.push(clause(week, [], true));
        } else {
          throw new HoursError(`« ${closedTok.raw} » : dites quels jours ou quelle période, par exemple « fermé le `
            + "lundi » ou « fermé du 1er au 15 août »", closedTok.col);
        }
        continue;
      }
      if (this.at("word", EXCEPT)) {
        this.i += 1;
        this.skipFillers();
        if (!clauses.length || !this.startsDays()) throw this.error("« sauf » : dites quels jours, par exemple « tous les jours sauf le lundi »");
        const days = this.days();
        if (days.has(PH)) phOff = true;
        for (const c of clauses) c.days = without(c.days === null ? range7() : c.days, without(days, [PH]));
        continue;
      }
      if (this.at("word", set("conges vacances")) && this.periodFollows()) {
        this.i += 1;
        this.skipFillers();
        clauses.push(clause(null, [], true, period(this)));
        continue;
      }
      if (startsPeriod(this)) {
        const dates = period(this);
        this.skipFillers();
        if (this.at("sep", set(":"))) { this.i += 1; this.skipFillers(); }
        if (this.at("word", CLOSED)) {
          this.i += 1;
          clauses.push(clause(null, [], true, dates));
          continue;
        }
        const periodDays = this.startsDays() ? this.days() : null;
        this.skipFillers();
        if (this.at("sep", set(":"))) { this.i += 1; this.skipFillers(); }
        if (!this.startsTime()) throw this.unknown("des heures pour cette période, par exemple « en août 9h-12h »");
        clauses.push(clause(periodDays, this.spans(), false, dates));
        continue;
      }
      if (this.startsDays()) {
        const days = this.days();
        this.skipFillers();
        if (this.at("sep", set(":"))) this.i += 1;
        if (this.at("word", CLOSED)) {
          this.i += 1;
          const week = without(days, [PH]);
          if (week.size) clauses.push(clause(week, [], true));
          phOff = phOff || days.has(PH);
          continue;
        }
        this.skipFillers();
        if (this.at("sep", set(",")) && this.timeFollows(1)) { this.i += 1; this.skipFillers(); }
        if (!this.startsTime()) {
          throw new HoursError("jours sans horaires : ajoutez les heures, par exemple « du lundi au vendredi 9h-18h », "
            + "ou « fermé » si ces jours sont fermés", this.toks[this.i - 1].col);
        }
        clauses.push(clause(days, this.spans()));
        continue;
      }
      if (this.startsTime()) {
        const spans = this.spans();
        this.skipFillers();
        clauses.push(clause(this.startsDays() ? this.days() : null, spans));
        continue;
      }
      throw this.unknown("un jour (lundi, mardi…) ou des heures (9h-12h)");
    }
    if (!clauses.length && !phOff) throw new HoursError("aucun horaire compris : écrivez par exemple « du lundi au vendredi 9h-12h et 14h-18h »", 1);
    return [clauses, phOff, lunch];
  }

  periodFollows() {
    const save = this.i;
    this.i += 1;
    const found = startsPeriod(this);
    this.i = save;
    return found;
  }

  unknown(expected) {
    const tok = this.tok;
    if (tok === null) return this.error(`le texte s'arrête trop tôt : attendu ${expected}`);
    if (tok.kind === "word" && ["matin", "soir", "apres", "midi", "nuit"].includes(tok.text)) {
      return this.error(`« ${tok.raw} » : précisez les heures, par exemple 9h-12h (matin) ou 19h-22h (soir)`);
    }
    if (tok.kind === "word" && (["rendez", "rdv", "appel", "demande"].includes(tok.text)
      || (tok.text === "sur" && ["rendez", "rdv", "demande", "appel"].includes(this.wordAt(1))))) {
      return this.error(`« ${tok.raw} » : les rendez-vous ne s'indiquent pas dans les horaires ; `
        + "écrivez les heures d'ouverture, et « sur rendez-vous » dans la description");
    }
    return this.error(`« ${tok.raw} » non compris : attendu ${expected}`);
  }

  startsDays() {
    const tok = this.tok;
    if (tok === null) return false;
    if (tok.kind === "alldays") return true;
    if (tok.kind !== "word") return false;
    const word = tok.text;
    return DAYS.has(word) || tok.raw in OSM_CODES || tok.raw === "PH" || ["jf", "feries", "ferie", "semaine"].includes(word)
      || (["tous", "toute"].includes(word) && ["les", "la"].includes(this.wordAt(1)))
      || (word === "jours" && ["feries", "ferie"].includes(this.wordAt(1)))
      || word === "weekend" || (word === "we" && tok.raw !== "We")
      || (word === "week" && this.i + 2 < this.toks.length && this.toks[this.i + 2].text === "end");
  }

  oneDay() {
    const tok = this.tok;
    this.i += 1;
    if (tok.kind === "alldays") return range7();
    const word = tok.text;
    if (tok.raw in OSM_CODES) return new Set([OSM_CODES[tok.raw]]);
    if (tok.raw === "PH" || ["jf", "feries", "ferie"].includes(word)) return new Set([PH]);
    if (DAYS.has(word)) return new Set([DAYS.get(word)]);
    if (word === "tous" || word === "toute") {
      this.i += 1;
      if (["jours", "semaine"].includes(this.wordAt())) this.i += 1;
      return range7();
    }
    if (word === "jours") { this.i += 1; return new Set([PH]); }
    if (word === "semaine") return new Set([0, 1, 2, 3, 4]);
    if (word === "week") {
      if (this.at("dash")) this.i += 1;
      if (this.at("word", set("end ends"))) this.i += 1;
    }
    return new Set([5, 6]);
  }

  isDayWord() {
    const tok = this.tok;
    return tok !== null && tok.kind === "word" && (DAYS.has(tok.text) || tok.raw in OSM_CODES);
  }

  days() {
    let days = new Set();
    for (;;) {
      this.skipFillers();
      const firstTok = this.tok;
      let first = this.oneDay();
      if ((this.at("word", RANGE) || this.at("dash")) && first.size === 1 && !first.has(PH)) {
        const save = this.i;
        this.i += 1;
        this.skipFillers();
        if (this.isDayWord()) {
          const [a] = first;
          const [b] = this.oneDay();
          first = new Set(Array.from({ length: (((b - a) % 7) + 7) % 7 + 1 }, (_, k) => (a + k) % 7));
        } else {
          this.i = save;
          if (this.at("word", RANGE)) {
            throw new HoursError(`« ${firstTok.raw} ${this.tok.raw} » : dites jusqu'à quel jour, par exemple « du lundi au vendredi »`, this.tok.col);
          }
        }
      }
      days = new Set([...days, ...first]);
      const save = this.i;
      if (this.isDayWord()) continue;
      if (this.at("sep", set(", &")) || this.at("word", AND)) {
        this.i += 1;
        this.skipFillers();
        if (this.startsDays()) continue;
        this.i = save;
      }
      if (this.at("word", EXCEPT)) {
        this.i += 1;
        this.skipFillers();
        if (this.startsDays()) return without(days, this.days());
        this.i = save;
      }
      return days;
    }
  }

  startsTime() {
    return this.at("time") || this.at("allday") || this.at("word", set("midi minuit")) || (this.at("num")
      && this.i + 1 < this.toks.length && (["dash", "time"].includes(this.toks[this.i + 1].kind) || RANGE.has(this.toks[this.i + 1].text)));
  }

  time(isEnd) {
    const tok = this.tok;
    if (tok === null) throw this.error("le texte s'arrête trop tôt : attendu une heure, par exemple 18h");
    if (tok.kind === "word" && (tok.text === "midi" || tok.text === "minuit")) {
      this.i += 1;
      return tok.text === "midi" ? 12 * 60 : isEnd ? DAY_MINUTES : 0;
    }
    if (tok.kind !== "time" && tok.kind !== "num") throw this.unknown("une heure, par exemple 18h");
    const digits = tok.text.match(/\d+/g);
    const hours = Number(digits[0]);
    const minutes = digits.length > 1 ? Number(digits[1]) : 0;
    if (hours > 24 || minutes > 59 || (hours === 24 && minutes)) {
      throw this.error(`heure « ${tok.raw} » impossible : les heures vont de 0h à 24h, les minutes de 00 à 59`);
    }
    this.i += 1;
    return hours * 60 + minutes;
  }

  span() {
    this.skipFillers();
    if (this.at("allday")) { this.i += 1; return [0, DAY_MINUTES]; }
    const startTok = this.tok;
    const start = this.time(false);
    let end;
    if (this.at("dash") || this.at("sep", set("/")) || this.at("word", RANGE)) {
      this.i += 1;
      if (this.at("word", set("a au"))) this.i += 1;
      end = this.time(true);
    } else if (startTok.text === "midi") {
      throw new HoursError("« midi » : précisez les heures, par exemple 12h-14h", startTok.col);
    } else {
      throw this.error(`« ${startTok.raw} » : donnez l'heure de début et de fin, par exemple ${startTok.raw}-18h`);
    }
    if (end === 0 && start) end = DAY_MINUTES;
    if (end === start) throw new HoursError(`plage « ${startTok.raw} » vide : l'heure de fin doit être différente`, startTok.col);
    if (end < start) {
      if (end > 2 * 60 && !(start >= 12 * 60 && end <= 6 * 60)) {
        throw new HoursError(`la plage qui commence à « ${startTok.raw} » finit avant de commencer : vérifiez `
          + "les heures (une nuit finit à 2h au plus tard, ou commence à midi ou plus tard et finit à 6h au plus tard)", startTok.col);
      }
      end += DAY_MINUTES;
    }
    return [start, end];
  }

  spans() {
    const found = [this.span()];
    for (;;) {
      const save = this.i;
      if (this.at("sep", set(", / &")) || this.at("word", AND) || this.at("dash")) {
        this.i += 1;
        this.skipFillers();
        if (this.startsTime()) {
          const col = this.tok.col;
          const span = this.span();
          if (found.some(([s, e]) => s < span[1] && span[0] < e)) {
            const last = this.toks[this.i - 1];
            const written = Array.from(this.text).slice(col - 1, last.col - 1 + Array.from(last.raw).length).join("");
            throw new HoursError(`les plages horaires se chevauchent : « ${written} » recouvre une plage déjà écrite ; corrigez les heures`, col);
          }
          found.push(span);
          continue;
        }
      }
      this.i = save;
      return found;
    }
  }

  lunch() {
    if (this.at("word", set("entre"))) {
      this.i += 1;
      const start = this.time(false);
      if (!this.at("word", set("et"))) throw this.unknown("« et », par exemple « fermé entre 12h et 14h »");
      this.i += 1;
      if (this.at("word", set("deux"))) { this.i += 1; return [[start, 14 * 60]]; }
      return [[start, this.time(true)]];
    }
    if (this.at("word", set("midi")) && !(this.i + 1 < this.toks.length
      && (this.toks[this.i + 1].kind === "dash" || RANGE.has(this.toks[this.i + 1].text)))) {
      this.i += 1;
      return [[12 * 60, 14 * 60]];
    }
    return [this.span()];
  }
}

const range7 = () => new Set([0, 1, 2, 3, 4, 5, 6]);
const without = (a, b) => new Set([...a].filter((x) => !new Set(b).has(x)));
const clause = (days, spans, off = false, dates = []) => ({ days, spans, off, dates });

// --- periods of the year (french_dates.py) --------------------------------------------------------------

function startsPeriod(p) {
  const toks = p.toks;
  let j = p.i;
  const word = (k, words) => k < toks.length && toks[k].kind === "word" && words.has(toks[k].text);
  while (word(j, LEADING)) j += 1;
  if (word(j, set("mois"))) {
    j += 1;
    while (word(j, set("d de"))) j += 1;
  }
  if (j < toks.length && toks[j].kind === "word" && FR_MONTHS.has(toks[j].text)) return true;
  if (j < toks.length && toks[j].kind === "num") {
    for (let k = j + 1; k < toks.length && k < j + 6; k++) {
      if (toks[k].kind === "word" && FR_MONTHS.has(toks[k].text)) return true;
      if (["time", "allday"].includes(toks[k].kind) || (toks[k].kind === "word" && toks[k].text === "h")) return false;
    }
  }
  return false;
}

function period(p) {
  const raw = [];
  for (;;) {
    const first = point(p);
    let last = first;
    if (p.at("word", set("au a jusqu jusqua")) || p.at("dash")) {
      const save = p.i;
      p.i += 1;
      p.skipFillers();
      if (p.tok !== null && (p.tok.kind === "num" || (p.tok.kind === "word" && FR_MONTHS.has(p.tok.text)))) last = point(p);
      else p.i = save;
    }
    raw.push([first, last]);
    const save = p.i;
    if (p.at("sep", set(",")) || p.at("word", set("et"))) {
      p.i += 1;
      p.skipFillers();
      if (startsPeriod(p)) continue;
      p.i = save;
    }
    return fillMonths(raw, p);
  }
}

function point(p) {
  while (p.at("word", LEADING)) p.i += 1;
  if (p.at("word", set("mois"))) {
    p.i += 1;
    while (p.at("word", LEADING)) p.i += 1;
  }
  let day = 0;
  if (p.tok !== null && p.tok.kind === "num") {
    const tok = p.tok;
    day = Number(tok.text);
    p.i += 1;
    if (p.at("word", set("er eme"))) p.i += 1;
    if (!(day >= 1 && day <= 31)) throw new HoursError(`jour « ${tok.raw} » impossible : les jours du mois vont de 1 à 31`, tok.col);
  }
  if (p.tok !== null && p.tok.kind === "word" && FR_MONTHS.has(p.tok.text)) {
    const month = FR_MONTHS.get(p.tok.text);
    if (day > daysIn(month)) throw new HoursError(`le ${day} ${p.tok.raw} n'existe pas`, p.tok.col);
    p.i += 1;
    return [month, day];
  }
  return [null, day];
}

function fillMonths(raw, p) {
  let following = null;
  for (const item of [...raw].reverse()) {
    for (const k of [1, 0]) {
      const [month, day] = item[k];
      if (month === null) {
        if (following === null) {
          throw new HoursError("date incomplète : écrivez le mois, par exemple « du 1er au 15 août »",
            p.tok ? p.tok.col : Array.from(p.text.trimEnd()).length + 1);
        }
        item[k] = [following, day];
      }
      following = item[k][0];
    }
  }
  return raw;
}

function datesOsm(conds) {
  return conds.map(([[m1, d1], [m2, d2]]) => {
    if (!d1 && !d2) return m1 === m2 ? MONTHS[m1 - 1] : `${MONTHS[m1 - 1]}-${MONTHS[m2 - 1]}`;
    const first = `${MONTHS[m1 - 1]} ${String(d1 || 1).padStart(2, "0")}`;
    const last = `${MONTHS[m2 - 1]} ${String(d2 || daysIn(m2)).padStart(2, "0")}`;
    return first === last ? first : `${first}-${last}`;
  }).join(",");
}

// --- clauses → OSM (french_osm.py) and the canonical form (week.py) -------------------------------------

function merge(spans) {
  const merged = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    if (merged.length && s <= merged[merged.length - 1][1]) merged[merged.length - 1][1] = Math.max(merged[merged.length - 1][1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function cut(spans, lunch) {
  let out = spans;
  for (const [cs, ce] of lunch) out = out.flatMap(([s, e]) => [[s, Math.min(e, cs)], [Math.max(s, ce), e]]).filter(([s, e]) => s < e);
  return out;
}

function runs(days) {
  const present = new Set(days);
  if (present.size === 7) return [[0, 7]];
  const out = [];
  for (const day of [...present].sort((a, b) => a - b)) {
    if (!present.has((day + 6) % 7)) {
      let length = 1;
      while (present.has((day + length) % 7)) length += 1;
      out.push([day, length]);
    }
  }
  return out.sort((a, b) => (a[0] + a[1] > 7 ? a[0] - 7 : a[0]) - (b[0] + b[1] > 7 ? b[0] - 7 : b[0]));
}

function selectorOsm(days) {
  return runs(days).map(([first, length]) => {
    const last = (first + length - 1) % 7;
    if (length === 1) return DAY_CODES[first];
    if (length === 2) return `${DAY_CODES[first]},${DAY_CODES[last]}`;
    return `${DAY_CODES[first]}-${DAY_CODES[last]}`;
  }).join(",");
}

const spansOsm = (spans) => spans.map(([s, e]) => `${fmt(s)}-${fmt(e)}`).join(",");

function groups(own) {
  const byKey = new Map();
  for (const [day, spans] of own) {
    const merged = merge(spans);
    const key = JSON.stringify(merged);
    if (!byKey.has(key)) byKey.set(key, { spans: merged, days: new Set() });
    byKey.get(key).days.add(day);
  }
  return [...byKey.values()].sort((a, b) => Math.min(...a.days) - Math.min(...b.days));
}

function ruleText({ spans, days }) {
  const selector = [selectorOsm(without(days, [PH])), days.has(PH) ? "PH" : ""].filter(Boolean).join(",");
  return `${selector} ${spansOsm(spans)}`;
}

/** Ordinary days' open spans of weekly rules (each replaces the days it names), nights carried over. */
function weekTimeline(rules) {
  return Array.from({ length: 7 }, (_, day) => {
    let active = [];
    for (const { days, spans } of rules) {
      if (days.has(day)) active = spans.map(([s, e]) => [s, Math.min(e, DAY_MINUTES)]);
      if (days.has((day + 6) % 7)) for (const [, e] of spans) if (e > DAY_MINUTES) active.push([0, e - DAY_MINUTES]);
    }
    return JSON.stringify(merge(active));
  });
}

function toOsm(clauses, phOff, lunch) {
  const dated = clauses.filter((c) => c.dates.length);
  const weekly = clauses.filter((c) => !c.dates.length);
  const own = new Map();
  for (const c of weekly) {
    const days = c.days === null ? range7() : c.days;
    if (c.off) { for (const d of days) own.delete(d); continue; }
    const spans = cut(c.spans, lunch);
    for (const d of days) own.set(d, [...(own.get(d) || []), ...spans]);
  }
  for (const c of weekly) if (c.off) for (const d of (c.days === null ? range7() : c.days)) own.delete(d);
  if (phOff) own.delete(PH);
  const intended = Array.from({ length: 7 }, (_, day) => JSON.stringify(merge([
    ...(own.get(day) || []).map(([s, e]) => [s, Math.min(e, DAY_MINUTES)]),
    ...(own.get((day + 6) % 7) || []).filter(([, e]) => e > DAY_MINUTES).map(([, e]) => [0, e - DAY_MINUTES]),
  ])));
  let rules;
  for (let pass = 0; pass < 7; pass++) {
    rules = groups(new Map([...own].sort((a, b) => a[0] - b[0])));
    const got = weekTimeline(rules);
    const lost = intended.map((t, day) => (got[day] !== t ? day : -1)).filter((d) => d >= 0);
    if (!lost.length) break;
    for (const day of lost) {
      const nights = (own.get((day + 6) % 7) || []).filter(([, e]) => e > DAY_MINUTES).map(([, e]) => e - DAY_MINUTES);
      const night = nights.length ? Math.max(...nights) : 0;
      if (night) own.set(day, merge([...(own.get(day) || []), [0, night]]));
    }
  }
  const texts = rules.map(ruleText);
  const closed = new Set(weekly.filter((c) => c.off).flatMap((c) => [...(c.days === null ? range7() : c.days)]));
  if (!texts.length && closed.size) texts.push(`${selectorOsm(closed)} off`);
  for (const c of dated) {
    let selector = datesOsm(c.dates);
    if (c.days !== null) selector += ` ${selectorOsm(without(c.days, [PH]))}`;
    texts.push(c.off ? `${selector} off` : `${selector} ${spansOsm(merge(c.spans))}`);
  }
  if (phOff) texts.push("PH off");
  return { text: texts.join("; "), rules, dated: dated.length > 0, phOff };
}

/** week.py's normalized() on what toOsm writes: only « every day, all day » reads differently (24/7). */
function normalized({ text, rules, dated, phOff }) {
  if (!text) {
    throw new HoursError("horaires compris comme «  », mais horaires vides : écrivez par exemple Mo-Fr 09:00-18:00; "
      + "Sa 09:00-12:00, ou retirez ce champ", 1);
  }
  if (dated) return text;
  const all = rules.find((r) => [0, 1, 2, 3, 4, 5, 6].every((d) => r.days.has(d)));
  if (all && all.spans.length === 1 && all.spans[0][0] === 0 && all.spans[0][1] === DAY_MINUTES) {
    const others = rules.filter((r) => r !== all);
    if (all.days.has(PH) || (!others.length && !phOff)) return "24/7";
    if (!others.length && phOff) return "24/7; PH off";
    if (others.length === 1 && others[0].days.size === 1 && others[0].days.has(PH)) return `24/7; PH ${spansOsm(others[0].spans)}`;
  }
  return text;
}
