// The « Quoi ? / Où ? » form (home page and /recherche/): commune autocomplete (ARIA combobox) and
// « Autour de moi ». Without JavaScript the form still submits quoi and ou to /recherche/.

import { Loader } from "./engine.js";
import { Places } from "./places.js";
import { t } from "../i18n.js";

const GEO_DECIMALS = 3; // about 100 m: enough to rank shops, and a shared link does not give a street address

export function setPosition(form, lat, lon) {
  for (const [name, value] of [["lat", lat], ["lon", lon]]) {
    let input = form.querySelector(`input[name="${name}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.append(input);
    }
    input.value = Number(value).toFixed(GEO_DECIMALS);
  }
}

export function clearPosition(form) {
  form.querySelectorAll('input[name="lat"], input[name="lon"]').forEach((input) => input.remove());
}

function ensureStylesheet(href) {
  if (![...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.getAttribute("href") === href)) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    document.head.append(link);
  }
}

export function initForm(form) {
  if (!form || form.dataset.ready) return;
  form.dataset.ready = "1";
  ensureStylesheet(form.dataset.css);
  const places = new Places(new Loader(form.dataset.index));
  const ou = form.querySelector('input[name="ou"]');
  const list = form.querySelector('[role="listbox"]');
  const note = form.querySelector(".ou-note");
  const locate = form.querySelector("button.locate");
  let items = [];
  let active = -1;
  let asked = 0;
  let timer = null;

  function render() {
    list.replaceChildren(...items.map((p, i) => {
      const li = document.createElement("li");
      li.id = `${list.id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === active));
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = p.name;
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = `${p.deptName} (${p.dept}) · ${p.postcodes.slice(0, 3).join(", ")}`;
      li.append(name, " ", where);
      li.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the focus in the field
        choose(i);
      });
      return li;
    }));
    const open = items.length > 0;
    list.hidden = !open;
    ou.setAttribute("aria-expanded", String(open));
    if (active >= 0) ou.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    else ou.removeAttribute("aria-activedescendant");
  }

  function close() {
    items = [];
    active = -1;
    render();
  }

  function choose(i) {
    const p = items[i];
    // The département makes the choice unambiguous (Olivet in Loiret or in Mayenne, Amilly 45 or 28).
    ou.value = `${p.name} (${p.deptName})`;
    close();
  }

  async function suggest() {
    const mine = ++asked;
    let found = [];
    try {
      found = ou.value.trim().length >= 2 ? await places.suggest(ou.value) : [];
    } catch (error) {
      found = [];
    }
    if (mine !== asked || document.activeElement !== ou) return;
    items = found;
    active = -1;
    render();
  }

  ou.addEventListener("input", () => {
    clearPosition(form);
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  ou.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) {
        suggest();
        return;
      }
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + items.length + 1) % (items.length + 1);
      if (active === items.length) active = -1;
      render();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape" && items.length) {
      event.preventDefault();
      close();
    }
  });
  ou.addEventListener("blur", () => setTimeout(close, 150));

  if (locate && "geolocation" in navigator) {
    locate.hidden = false;
    locate.addEventListener("click", () => {
      locate.disabled = true;
      note.textContent = t("Recherche de votre position…");
      navigator.geolocation.getCurrentPosition((position) => {
        locate.disabled = false;
        note.textContent = "";
        setPosition(form, position.coords.latitude, position.coords.longitude);
        ou.value = t("Autour de moi");
        form.requestSubmit();
      }, () => {
        locate.disabled = false;
        note.textContent = t("Votre position n'est pas disponible (refusée ou introuvable) : indiquez une commune ou un code postal.");
        ou.focus();
      }, { timeout: 15000, maximumAge: 600000 });
    });
  }
}

initForm(document.querySelector("form.search"));
