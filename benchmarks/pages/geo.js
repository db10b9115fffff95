// Shared by the comparators' pages: distances and geohash cells covering a disc.
export const KM = 10;
const B32 = "0123456789bcdefghjkmnpqrstuvwxyz";

export function distance(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const a = Math.sin((lat2 - lat1) * r / 2) ** 2
    + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin((lon2 - lon1) * r / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function geohash(lat, lon, chars) {
  let [s, n, w, e] = [-90, 90, -180, 180];
  let hash = "", bits = 0, value = 0, even = true;
  while (hash.length < chars) {
    if (even) { const mid = (w + e) / 2; value = value * 2 + (lon >= mid ? 1 : 0); if (lon >= mid) w = mid; else e = mid; }
    else { const mid = (s + n) / 2; value = value * 2 + (lat >= mid ? 1 : 0); if (lat >= mid) s = mid; else n = mid; }
    even = !even;
    if (++bits === 5) { hash += B32[value]; bits = 0; value = 0; }
  }
  return hash;
}

/** Geohash cells of `chars` characters that cover the disc of `km` around (lat, lon). */
export function cells(lat, lon, km, chars) {
  const dlat = km / 111, dlon = km / (111 * Math.cos(lat * Math.PI / 180));
  const found = new Set();
  for (let a = lat - dlat; a <= lat + dlat + 1e-9; a += dlat / 10) {
    for (let o = lon - dlon; o <= lon + dlon + 1e-9; o += dlon / 10) found.add(geohash(a, o, chars));
  }
  return [...found].sort();
}

/** Show the 10 nearest of `found` ({name, km}) within KM; returns the figures of the query started at t0. */
export function finish(found, t0) {
  const near = found.filter((r) => r.km <= KM).sort((a, b) => a.km - b.km);
  const list = document.getElementById("results");
  list.replaceChildren(...near.slice(0, 10).map((r) => {
    const li = document.createElement("li");
    li.textContent = `${r.name} — ${r.km.toFixed(1)} km`;
    return li;
  }));
  return { ms: performance.now() - t0, results: near.length };
}
