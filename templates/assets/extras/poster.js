// « Imprimer l'affiche de vitrine » on a merchant page: draws the poster's QR code (uqr, loaded on demand)
// into the hidden poster block of the page, then prints only that block (print stylesheet in style.css).

import { t } from "../i18n.js";

const button = document.getElementById("imprimer-affiche");
const poster = document.getElementById("affiche");
const SVG = "http://www.w3.org/2000/svg";

/** The QR code of `url` as an SVG element (4 modules of white border). */
export async function qrSvg(url) {
  const { encode } = await import("../vendor/uqr.js");
  const { data, size } = encode(url, { ecc: "M", border: 4 });
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("QR code : {url}", { url }));
  const d = [];
  data.forEach((row, y) => row.forEach((dark, x) => { if (dark) d.push(`M${x},${y}h1v1h-1z`); }));
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", size);
  background.setAttribute("height", size);
  background.setAttribute("fill", "#fff");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d.join(""));
  svg.append(background, path);
  return svg;
}

async function printPoster() {
  const box = poster.querySelector(".poster-qr");
  if (!box.firstChild) box.append(await qrSvg(box.dataset.url));
  poster.hidden = false;
  document.body.classList.add("printing-poster");
  window.print();
}

window.addEventListener("afterprint", () => {
  document.body.classList.remove("printing-poster");
  poster.hidden = true;
});
button.addEventListener("click", () => printPoster().catch(console.error));
button.hidden = false;
