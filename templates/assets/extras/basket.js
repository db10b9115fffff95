// The reservation basket of a merchant page (templates/_basket.html): products and quantities, a pickup
// moment within the pickup hours, name and phone → a prefilled e-mail or SMS to the merchant. Nothing
// leaves the device but that message; the basket is kept in localStorage so that it survives a reload.
// The page speaks its language (t()); the message stays French: the merchant reads it. Pickup hours are
// evaluated as « ouvert maintenant » does (search/hours.js), public holidays included: the page carries
// the dates computed at build time by the `holidays` package (ccdir.site.basket), when the hours name PH.

import { lang, t } from "../i18n.js";
import { openAt, parisNow } from "../search/hours.js";

const box = document.getElementById("panier");
const form = document.getElementById("panier-form");
const preview = document.getElementById("panier-message");
const error = document.getElementById("panier-erreur");
const slot = form.elements.retrait;
const quantities = [...form.querySelectorAll("input[data-product]")];
const sendLinks = [...box.querySelectorAll("a[data-base]")];
const KEY = `ccdir:panier:${box.dataset.slug}`;
const STEP = 30; // minutes between two pickup moments
const LEAD = 30; // no pickup sooner than this from now
const DAYS = 3; // open days offered
const merchant = document.querySelector("h1").textContent.trim();

const dayOptions = { timeZone: "Europe/Paris", weekday: "long", day: "numeric", month: "long" };
const dayFormat = new Intl.DateTimeFormat("fr-FR", dayOptions); // the message's
const pageDayFormat = new Intl.DateTimeFormat(lang === "fr" ? "fr-FR" : "en-GB", dayOptions);
const isoFormat = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit",
  day: "2-digit" });

function hhmm(minute) {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

export function euros(value) {
  return `${value.toFixed(2).replace(".", ",")} €`;
}

/** The next pickup moments: [{day label, moments: [{value, label, text}]}] for up to DAYS open days;
 * `hours` as in a search record (ccdir.search.hours), `holidays` a Set of ISO dates (or null). `text` is
 * the French moment of the message, `label` the page's. */
export function pickupDays(hours, holidays, now = new Date()) {
  const days = [];
  const nowMinute = parisNow(now).minute;
  for (let k = 0; k < 14 && days.length < DAYS; k += 1) {
    const date = new Date(now.getTime() + k * 86400000);
    const day = parisNow(date);
    const moments = [];
    for (let minute = 0; minute < 24 * 60; minute += STEP) {
      if (k === 0 && minute < nowMinute + LEAD) continue;
      if (!openAt(hours, { ...day, minute }, holidays)) continue;
      moments.push({ value: `${isoFormat.format(date)}T${hhmm(minute)}`, label: hhmm(minute),
        text: `${dayFormat.format(date)} à ${hhmm(minute)}` });
    }
    if (!moments.length) continue;
    const name = pageDayFormat.format(date);
    const label = k === 0 ? t("Aujourd'hui, {day}", { day: name }) : k === 1 ? t("Demain, {day}", { day: name })
      : name[0].toUpperCase() + name.slice(1);
    days.push({ label, moments });
  }
  return days;
}

function fillSlots(hours, holidays) {
  const groups = pickupDays(hours, holidays).map((day) => {
    const group = document.createElement("optgroup");
    group.label = day.label;
    for (const m of day.moments) {
      const option = new Option(m.label, m.value);
      option.dataset.message = m.text;
      group.append(option);
    }
    return group;
  });
  const later = new Option(t("À convenir avec le commerce"), "");
  slot.replaceChildren(...groups, later);
}

function chosen() {
  return quantities.map((input) => ({
    name: input.dataset.product,
    price: input.dataset.price === "" ? null : Number(input.dataset.price),
    quantity: Math.max(0, Math.min(99, Math.floor(Number(input.value) || 0))),
  })).filter((p) => p.quantity > 0);
}

function slotText() {
  const option = slot.selectedOptions[0];
  return option && option.value ? option.dataset.message : "à convenir";
}

/** The order as the merchant will read it. */
export function message({ items, pickup, name, phone }) {
  const lines = ["Bonjour,", "", `Je souhaite commander chez ${merchant}, pour un retrait en boutique :`];
  let total = 0;
  let unpriced = false;
  for (const item of items) {
    if (item.price === null) {
      unpriced = true;
      lines.push(`- ${item.quantity} × ${item.name} (prix à confirmer)`);
    } else {
      total += item.quantity * item.price;
      lines.push(`- ${item.quantity} × ${item.name} : ${euros(item.quantity * item.price)}`);
    }
  }
  if (items.some((item) => item.price !== null)) {
    lines.push(`Total : ${euros(total)}${unpriced ? " (sans les articles au prix à confirmer)" : ""}`);
  }
  lines.push("", `Retrait souhaité : ${pickup}`, `Nom : ${name}`, `Téléphone : ${phone}`, "",
    "Merci de me confirmer la commande.");
  return lines.join("\n");
}

function problems(items, name, phone) {
  const missing = [];
  if (!items.length) missing.push(t("choisissez au moins un produit"));
  if (!name) missing.push(t("indiquez votre nom"));
  if ((phone.match(/\d/g) || []).length < 10) missing.push(t("indiquez un numéro de téléphone complet"));
  return missing;
}

function save() {
  const state = { q: Object.fromEntries(quantities.filter((i) => Number(i.value) > 0).map((i) => [i.id, i.value])),
    nom: form.elements.nom.value, tel: form.elements.tel.value, retrait: slot.value };
  try {
    localStorage.setItem(KEY, JSON.stringify(state));
  } catch { /* private browsing: the basket just does not survive a reload */ }
}

function restore() {
  let state = null;
  try {
    state = JSON.parse(localStorage.getItem(KEY) || "null");
  } catch { /* ignore a damaged entry */ }
  if (!state) return;
  for (const input of quantities) if (state.q && state.q[input.id]) input.value = state.q[input.id];
  form.elements.nom.value = state.nom || "";
  form.elements.tel.value = state.tel || "";
  if ([...slot.options].some((o) => o.value === state.retrait)) slot.value = state.retrait;
}

function update() {
  const items = chosen();
  const name = form.elements.nom.value.trim();
  const phone = form.elements.tel.value.trim();
  const text = message({ items, pickup: slotText(), name, phone });
  preview.textContent = text;
  for (const link of sendLinks) {
    const base = link.dataset.base;
    const body = base.startsWith("mailto:") ? text.replace(/\n/g, "\r\n") : text;
    link.href = `${base}${base.includes("?") ? "&" : "?"}body=${encodeURIComponent(body)}`;
  }
  if (!problems(items, name, phone).length) error.textContent = "";
  save();
}

for (const link of sendLinks) {
  link.addEventListener("click", (event) => {
    const missing = problems(chosen(), form.elements.nom.value.trim(), form.elements.tel.value.trim());
    if (!missing.length) return;
    event.preventDefault();
    error.textContent = t("Avant d'envoyer : {missing}.", { missing: missing.join(", ") });
  });
}

form.addEventListener("input", update);
form.addEventListener("change", update);
form.addEventListener("submit", (event) => event.preventDefault());
document.getElementById("panier-vider").addEventListener("click", () => {
  for (const input of quantities) input.value = "0";
  update();
});

fillSlots(JSON.parse(box.dataset.hours), box.dataset.holidays ? new Set(JSON.parse(box.dataset.holidays)) : null);
restore();
update();
box.hidden = false;
