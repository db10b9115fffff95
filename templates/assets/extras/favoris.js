// /favoris/: the favourites kept by offline.js, with a link to each page and a button to remove it.
import { favourites } from "./offline.js";
import { t } from "../i18n.js";

const list = document.getElementById("favoris");
const status = document.getElementById("favoris-etat");

function render() {
  const all = favourites().sort((a, b) => a.name.localeCompare(b.name, "fr"));
  status.textContent = all.length ? (all.length > 1 ? t("{n} commerces en favori.", { n: all.length }) : t("{n} commerce en favori.", { n: all.length }))
    : t("Aucun favori pour l'instant : ouvrez la fiche d'un commerce et choisissez « ☆ Ajouter à mes favoris ».");
  list.replaceChildren(...all.map((f) => {
    const link = document.createElement("a");
    link.href = f.url;
    link.textContent = f.name;
    link.dir = "auto";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "print-poster";
    remove.textContent = t("Retirer");
    remove.setAttribute("aria-label", t("Retirer {name} des favoris", { name: f.name }));
    remove.addEventListener("click", () => {
      localStorage.setItem("ccdir:favoris", JSON.stringify(favourites().filter((o) => o.slug !== f.slug)));
      render();
    });
    const item = document.createElement("li");
    item.append(link, ` — ${f.place} `, remove);
    return item;
  }));
}
render();
