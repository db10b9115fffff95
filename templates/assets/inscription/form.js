// The registration form (/inscription/): steps, validation as people type (JSON Schema generated from
// the content model), category search, commune list, hours helper, preview, then either the bot
// (data-bot) or, without one, an e-mail / a GitHub issue carrying the entry as YAML.
// Configuration comes from data-* attributes of the form; no inline script.
import { validate, message } from './schema-check.js';
import { checkValue } from './rules.js';
import { fold, toYaml } from './text.js';
import { describeHours, enhanceHours } from './hours-editor.js';

const form = document.getElementById('inscription');
const cfg = form.dataset;
const LISTS = ['categories', 'click_and_collect.order'];
const BOOLEANS = /^(click_and_collect\.delivery|products\.\d+\.available)$/;
const NUMBERS = /\.(price|lat|lon)$/;
const META = ['action', 'slug', 'reason', 'consent'];
const steps = [...form.querySelectorAll('.step')];
const summary = document.getElementById('erreurs');
const params = new URLSearchParams(window.location.search);
let schema = null;
let current = 0;
let mode = 'create';
let original = null;
const touched = new Set();
const communeCache = {};

// --- reading and writing the form ---------------------------------------------------------------

function setPath(obj, path, value) {
  const parts = path.split('.');
  let node = obj;
  parts.slice(0, -1).forEach((part, i) => {
    const nextIsIndex = /^\d+$/.test(parts[i + 1]);
    if (node[part] === undefined) node[part] = nextIsIndex ? [] : {};
    node = node[part];
  });
  node[parts[parts.length - 1]] = value;
}

function getPath(obj, path) {
  return path.split('.').reduce((node, part) => (node == null ? undefined : node[part]), obj);
}

/** The merchant as the form describes it, shaped like the YAML file. */
function collect() {
  const data = { address: {}, contact: {}, click_and_collect: { order: [] }, categories: [] };
  for (const el of form.elements) {
    const name = el.name;
    if (!name || META.includes(name) || el.closest('.hp') || el.disabled) continue;
    if (el.type === 'hidden' && BOOLEANS.test(name)) continue;
    if (LISTS.includes(name)) {
      if (el.checked) getPath(data, name).push(el.value);
    } else if (el.type === 'checkbox') {
      setPath(data, name, el.checked);
    } else if (el.type === 'radio') {
      if (el.checked) setPath(data, name, el.value);
    } else {
      let value = el.value.trim();
      if ('compact' in el.dataset) value = value.replace(/\s+/g, '');
      if (!value) continue;
      if (NUMBERS.test(name)) {
        const n = Number(value.replace(/\s|€/g, '').replace(',', '.'));
        value = Number.isFinite(n) ? n : value;
      }
      setPath(data, name, value);
    }
  }
  if (data.products) {
    data.products = data.products.filter((p) => p && (p.name !== undefined || p.price !== undefined));
    data.products.forEach((p) => { if (p.available === true) delete p.available; });
    if (!data.products.length) delete data.products;
  }
  if (data.click_and_collect.delivery === false) delete data.click_and_collect.delivery;
  if (data.points_of_sale) { // rows left blank (points of sale)
    data.points_of_sale = data.points_of_sale.filter((p) => p && Object.keys(p).length);
    if (!data.points_of_sale.length) delete data.points_of_sale;
  }
  return data;
}

function field(name) {
  return form.elements.namedItem(name);
}

function fill(data) {
  const products = data.products || [];
  while (form.querySelectorAll('.product').length < products.length) addProduct();
  for (const el of form.elements) {
    const name = el.name;
    if (!name || META.includes(name) || el.type === 'hidden' && BOOLEANS.test(name)) continue;
    const value = getPath(data, name);
    if (LISTS.includes(name)) el.checked = Array.isArray(value) && value.includes(el.value);
    else if (el.type === 'radio') el.checked = value === el.value;
    else if (el.type === 'checkbox') el.checked = value === undefined ? /available$/.test(name) : Boolean(value);
    else el.value = value == null ? '' : String(value);
  }
  updateChosen();
  loadCommunes();
}

// --- errors ---------------------------------------------------------------------------------------

function fieldNameOf(path) {
  for (const list of LISTS) if (path === list || path.startsWith(`${list}.`)) return list;
  return path || 'fiche';
}

function label(name) {
  const slot = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  const el = slot && (slot.querySelector('legend') || slot.querySelector('label'));
  return el ? el.textContent.replace('(facultatif)', '').trim() : name;
}

/** The schema of a dotted field (`products.0.name`), following $ref and the non-null branch of anyOf. */
function schemaOf(name) {
  const deref = (s) => {
    let node = s;
    while (node && (node.$ref || node.anyOf)) {
      node = node.$ref ? schema.$defs[node.$ref.replace('#/$defs/', '')] : node.anyOf.find((b) => b.type !== 'null');
    }
    return node;
  };
  let node = schema;
  for (const part of name.split('.')) {
    node = deref(node);
    node = /^\d+$/.test(part) ? node && node.items : node && node.properties && node.properties[part];
    if (!node) return {};
  }
  const target = deref(node) || {};
  return node.title ? { ...target, title: node.title } : target;  // the property's own (French) title
}

/** The model's label for a field, as the server names it: « Nom du produit n° 2 ». */
function modelLabel(name) {
  const index = name.match(/\.(\d+)(?=\.|$)/);
  const title = (schema && schemaOf(name).title) || label(name);
  return index ? `${title} n° ${Number(index[1]) + 1}` : title;
}

function clientErrors(data) {
  const errors = {};
  if (!schema) return errors;
  for (const err of validate(schema, data)) {
    const name = fieldNameOf(err.path);
    const input = field(name);
    const hint = input && input.dataset ? input.dataset.formatHint : '';
    (errors[name] = errors[name] || []).push(message(err, hint));
  }
  // The model's own rules (rules.js, held to Python's verdicts by a parity test) have the last word.
  for (const el of form.querySelectorAll('[data-rule]')) {
    if (el.disabled || !el.name || !el.value.trim()) continue;
    const node = schemaOf(el.name);
    const verdict = checkValue(el.dataset.rule, el.value, modelLabel(el.name),
      { minLength: node.minLength, maxLength: node.maxLength }, schema['x-ccdir-decorative'] || []);
    if (verdict) errors[el.name] = [verdict.charAt(0).toUpperCase() + verdict.slice(1)];
    else if (verdict === '') delete errors[el.name];
  }
  return errors;
}

function stepOf(name) {
  const slot = form.querySelector(`[data-field="${CSS.escape(name)}"]`) || form.querySelector(`[data-field="${CSS.escape(name.split('.')[0])}"]`);
  const step = slot ? slot.closest('.step') : null;
  return step ? steps.indexOf(step) : steps.length - 1;
}

function showFieldError(name, text) {
  const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
  const input = field(name);
  const inputs = input instanceof RadioNodeList ? [...input] : input ? [input] : [];
  inputs.forEach((el) => { if (el.type !== 'checkbox' && el.type !== 'radio') el.setAttribute('aria-invalid', text ? 'true' : 'false'); });
  if (slot) {
    slot.textContent = text || '';
    slot.hidden = !text;
  }
  return Boolean(slot);
}

function clearErrors(names) {
  for (const slot of form.querySelectorAll('[data-error-for]')) {
    if (!names || names.includes(slot.dataset.errorFor)) showFieldError(slot.dataset.errorFor, '');
  }
}

function showSummary(errors, intro) {
  const list = summary.querySelector('ul');
  list.replaceChildren();
  summary.querySelector('h2').textContent = intro || 'Quelques informations sont à corriger';
  for (const [name, messages] of Object.entries(errors)) {
    const li = document.createElement('li');
    const target = field(name);
    const text = `${label(name)} : ${messages[0]}`;
    if (target && !(target instanceof RadioNodeList) && target.id) {
      const a = document.createElement('a');
      a.href = `#${target.id}`;
      a.textContent = text;
      a.addEventListener('click', (event) => { event.preventDefault(); goTo(stepOf(name)); target.focus(); });
      li.append(a);
    } else {
      li.textContent = text;
    }
    list.append(li);
  }
  summary.hidden = !list.children.length;
  if (!summary.hidden) summary.focus();
}

/** Show `errors` ({field: [messages]}) next to their fields; returns them. */
function showErrors(errors, only) {
  const names = only || Object.keys(errors);
  for (const name of names) showFieldError(name, (errors[name] || [])[0]);
  return errors;
}

// --- steps ----------------------------------------------------------------------------------------

function namesIn(step) {
  return [...step.querySelectorAll('[data-field]')].map((el) => el.dataset.field);
}

function goTo(index) {
  current = Math.max(0, Math.min(index, steps.length - 1));
  steps.forEach((step, i) => step.classList.toggle('current', i === current));
  const nav = form.querySelector('.steps-nav');
  [...nav.children].forEach((li, i) => (i === current ? li.setAttribute('aria-current', 'step') : li.removeAttribute('aria-current')));
  const [prev, next] = form.querySelectorAll('.step-buttons button');
  prev.hidden = current === 0 || mode === 'remove';
  next.hidden = current === steps.length - 1;
  if (current === steps.length - 1 && mode !== 'remove') preview();
  const heading = steps[current].querySelector('h2');
  heading.tabIndex = -1;
  heading.focus();
}

function checkStep(index) {
  const names = namesIn(steps[index]);
  const errors = clientErrors(collect());
  const mine = Object.fromEntries(Object.entries(errors).filter(([n]) => names.includes(n)));
  showErrors(mine, names);
  names.forEach((n) => touched.add(n));
  return mine;
}

function next(delta) {
  if (delta > 0) {
    const errors = checkStep(current);
    if (Object.keys(errors).length) {
      showSummary(errors);
      return;
    }
  }
  summary.hidden = true;
  goTo(current + delta);
}

// --- categories, communes, hours, products ---------------------------------------------------------

function updateChosen() {
  const chosen = [...form.querySelectorAll('input[name="categories"]:checked')].map((el) => el.parentElement.textContent.trim());
  document.getElementById('cat-choisies').textContent = chosen.length ? `Choisies : ${chosen.join(', ')}` : '';
}

function searchCategories(text) {
  const words = fold(text).split(' ').filter(Boolean);
  let shown = 0;
  for (const labelEl of form.querySelectorAll('#cat-liste .choice')) {
    const haystack = ` ${labelEl.dataset.words}`;
    const match = words.every((w) => haystack.includes(` ${w}`)) || labelEl.querySelector('input').checked;
    labelEl.hidden = !match;
    if (match) shown += 1;
  }
  for (const group of form.querySelectorAll('.cat-group')) group.hidden = !group.querySelector('.choice:not([hidden])');
  document.getElementById('cat-compte').textContent = words.length ? `${shown} catégorie(s) correspondent.` : '';
}

async function communesFor(postcode) {
  const prefix = postcode.slice(0, 2);
  if (!(prefix in communeCache)) {
    communeCache[prefix] = fetch(`${cfg.communes}${prefix}.json`).then((r) => (r.ok ? r.json() : {})).catch(() => null);
  }
  const table = await communeCache[prefix];
  return table ? table[postcode] || [] : null;
}

async function loadCommunes() {
  const postcode = field('address.postcode').value.replace(/\s+/g, '');
  const list = document.getElementById('communes-liste');
  if (!/^\d{5}$/.test(postcode)) { list.replaceChildren(); return; }
  const names = await communesFor(postcode);
  if (names === null) return; // list unavailable: the server checks
  list.replaceChildren(...names.map((n) => Object.assign(document.createElement('option'), { value: n })));
  const city = field('address.city');
  if (!names.length) showFieldError('address.postcode', `Code postal ${postcode} inconnu : vérifiez-le (celui de l'adresse du magasin).`);
  else if (names.length === 1 && !city.value.trim()) city.value = names[0];
  checkCommune(names);
}

async function checkCommune(known) {
  const postcode = field('address.postcode').value.replace(/\s+/g, '');
  const city = field('address.city').value.trim();
  if (!/^\d{5}$/.test(postcode) || !city) return;
  const names = known || await communesFor(postcode);
  if (!names || !names.length) return;
  const match = names.find((n) => fold(n) === fold(city) || fold(n).replace(/^(le|la|les|l) /, '') === fold(city));
  if (match && match !== city) field('address.city').value = match;
  if (!match) {
    showFieldError('address.city', `« ${city} » n'est pas une commune du code postal ${postcode} : ${names.slice(0, 8).join(', ')}.`);
  }
}

function addProduct() {
  const rows = form.querySelectorAll('.product');
  const last = rows[rows.length - 1];
  const index = rows.length;
  const row = last.cloneNode(true);
  row.dataset.index = index;
  const rename = (s) => s.replace(/products\.\d+\./g, `products.${index}.`);
  for (const el of row.querySelectorAll('[name], [id], [for], [data-field], [data-error-for], [aria-describedby]')) {
    for (const attr of ['name', 'id', 'for', 'data-field', 'data-error-for', 'aria-describedby']) {
      if (el.hasAttribute(attr)) el.setAttribute(attr, rename(el.getAttribute(attr)));
    }
    if (el.matches('input:not([type=hidden]):not([type=checkbox])')) el.value = '';
    if (el.matches('input[type=checkbox]')) el.checked = true;
    if (el.matches('.error')) { el.hidden = true; el.textContent = ''; }
  }
  row.querySelector('label').textContent = `Produit ${index + 1}`;
  last.after(row);
  return row;
}

// --- SIRET: name and address from the public directory of companies, through the bot (optional) ---------

async function siretHelp() {
  const box = document.getElementById('siret-aide');
  const number = field('siret').value.replace(/[\s.]/g, '');
  box.hidden = true;
  if (!cfg.bot || checkValue('siret', number, 'SIRET') !== '') return;
  let data;
  try {
    const resp = await fetch(`${cfg.bot}/siret/${number}`, { headers: { Accept: 'application/json' } });
    if (resp.status !== 200) return; // unknown, or the directory is out of reach: the form goes on without it
    data = await resp.json();
  } catch (e) { return; }
  const a = data.address || {};
  box.querySelector('[data-text]').textContent = `Établissement trouvé dans l'annuaire des entreprises : ${data.name}, `
    + `${[a.street, [a.postcode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')} (activité ${data.naf})`
    + `${data.active ? '' : ' — fermé selon l’annuaire'}.`;
  box.querySelector('[data-fill]').onclick = () => {
    const put = (name, value) => { if (value) field(name).value = value; };
    put('name', data.name);
    put('address.street', a.street);
    put('address.postcode', a.postcode);
    put('address.city', a.city);
    loadCommunes();
    box.querySelector('[data-text]').textContent = 'Nom et adresse repris : vérifiez-les aux étapes 1 et 3.';
    box.querySelector('[data-fill]').hidden = true;
  };
  box.querySelector('[data-fill]').hidden = false;
  box.hidden = false;
}

// --- preview, sending, fallback --------------------------------------------------------------------

function checkedLabels(name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((el) => el.parentElement.textContent.trim());
}

function preview(merchant, notes) {
  const m = merchant || collect();
  const box = document.getElementById('apercu');
  const el = (tag, text) => Object.assign(document.createElement(tag), { textContent: text });
  const a = m.address || {};
  const c = m.contact || {};
  const cc = m.click_and_collect || {};
  const parts = [el('p', 'Aperçu de votre fiche :'), el('h3', m.name || '(nom du commerce)'),
    el('p', checkedLabels('categories').join(', ')),
    el('p', [a.street, [a.postcode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', '))];
  if (m.description) parts.push(el('p', m.description));
  parts.push(el('p', ['Contact :', c.phone, c.email, c.website].filter(Boolean).join(' ')));
  parts.push(el('p', `Commande : ${checkedLabels('click_and_collect.order').join(', ') || '—'}`));
  if (cc.pickup) parts.push(el('p', `Retrait : ${cc.pickup}`));
  if (m.opening_hours) parts.push(el('p', `Horaires : ${describeHours(m.opening_hours)}`));
  if (cc.pickup_hours) parts.push(el('p', `Horaires de retrait : ${describeHours(cc.pickup_hours)}`));
  if (cc.delivery) parts.push(el('p', 'Livraison à domicile'));
  if (m.products) parts.push(el('p', `Produits : ${m.products.map((p) => p.name + (p.price != null ? ` (${String(p.price).replace('.', ',')} €)` : '')).join(', ')}`));
  for (const note of notes || []) parts.push(el('p', `Correction : ${note}`));
  box.replaceChildren(...parts);
  box.hidden = false;
  box.dataset.checked = merchant ? 'server' : 'browser';
  if (cfg.bot && !merchant) serverCheck();
}

function requestKey() {
  if (!form.dataset.request) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    form.dataset.request = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  return form.dataset.request;
}

function payload() {
  // `request`: one key per filled form, so that a retry (double click, lost answer) is one request.
  const body = { action: mode, consent: field('consent').checked, adresse_web: field('adresse_web').value, request: requestKey() };
  if (mode !== 'create') body.slug = field('slug').value;
  if (mode === 'remove') body.reason = field('reason').value.trim();
  else body.merchant = collect();
  return body;
}

async function post(endpoint, body) {
  const resp = await fetch(`${cfg.bot}/${endpoint}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body),
  });
  let data = {};
  try { data = await resp.json(); } catch (e) { data = { message: 'réponse illisible du service' }; }
  return { status: resp.status, data };
}

function serverErrors(errors) {
  clearErrors();
  const unplaced = {};
  for (const [name, messages] of Object.entries(errors)) {
    if (!showFieldError(name, messages[0])) unplaced[name] = messages;
  }
  showSummary(errors);
  const first = Object.keys(errors)[0];
  if (first && stepOf(first) !== current) goTo(stepOf(first));
  return unplaced;
}

async function serverCheck() {
  try {
    const { status, data } = await post('check', { ...payload(), consent: true });
    if (status === 422 && data.errors) serverErrors(data.errors);
    else if (status === 200 && data.merchant) {
      preview(data.merchant, data.notes);
      showPlacement(data.placement);
    }
  } catch (e) { /* the final answer comes with the submission */ }
}

/** Where the bot would put this entry (its /check answer): already published, already asked for… */
function showPlacement(placement) {
  if (!placement || !placement.message) return;
  const box = document.getElementById('apercu');
  const note = Object.assign(document.createElement('div'), { className: `placement placement-${placement.status}` });
  note.dataset.placement = placement.status;
  const text = placement.message;
  note.append(Object.assign(document.createElement('p'), { textContent: text.charAt(0).toUpperCase() + text.slice(1) }));
  const links = [[placement.url, placement.status === 'exists' ? 'Voir la fiche publiée' : 'Suivre la demande en cours'],
    [placement.edit_url, 'Modifier cette fiche']].filter(([href]) => href);
  for (const [href, label] of links) {
    const p = document.createElement('p');
    p.append(Object.assign(document.createElement('a'), { href, textContent: label }));
    note.append(p);
  }
  if (placement.reference) note.append(Object.assign(document.createElement('p'), { textContent: `Référence : ${placement.reference}` }));
  box.prepend(note);
}

function confirm(data) {
  form.hidden = true;
  summary.hidden = true;
  const box = document.getElementById('confirmation');
  const text = data.message || '';
  box.querySelector('[data-message]').textContent = text.charAt(0).toUpperCase() + text.slice(1);
  box.querySelector('[data-reference]').textContent = data.number ? `#${data.number} (${data.reference})` : (data.reference || data.slug || '');
  const link = box.querySelector('[data-link]');
  if (data.url) {
    link.hidden = false;
    if (data.status === 'exists') link.firstChild.textContent = 'Fiche publiée : ';  // not the request
    Object.assign(link.querySelector('a'), { href: data.url, textContent: data.url });
  }
  const edit = box.querySelector('[data-edit]');
  if (data.edit_url) {
    edit.hidden = false;
    edit.querySelector('a').href = data.edit_url;
  }
  if (data.status === 'exists' || data.status === 'unchanged') box.querySelector('h2').textContent = 'Rien à envoyer';
  if (data.status === 'exists') box.querySelector('h2').textContent = 'Ce commerce a déjà une fiche';
  if (data.status === 'processing') box.querySelector('h2').textContent = 'Votre demande est en cours de traitement';
  box.hidden = false;
  box.focus();
}

/** The entry as label → text lines, for people (the summary on screen and the e-mail). */
function summaryRows(body) {
  if (!body.merchant) return [['Fiche', original ? original.name : body.slug], ['Motif du retrait', body.reason]];
  const m = body.merchant;
  const a = m.address || {};
  const c = m.contact || {};
  const cc = m.click_and_collect || {};
  const rows = [
    [modelLabel('name'), m.name], [modelLabel('kind'), checkedLabels('kind').join(', ')],
    [modelLabel('categories'), checkedLabels('categories').join(', ')], [modelLabel('description'), m.description],
    [modelLabel('address'), [a.street, [a.postcode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')],
    [modelLabel('contact.phone'), c.phone], [modelLabel('contact.email'), c.email], [modelLabel('contact.website'), c.website],
    [modelLabel('contact.facebook'), c.facebook], [modelLabel('contact.instagram'), c.instagram],
    [modelLabel('click_and_collect.order'), checkedLabels('click_and_collect.order').join(', ')],
    [modelLabel('click_and_collect.order_url'), cc.order_url], [modelLabel('click_and_collect.pickup'), cc.pickup],
    [modelLabel('opening_hours'), m.opening_hours], [modelLabel('click_and_collect.pickup_hours'), cc.pickup_hours],
    ['Livraison', cc.delivery ? 'oui' : ''],
    [modelLabel('products'), (m.products || []).map((p) => p.name + (p.price != null ? ` (${String(p.price).replace('.', ',')} €)` : '')).join(', ')],
    [modelLabel('siret'), m.siret],
  ];
  return rows.filter(([, v]) => v);
}

function fallback(reason) {
  const body = payload();
  const name = (body.merchant && body.merchant.name) || (original && original.name) || '';
  const title = { create: 'Inscription', edit: 'Modification', remove: 'Retrait' }[mode];
  const reference = `${title.slice(0, 3).toUpperCase()}-${requestKey().slice(0, 8).toUpperCase()}`;
  const yaml = body.merchant ? toYaml(body.merchant) : '';
  const rows = summaryRows(body);
  const box = document.getElementById('secours');
  box.querySelector('[data-reference]').textContent = reference;
  box.querySelector('[data-summary]').replaceChildren(...rows.flatMap(([k, v]) => [
    Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]));
  box.querySelector('#fiche-yaml').value = yaml || `Retrait de la fiche ${body.slug}\nMotif : ${body.reason}`;
  const subject = `${title} : ${name} (référence ${reference})`;
  const text = [`${title} de la fiche « ${name} » — référence ${reference}`, body.slug ? `Identifiant : ${body.slug}` : '', '',
    ...rows.map(([k, v]) => `${k} : ${v}`),
    ...(yaml ? ['', 'Pour la chambre, la fiche (à coller dans content/merchants/ ou dans une demande GitHub) :', '', yaml] : [])]
    .filter((l, i, all) => l || (i > 0 && all[i - 1])).join('\n');
  box.dataset.text = text;
  const mail = box.querySelector('[data-mail]');
  if (cfg.email) {
    mail.hidden = false;
    mail.querySelector('a').href = `mailto:${cfg.email}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`;
  }
  const issue = box.querySelector('[data-issue]');
  if (cfg.issues) {
    const q = new URLSearchParams({ template: 'inscription.yml', title: subject, demande: title });
    if (body.slug) q.set('identifiant', body.slug);
    if (yaml) q.set('fiche', yaml);
    if (body.reason) q.set('motif', body.reason);
    issue.hidden = false;
    issue.querySelector('a').href = `${cfg.issues}?${q}`;
  }
  if (reason) box.querySelector('[data-intro]').textContent = reason;
  form.hidden = true;
  box.hidden = false;
  box.focus();
}

async function submit(event) {
  event.preventDefault();
  const body = payload();
  const errors = mode === 'remove' ? {} : clientErrors(body.merchant);
  if (mode !== 'remove' && !body.consent) errors.consent = ['Cochez la case pour accepter la publication.'];
  if (mode === 'remove' && body.reason.length < 3) errors.reason = ['Indiquez en quelques mots pourquoi retirer cette fiche.'];
  if (Object.keys(errors).length) {
    clearErrors();
    serverErrors(errors);
    return;
  }
  if (!cfg.bot) { fallback(); return; }
  const button = document.getElementById('envoyer');
  button.disabled = true;
  button.textContent = 'Envoi en cours…';
  try {
    const { status, data } = await post('submit', body);
    if (status === 422 && data.errors) serverErrors(data.errors);
    else if ([200, 201, 202, 409].includes(status)) confirm(data);
    else showSummary({ fiche: [data.message || `erreur ${status}`] }, 'Votre demande n’a pas été enregistrée');
  } catch (e) {
    fallback('Le service d’inscription ne répond pas. Rien n’est perdu : envoyez votre demande de l’une de ces façons.');
  } finally {
    button.disabled = false;
    button.textContent = 'Envoyer ma demande';
  }
}

// --- modes: new entry, edit (?modifier=slug), removal (?retirer=slug) ----------------------------------

async function loadFiche(slug) {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) return null;
  try {
    const resp = await fetch(`${cfg.fiches}${slug}/fiche.json`);
    return resp.ok ? resp.json() : null;
  } catch (e) { return null; }
}

async function setMode() {
  const slug = params.get('modifier') || params.get('retirer');
  if (!slug) return;
  const fiche = await loadFiche(slug);
  if (!fiche) {
    showSummary({ fiche: [`la fiche « ${slug} » est introuvable : ouvrez ce formulaire depuis la page du commerce.`] }, 'Fiche introuvable');
    return;
  }
  original = fiche.merchant;
  field('slug').value = fiche.slug;
  const title = document.getElementById('titre');
  if (params.get('retirer')) {
    mode = 'remove';
    title.textContent = `Retirer la fiche « ${original.name} »`;
    document.getElementById('intro').textContent = 'La demande sera relue avant que la fiche ne disparaisse du site.';
    steps.splice(0, steps.length - 1).forEach((s) => { s.hidden = true; });
    form.querySelector('.consent').hidden = true;
    const reason = form.querySelector('.removal');
    reason.hidden = false;
    field('reason').disabled = false;
    document.getElementById('envoyer').textContent = cfg.bot ? 'Envoyer ma demande' : 'Préparer ma demande';
  } else {
    mode = 'edit';
    title.textContent = `Modifier la fiche « ${original.name} »`;
    document.getElementById('intro').textContent = 'Corrigez ce qui a changé : la modification sera relue avant publication.';
    fill(original);
  }
  field('action').value = mode;
}

function buildNav() {
  const nav = form.querySelector('.steps-nav');
  nav.replaceChildren(...steps.map((s, i) => Object.assign(document.createElement('li'), { textContent: `${i + 1}. ${s.dataset.title}` })));
  nav.hidden = steps.length < 2;
}

async function start() {
  steps[0].classList.add('current');  // before .js hides the other steps: nothing collapses, nothing moves
  form.classList.add('js');
  form.querySelector('.cat-search').hidden = false;
  document.getElementById('ajout-produit').hidden = false;
  document.getElementById('envoyer').hidden = false;
  try {
    schema = await (await fetch(cfg.schema)).json();
  } catch (e) { schema = null; /* the server still checks everything */ }
  if (cfg.phonelib && !globalThis.libphonenumber) {  // phone numbers checked as the model does, once loaded
    document.head.append(Object.assign(document.createElement('script'), { src: cfg.phonelib, async: true }));
  }
  await setMode();
  enhanceHours(form);  // after setMode: an edit has prefilled the hours fields
  buildNav();
  goTo(0);
  form.querySelectorAll('[data-go]').forEach((b) => b.addEventListener('click', () => next(Number(b.dataset.go))));
  form.querySelector('.step-buttons').classList.add('ready');  // only once they work (the schema is loaded)
  form.addEventListener('submit', submit);
  form.addEventListener('input', (event) => {
    const name = event.target.name;
    if (!name || META.includes(name)) return;
    const key = fieldNameOf(name);
    if (name === 'categories') updateChosen();
    if (touched.has(key) || event.target.getAttribute('aria-invalid') === 'true') showErrors(clientErrors(collect()), [key]);
  });
  form.addEventListener('focusout', (event) => {
    const name = event.target.name;
    if (!name || META.includes(name) || name === 'adresse_web') return;
    const key = fieldNameOf(name);
    touched.add(key);
    showErrors(clientErrors(collect()), [key]);
    if (key === 'address.postcode') loadCommunes();
    if (key === 'siret') siretHelp();
    if (key === 'address.city') checkCommune();
    if (key === 'contact.website' || key.endsWith('facebook') || key.endsWith('instagram') || key.endsWith('order_url')) {
      const el = event.target;
      if (el.value && !/^https?:\/\//i.test(el.value.trim()) && /\.[a-z]{2,}/i.test(el.value)) {
        el.value = `https://${el.value.trim()}`;
        showErrors(clientErrors(collect()), [key]);
      }
    }
  });
  document.getElementById('cat-recherche').addEventListener('input', (e) => searchCategories(e.target.value));
  document.getElementById('ajout-produit').addEventListener('click', () => addProduct().querySelector('input').focus());
  document.querySelector('#secours [data-copy]').addEventListener('click', async () => {
    const out = document.querySelector('#secours [data-copied]');
    try {
      await navigator.clipboard.writeText(document.getElementById('secours').dataset.text || document.getElementById('fiche-yaml').value);
      out.textContent = 'Copiée.';
    } catch (e) {
      document.getElementById('fiche-yaml').select();
      out.textContent = 'Sélectionnée : copiez-la (Ctrl+C).';
    }
  });
}

start();
