// Every page: registers the service worker (sw.js) and, on a merchant page, the ★ favourite button.
// Favourites live in localStorage ("ccdir:favoris"), listed by /favoris/ (favoris.js).
import { t } from "../i18n.js";

const root = new URL("../../", import.meta.url).pathname; // this file is assets/extras/offline.js
if ("serviceWorker" in navigator) navigator.serviceWorker.register(`${root}sw.js`).catch(() => {});

const KEY = "ccdir:favoris";
const star = document.getElementById("favori");
export function favourites() {
  try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch { return []; }
}
function show(on) {
  star.setAttribute("aria-pressed", String(on));
  star.textContent = on ? t("★ Dans mes favoris") : t("☆ Ajouter à mes favoris");
}
if (star) {
  const mine = JSON.parse(star.dataset.favori);
  show(favourites().some((f) => f.slug === mine.slug));
  star.hidden = false;
  star.addEventListener("click", () => {
    const others = favourites().filter((f) => f.slug !== mine.slug);
    const on = others.length === favourites().length;
    localStorage.setItem(KEY, JSON.stringify(on ? [...others, mine] : others));
    show(on);
  });
}
