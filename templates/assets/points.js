// Merchant page: the next opening of each point of sale (« Ouvert maintenant, jusqu'à 12 h 30 »,
// « Prochaine ouverture : mercredi à 8 h »), from its weekly hours in data-week: [[weekday, start, end]…]
// (Monday = 0, minutes since midnight, French time; public holidays are not looked at).
// Without JavaScript the weekly hours stay visible.
// On English pages the words come from the catalogue (t()) and times are written 8:00, 12:30.
import { lang, t } from "./i18n.js";
import { parisNow } from "./search/hours.js";

const DAYS = () => [t("lundi"), t("mardi"), t("mercredi"), t("jeudi"), t("vendredi"), t("samedi"), t("dimanche")];

export function spoken(minute) {
  const h = Math.floor(minute / 60) % 24;
  const m = minute % 60;
  if (lang !== "fr") return `${h}:${String(m).padStart(2, "0")}`;
  return m ? `${h} h ${String(m).padStart(2, "0")}` : `${h} h`;
}

/** The sentence for weekly spans `week` at `[day, minute]` (parisTime), or "" when never open. */
export function nextOpening(week, [day, minute]) {
  const open = week.find(([d, s, e]) => d === day && s <= minute && minute < e);
  if (open) return t("Ouvert maintenant, jusqu'à {time}", { time: spoken(open[2]) });
  for (let ahead = 0; ahead <= 7; ahead += 1) {
    const d = (day + ahead) % 7;
    const starts = week.filter(([wd, s]) => wd === d && (ahead > 0 || s > minute)).map(([, s]) => s);
    if (starts.length) {
      const when = ahead === 0 ? t("aujourd'hui") : ahead === 1 ? t("demain") : DAYS()[d];
      return t("Prochaine ouverture : {when} à {time}", { when, time: spoken(Math.min(...starts)) });
    }
  }
  return "";
}

for (const point of document.querySelectorAll("[data-week]")) {
  const now = parisNow(new Date());
  const text = nextOpening(JSON.parse(point.dataset.week), [now.day, now.minute]);
  const slot = point.querySelector(".next-opening");
  if (text && slot) {
    slot.textContent = text;
    slot.hidden = false;
  }
}
