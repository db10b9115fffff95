// The content model's field rules that JSON Schema cannot express, ported from ccdir.content.model:
// text hygiene (invisible, control and bidirectional characters, U+2028/U+2029, stacked accents,
// spreadsheet formulas, decorative letters), SIRET check digit (with La Poste's exception), phone numbers
// (libphonenumber-js, loaded by the form as assets/vendor/libphonenumber-max.js), postcodes.
// Messages are the model's, word for word: tests/test_form_parity.py runs one corpus through both.

const BIDI = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069';
const INVISIBLE = '\u00ad\u200b\u200c\u2060\ufeff';
const CONTROL = '\x00-\x08\x0b-\x1f\x7f-\x9f';
const SEPARATORS = '\u2028\u2029';
const FORBIDDEN_LINE = new RegExp(`[${BIDI}${INVISIBLE}${CONTROL}${SEPARATORS}\t\n]`, 'u');
const FORBIDDEN_TEXT = new RegExp(`[${BIDI}${INVISIBLE}${CONTROL}${SEPARATORS}]`, 'u');
const BIDI_RE = new RegExp(`[${BIDI}]`, 'u');
const INVISIBLE_RE = new RegExp(`[${INVISIBLE}]`, 'u');
// Python's str.isspace(), for strip() and \s: JavaScript's trim() differs (U+FEFF, U+001C–U+001F, U+0085).
const PY_SPACE = '\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'gu');

const BLANK_LOOKALIKES = new Set(['\u115f', '\u1160', '\u3164', '\uffa0', '\u2800']);
const MAX_STACKED_MARKS = 3;
const FORMULA = /^(=|[+\-@][^\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[(|!])/u;
const PHONE_MESSAGE = (v) => `numéro de téléphone « ${v} » invalide : écrivez un numéro français à 10 chiffres `
  + '(02 38 12 34 56) ou international (+32 2 555 12 12)';

const code = (ch) => `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const is = (ch, category) => new RegExp(`^\\p{${category}}$`, 'u').test(ch);

/** Python's `str.strip()`. */
export function pyStrip(value) {
  return value.replace(STRIP, '');
}

function joinsEmoji(chars, i) {
  let before = i ? chars[i - 1] : '';
  if (before === '\ufe0f' && i > 1) before = chars[i - 2];
  const after = i + 1 < chars.length ? chars[i + 1] : '';
  return Boolean(before && after) && (is(before, 'So') || is(before, 'Sk')) && is(after, 'So');
}

function unseen(value) {
  const chars = [...value];
  let run = 0;
  let runEnd = -1;
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i];
    if (ch.codePointAt(0) < 0x80) continue;
    if (is(ch, 'Mn') || is(ch, 'Me')) {
      run = i === runEnd ? run + 1 : 1;
      runEnd = i + 1;
      if (run > MAX_STACKED_MARKS) {
        return 'trop de signes diacritiques empilés sur une même lettre : retapez le texte sans copier-coller';
      }
      continue;
    }
    if ((is(ch, 'Cf') && !(ch === '\u200d' && joinsEmoji(chars, i))) || BLANK_LOOKALIKES.has(ch)) {
      return `caractère invisible (${code(ch)}) interdit : retapez le texte sans copier-coller`;
    }
    if (is(ch, 'Co')) return `caractère à usage privé (${code(ch)}) : il ne s'affiche pas chez les habitants ; retirez-le`;
    if (is(ch, 'Cn') || is(ch, 'Cs')) return `caractère inconnu (${code(ch)}) : retirez-le`;
  }
  return '';
}

/** ccdir.content.model._clean_text: [message, cleaned value]. */
function cleanText(raw, multiline) {
  const value = pyStrip(raw.normalize('NFC'));
  const found = (multiline ? FORBIDDEN_TEXT : FORBIDDEN_LINE).exec(value);
  if (found) {
    const ch = found[0];
    if (BIDI_RE.test(ch)) return [`caractère de contrôle de sens d'écriture (${code(ch)}) interdit : retapez le texte sans copier-coller`, value];
    if (SEPARATORS.includes(ch) || ch === '\x85') {
      return [`séparateur de ligne spécial (${code(ch)}) : remplacez-le par un retour à la ligne ordinaire ou une espace `
        + "(il vient souvent d'un copier-coller)", value];
    }
    if (INVISIBLE_RE.test(ch)) return [`caractère invisible (${code(ch)}) interdit : retapez le texte sans copier-coller`, value];
    return [`caractère de contrôle (${code(ch)}) interdit${multiline ? '' : ' : le texte doit tenir sur une ligne'}`, value];
  }
  if (/[^\x00-\x7f]/.test(value)) {
    const message = unseen(value);
    if (message) return [message, value];
  }
  return ['', value];
}

function noFormula(value) {
  if (FORMULA.test(value)) {
    return `texte qui commence comme une formule de tableur (« ${[...value].slice(0, 20).join('')} ») : il `
      + "s'exécuterait à l'ouverture des données dans un tableur ; retirez le signe du début";
  }
  return '';
}

function lengths(value, label, limits) {
  const n = [...value].length;
  if (limits.minLength != null && n < limits.minLength) {
    return limits.minLength === 1 ? `« ${label} » est vide : remplissez-le ou retirez la ligne` : `« ${label} » est trop court`;
  }
  if (limits.maxLength != null && n > limits.maxLength) return `« ${label} » est trop long : ${limits.maxLength} caractères au plus`;
  return '';
}

function decorative(value, ranges) {
  for (const ch of value) {
    const cp = ch.codePointAt(0);
    if (cp > 0x7f && ranges.some(([a, b]) => cp >= a && cp <= b)) {
      return `lettres décoratives (« ${ch} ») : écrivez le nom en lettres ordinaires ; les lecteurs d'écran et la `
        + 'recherche ne les reconnaissent pas';
    }
  }
  return '';
}

function luhn(digits) {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    let n = Number(d);
    if (i % 2) { n *= 2; if (n > 9) n -= 9; }
    sum += n;
  });
  return sum % 10 === 0;
}

/** python-stdnum's fr.siret.is_valid: Luhn on 14 digits and on the SIREN, except La Poste's establishments
 * (SIREN 356000000, head office aside) whose digits add up to a multiple of 5. */
export function siretValid(number) {
  if (!/^[0-9]{14}$/.test(number)) return false;
  if (number.startsWith('356000000') && number !== '35600000000048') {
    if ([...number].reduce((s, d) => s + Number(d), 0) % 5 !== 0) return false;
  } else if (!luhn(number)) {
    return false;
  }
  return luhn(number.slice(0, 9));
}

function siret(raw) {
  const value = raw.replace(new RegExp(`[${PY_SPACE}.]`, 'gu'), '');
  if (!/^\p{Nd}{14}$/u.test(value)) {
    return `SIRET « ${value} » invalide : 14 chiffres attendus (SIREN à 9 chiffres + NIC à 5 chiffres)`;
  }
  if (!/[^0]/.test(value)) {
    return `SIRET « ${value} » invalide : ce numéro n'existe pas ; recopiez-le depuis l'avis de situation INSEE ou `
      + "l'annuaire-entreprises.data.gouv.fr";
  }
  if (!siretValid(value)) {
    return `SIRET « ${value} » invalide : la clé de contrôle ne correspond pas ; recopiez-le depuis l'avis de `
      + "situation INSEE ou l'annuaire-entreprises.data.gouv.fr";
  }
  return '';
}

function postcode(raw) {
  const value = pyStrip(raw).replaceAll(' ', '');
  if (/^\p{Nd}{5}$/u.test(value)) return '';
  const hint = /^\p{Nd}{4}$/u.test(value) ? ' ; si le code commence par 0, écrivez-le entre guillemets : "01000"' : '';
  return `code postal « ${value} » invalide : 5 chiffres attendus, par exemple "45200"${hint}`;
}

function phone(raw, label, limits) {
  const [problem, value] = cleanText(raw, false);
  if (problem) return problem;
  const tooLong = lengths(value, label, { maxLength: limits.maxLength });
  if (tooLong) return tooLong;
  const lib = globalThis.libphonenumber;
  if (!lib) return null; // the library is not loaded (yet): the server decides
  let number;
  try { number = lib.parsePhoneNumberFromString(value, 'FR'); } catch (e) { number = undefined; }
  return number && number.isValid() ? '' : PHONE_MESSAGE(value);
}

/**
 * The model's verdict on one field value: '' (accepted), a French message, or null (cannot tell here).
 * `rule`: line | paragraph | name | phone | siret | postcode (x-ccdir-rule in the JSON Schema);
 * `label`: the field's label; `limits`: {minLength, maxLength}; `decorativeRanges`: x-ccdir-decorative.
 */
export function checkValue(rule, value, label, limits = {}, decorativeRanges = []) {
  if (typeof value !== 'string') return null;
  if (rule === 'siret') return siret(value);
  if (rule === 'postcode') return postcode(value);
  if (rule === 'phone') return phone(value, label, limits);
  const [problem, cleaned] = cleanText(value, rule === 'paragraph');
  if (problem) return problem;
  const formula = noFormula(cleaned);
  if (formula) return formula;
  const length = lengths(cleaned, label, limits);
  if (length) return length;
  if (rule === 'name') {
    if (cleaned && !/[\p{L}\p{N}]/u.test(cleaned)) return 'le texte doit contenir au moins une lettre ou un chiffre';
    return decorative(cleaned, decorativeRanges);
  }
  return '';
}


