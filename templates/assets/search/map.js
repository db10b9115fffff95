// Map of the results, loaded only when the resident asks for it: Leaflet from site/assets/vendor/
// (copied from node_modules by the build) and tiles from site.yaml's tile_url.

import { t } from "../i18n.js";

let map = null;
let layer = null;
let pages = "/";

function load(tag, attrs) {
  return new Promise((resolve, reject) => {
    const node = document.createElement(tag);
    Object.assign(node, attrs);
    node.onload = resolve;
    node.onerror = () => reject(new Error(`${attrs.src || attrs.href} introuvable`));
    document.head.append(node);
  });
}

export async function show(box, config) {
  pages = config.pages;
  if (map) {
    map.invalidateSize();
    return;
  }
  await Promise.all([
    load("link", { rel: "stylesheet", href: `${config.vendor}leaflet/leaflet.css` }),
    window.L ? null : load("script", { src: `${config.vendor}leaflet/leaflet.js` }),
  ]);
  const L = window.L;
  L.Icon.Default.imagePath = `${config.vendor}leaflet/images/`;
  map = L.map(box, { scrollWheelZoom: false });
  L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  layer = L.layerGroup().addTo(map);
  map.setView([46.6, 2.4], 6);
}

export function update(results, where) {
  if (!map) return;
  const L = window.L;
  layer.clearLayers();
  const points = [[where.lat, where.lon]];
  L.circleMarker([where.lat, where.lon], { radius: 6 }).bindTooltip(where.label === "vous" ? t("Vous") : where.label)
    .addTo(layer);
  for (const { record } of results) {
    const link = document.createElement("a");
    link.href = `${pages}commercants/${record.slug}/`;
    link.textContent = record.name;
    L.marker([record.lat, record.lon], { title: record.name, alt: record.name }).bindPopup(link).addTo(layer);
    points.push([record.lat, record.lon]);
  }
  map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
}
