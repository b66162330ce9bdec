// Accueil: the school, its platform and the history of its imports (GET /api/establishment, /api/imports).
import { api, date, el, number, showError } from "./common.js";
import { STATUS_LABELS, headline } from "./labels.js";

const failure = document.getElementById("erreur-page");

async function showEstablishment() {
  const school = await api("/api/establishment");
  document.getElementById("etablissement-nom").textContent = school.name || `Établissement ${school.uai}`;
  document.getElementById("etablissement-details").textContent = `Code UAI : ${school.uai}`;
  document.title = `Accueil — ${school.name || school.uai} — Éléa`;
  if (school.platform_url) {
    const link = document.getElementById("plateforme-lien");
    link.href = school.platform_url;
    link.textContent = school.platform_url;
    document.getElementById("plateforme").hidden = false;
  }
}

function statusBadge(item) {
  const [label, kind] = STATUS_LABELS[item.status] || [item.status, "info"];
  return el("p", { class: `fr-badge fr-badge--sm fr-badge--${kind}` }, label);
}

async function showHistory() {
  const imports = await api("/api/imports");
  document.getElementById("historique-chargement").hidden = true;
  if (!imports.length) {
    document.getElementById("historique-vide").hidden = false;
    return;
  }
  // data-label: the column's name, shown before each value when the rows are stacked (narrow screens).
  const cell = (label, ...content) => el("td", { role: "cell", "data-label": label }, ...content);
  const rows = imports.map((item) =>
    el(
      "tr",
      { role: "row" },
      cell("Date", date(item.started_at)),
      cell("Fichier", item.file_name),
      cell("État", statusBadge(item)),
      cell("Résultat", item.counts ? headline(item.counts).join(", ") : `${number(item.people_count)} personnes`),
      cell("Rapport", el("a", { class: "fr-link", href: `/imports/${encodeURIComponent(item.import_id)}` },
        "Voir le rapport", el("span", { class: "fr-sr-only" }, ` du ${date(item.started_at)}`))),
    ),
  );
  document.getElementById("historique-lignes").replaceChildren(...rows);
  document.getElementById("historique").hidden = false;
}

Promise.all([showEstablishment(), showHistory()]).catch((error) => {
  if (error.status !== 401) showError(failure, error, "La page n'a pas pu être chargée");
});
