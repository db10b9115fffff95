// A small validator for the subset of JSON Schema that pydantic emits for the merchant model
// (type, required, enum, minLength/maxLength, pattern, minItems/maxItems, minimum/maximum,
// additionalProperties, anyOf, $ref to $defs). The schema itself is generated at build time from
// ccdir.model.Merchant (site/schema/merchant.json): no rule is written here by hand.

function resolve(root, schema) {
  let s = schema;
  while (s && s.$ref) {
    s = root.$defs[s.$ref.replace('#/$defs/', '')];
  }
  return s;
}

function typeOk(type, value) {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'null': return value === null;
    case 'array': return Array.isArray(value);
    case 'object': return value !== null && typeof value === 'object' && !Array.isArray(value);
    default: return true;
  }
}

function join(path, key) {
  return path ? `${path}.${key}` : String(key);
}

function check(root, schema, value, path, out) {
  const s = resolve(root, schema);
  if (!s) return;
  if (s.anyOf) {
    const results = s.anyOf.map((branch) => { const e = []; check(root, branch, value, path, e); return e; });
    if (results.some((e) => e.length === 0)) return;
    const i = s.anyOf.findIndex((b) => typeOk((resolve(root, b) || {}).type, value));
    out.push(...results[i >= 0 ? i : 0]);
    return;
  }
  if (s.type && !typeOk(s.type, value)) {
    out.push({ path, keyword: 'type', params: { type: s.type } });
    return;
  }
  if (s.enum && !s.enum.includes(value)) out.push({ path, keyword: 'enum', params: { values: s.enum } });
  if (typeof value === 'string') {
    const length = [...value].length;
    if (s.minLength != null && length < s.minLength) out.push({ path, keyword: 'minLength', params: { limit: s.minLength, length } });
    if (s.maxLength != null && length > s.maxLength) out.push({ path, keyword: 'maxLength', params: { limit: s.maxLength, length } });
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) out.push({ path, keyword: 'pattern', params: { pattern: s.pattern } });
  }
  if (typeof value === 'number') {
    if (s.minimum != null && value < s.minimum) out.push({ path, keyword: 'minimum', params: { limit: s.minimum } });
    if (s.maximum != null && value > s.maximum) out.push({ path, keyword: 'maximum', params: { limit: s.maximum } });
    if (s.exclusiveMinimum != null && value <= s.exclusiveMinimum) out.push({ path, keyword: 'minimum', params: { limit: s.exclusiveMinimum } });
    if (s.exclusiveMaximum != null && value >= s.exclusiveMaximum) out.push({ path, keyword: 'maximum', params: { limit: s.exclusiveMaximum } });
  }
  if (Array.isArray(value)) {
    if (s.minItems != null && value.length < s.minItems) out.push({ path, keyword: 'minItems', params: { limit: s.minItems } });
    if (s.maxItems != null && value.length > s.maxItems) out.push({ path, keyword: 'maxItems', params: { limit: s.maxItems } });
    if (s.items) value.forEach((item, i) => check(root, s.items, item, join(path, i), out));
  }
  if (typeOk('object', value)) {
    const props = s.properties || {};
    for (const key of s.required || []) {
      if (!(key in value)) out.push({ path: join(path, key), keyword: 'required', params: {} });
    }
    for (const [key, item] of Object.entries(value)) {
      if (key in props) check(root, props[key], item, join(path, key), out);
      else if (s.additionalProperties === false) out.push({ path: join(path, key), keyword: 'additionalProperties', params: {} });
    }
  }
}

/** Every problem of `data` against `schema`: [{path: "address.city", keyword, params}]. */
export function validate(schema, data) {
  const out = [];
  check(schema, schema, data, '', out);
  return out;
}

const plural = (n, word) => `${n} ${word}${n > 1 ? 's' : ''}`;

/** A French message for one problem; `hint` describes the expected format of the field. */
export function message(error, hint) {
  const p = error.params;
  switch (error.keyword) {
    case 'required': return 'Ce champ est obligatoire.';
    case 'minLength': return p.limit === 1 ? 'Ce champ est obligatoire.' : `Au moins ${plural(p.limit, 'caractère')}.`;
    case 'maxLength': return `Trop long : ${plural(p.limit, 'caractère')} au plus (il y en a ${p.length}).`;
    case 'pattern': return hint ? `Format attendu : ${hint}.` : 'Format non valide.';
    case 'enum': return 'Choisissez une valeur proposée.';
    case 'minItems': return p.limit === 1 ? 'Choisissez-en au moins un.' : `Choisissez-en au moins ${p.limit}.`;
    case 'maxItems': return `${p.limit} au plus : décochez-en.`;
    case 'minimum': return `La valeur doit être au moins ${p.limit}.`;
    case 'maximum': return `La valeur doit être au plus ${p.limit}.`;
    case 'type': return p.type === 'number' ? 'Écrivez un nombre, par exemple 12,50.' : 'Valeur non valide.';
    case 'additionalProperties': return 'Champ inconnu.';
    default: return 'Valeur non valide.';
  }
}
