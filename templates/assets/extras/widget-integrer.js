// /widget/integrer/: builds the <iframe> snippet for the chosen communes and category, with a live preview.

const form = document.getElementById("widget-form");
const code = document.getElementById("widget-code");
const preview = document.getElementById("widget-apercu");
const copied = document.getElementById("widget-copie");

function escapeAttr(text) {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

function widgetUrl(base) {
  const communes = [...form.elements.commune.selectedOptions].map((o) => o.value);
  const params = new URLSearchParams({ commune: communes.join(",") });
  if (form.elements.categorie.value) params.set("categorie", form.elements.categorie.value);
  return `${base}?${params}`.replace(/%2C/g, ",");
}

function update() {
  const url = widgetUrl(form.dataset.widget); // the public address, for the snippet
  const chosen = [...form.elements.commune.selectedOptions].map((o) => o.textContent.trim());
  const title = `Commerces en click & collect${chosen.length === 1 ? ` à ${chosen[0].replace(/ \(.*\)$/, "")}` : ""}`;
  const height = Math.min(2000, Math.max(200, Number(form.elements.hauteur.value) || 600));
  code.value = `<iframe src="${escapeAttr(url)}" title="${escapeAttr(title)}" width="100%" height="${height}" `
    + 'loading="lazy"></iframe>';
  const frame = document.createElement("iframe");
  frame.src = widgetUrl(form.dataset.preview); // this site, wherever it is served from
  frame.title = title;
  frame.width = "100%";
  frame.height = String(height);
  preview.replaceChildren(frame);
}

form.addEventListener("change", update);
form.addEventListener("input", update);
document.getElementById("widget-copier").addEventListener("click", async () => {
  code.select();
  try {
    await navigator.clipboard.writeText(code.value);
    copied.textContent = "Code copié.";
  } catch {
    copied.textContent = "Sélectionnez le code puis copiez-le (Ctrl + C).";
  }
});
update();
