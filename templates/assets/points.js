// Merchant page: the next opening of each point of sale (« Ouvert maintenant, jusqu'à 12 h 30 »,
// « Prochaine ouverture : mercredi à 8 h »), from its weekly hours in data-week: [[weekday, start, end]…]
// (Monday = 0, minutes since midnight, French time; public holidays are not looked at). Without JavaScript the weekly hours stay visible.
import { parisNow } from "./search/hours.js";

const DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

export function spoken(minute) {
  const h = Math.floor(minute / 60) % 24;
  const m = minute % 60;
  return m ? `${h} h ${String(m).padStart(2, "0")}` : `${h} h`;
}

/** The sentence for weekly spans `week` at `[day, minute]` (parisTime), or "" when never open. */
export function nextOpening(week, [day, minute]) {
  const open = week.find(([d, s, e]) => d === day && s <= minute && minute < e);
  if (open) return `Ouvert maintenant, jusqu'à ${spoken(open[2])}`;
  for (let ahead = 0; ahead <= 7; ahead += 1) {
    const d = (day + ahead) % 7;
    const starts = week.filter(([wd, s]) => wd === d && (ahead > 0 || s > minute)).map(([, s]) => s);
    if (starts.length) {
      const when = ahead === 0 ? "aujourd'hui" : ahead === 1 ? "demain" : DAYS[d];
      return `Prochaine ouverture : ${when} à ${spoken(Math.min(...starts))}`;
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
