// Step 4's report (headline, tabs Classes / Utilisateurs / Erreurs, CSV, held suspensions) and the Aperçu's plan.
import { api, el, number, plural, showError } from "./common.js";
import {
  OUTCOME_BADGES, OUTCOME_LABELS, fieldsLabel, headline, profileLabel,
} from "./labels.js";

// Rows of a long list shown at first, and added by each « Afficher les N suivants » (pagedTable).
const PAGE = 50;
const ZERO = { created: 0, updated: 0, unchanged: 0, protected: 0, suspended: 0, skipped: 0, errors: 0 };

/** One shape for the page from report.json (elea.models.import_report) and the import record's state. */
function normalise(state, report) {
  const rows = report.rows || [];
  const counts = { ...ZERO, ...(report.counts || state.counts || {}) };
  const cohortCounts = report.cohorts || state.cohorts || {};
  const errors = (report.issues || []).filter((issue) => issue.severity !== "warning");
  // GET …/report answers `held` as the people still held (empty once decided); report.json as a count.
  const held = Array.isArray(report.held) ? report.held : report.held_people || [];
  const cohortList = Array.isArray(report.classes) && report.classes.length ? report.classes : membersByClass(rows);
  // Issue 9: classes of the file kept under an existing cohort spelled otherwise (« 6a » → « 6A »).
  const spellings = Array.isArray(report.class_spellings) ? report.class_spellings : [];
  return { rows, counts, cohortCounts, cohortList, errors, held, spellings };
}

/** Each class of the file with how many of its people the import kept (a teacher counts in each class). */
function membersByClass(rows) {
  const members = new Map();
  for (const row of rows) {
    if (["error", "skipped", "suspended", "held", "warning"].includes(row.outcome)) continue;
    for (const name of (row.class_name || "").split(",").map((part) => part.trim()).filter(Boolean)) {
      members.set(name, (members.get(name) || 0) + 1);
    }
  }
  return [...members.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "fr", { numeric: true }))
    .map(([name, count]) => ({ name, members: count }));
}

/** replaceChildren without the absent parts (it would write "null"). */
function fill(node, ...children) {
  node.replaceChildren(...children.filter((child) => child !== null && child !== undefined && child !== false));
}

/** A DSFR table. `stacked`: under 48em each row becomes a block of lines, each named by its column (app.css,
 * .elea-stacked, as the Accueil's history), so that no column is cut at 375 px; the explicit roles keep the
 * table's semantics once its cells are blocks. */
function table(caption, headers, rows, { id = null, stacked = false } = {}) {
  const role = (name) => (stacked ? name : null);
  const kind = stacked ? "fr-table fr-table--no-caption elea-stacked" : "fr-table fr-table--no-caption";
  return el("div", { class: kind, id },
    el("div", { class: "fr-table__wrapper" },
      // Narrow screens scroll the table sideways: the keyboard must reach it too.
      el("div", { class: "fr-table__container", tabindex: "0", role: "region", "aria-label": caption },
        el("div", { class: "fr-table__content" },
          el("table", { role: role("table") },
            el("caption", {}, caption),
            el("thead", { role: role("rowgroup") }, el("tr", { role: role("row") },
              headers.map((header) => el("th", { scope: "col", role: role("columnheader") }, header)))),
            el("tbody", { role: role("rowgroup") }, rows.map((cells) => tableRow(headers, cells, stacked))))))));
}

/** One row of table(): in a stacked table each cell carries its column's name (data-label), drawn before it. */
function tableRow(headers, cells, stacked = false) {
  return el("tr", { role: stacked ? "row" : null }, cells.map((cell, index) =>
    el("td", stacked ? { role: "cell", "data-label": headers[index] } : {}, cell)));
}

function person(row) {
  return [row.last_name, row.first_name].filter(Boolean).join(" ");
}

function outcomeBadge(outcome) {
  return el("p", { class: `fr-badge fr-badge--sm fr-badge--${OUTCOME_BADGES[outcome] || "info"}` },
    OUTCOME_LABELS[outcome] || outcome);
}

function changes(row) {
  if (Array.isArray(row.changes) && row.changes.length) {
    return el("ul", { class: "elea-changes" }, row.changes.map((change) =>
      el("li", {}, `${fieldsLabel([change.field])} : ${change.before ?? "—"} → ${change.after ?? "—"}`)));
  }
  return typeof row.changed_fields === "string" ? row.changed_fields : fieldsLabel(row.changed_fields);
}

function className(row) {
  return row.class_name || "";
}

// ---- Tabs ------------------------------------------------------------------------------------------------

function renderClasses(data) {
  const panel = document.getElementById("onglet-classes-panneau");
  const counts = data.cohortCounts;
  const summary = el("p", {},
    `${plural(counts.created || 0, "classe créée", "classes créées")}, `,
    `${plural(counts.unchanged || 0, "classe inchangée", "classes inchangées")}, `,
    `${plural(counts.emptied || 0, "classe vidée", "classes vidées")} (plus personne du fichier n'y est).`);
  const rows = data.cohortList.map((cohort) => [cohort.name, number(cohort.members)]);
  const spellings = data.spellings.length
    ? el("div", { class: "fr-alert fr-alert--info fr-alert--sm elea-class-spellings" },
      ...data.spellings.map((spelling) => el("p", {}, spelling.message)))
    : null;
  fill(panel, summary, spellings,
    rows.length ? table("Classes du fichier et leurs membres", ["Classe", "Membres"], rows) : null);
}

function renderUsers(data) {
  const select = document.getElementById("filtre-resultat");
  const search = document.getElementById("filtre-nom");
  const count = document.getElementById("utilisateurs-compte");
  const holder = document.getElementById("utilisateurs-tableau");
  const fold = (text) => (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const draw = () => {
    const outcome = select.value;
    const words = fold(search.value).split(/\s+/).filter(Boolean);
    const shown = data.rows.filter((row) => {
      if (outcome && row.outcome !== outcome) return false;
      const name = fold(`${row.last_name || ""} ${row.first_name || ""}`);
      return words.every((word) => name.includes(word));
    });
    // The count is a live region already: it tells of the rows a click adds.
    holder.replaceChildren(pagedTable("Utilisateurs de l'importation",
      ["Nom", "Prénom", "Classe", "Profil", "Résultat", "Champs modifiés"], personCells(shown), {
        count,
        describe: (visible, total) => (visible < total
          ? `${number(visible)} utilisateurs affichés sur ${number(total)}`
          : `${plural(total, "utilisateur affiché", "utilisateurs affichés")} sur ${number(data.rows.length)}`),
      }));
  };
  select.oninput = draw;
  search.oninput = draw;
  draw();
}

function renderErrors(data) {
  const panel = document.getElementById("onglet-erreurs-panneau");
  if (!data.errors.length) {
    panel.replaceChildren(el("p", {}, "Aucune erreur : toutes les lignes du fichier ont été lues."));
    return;
  }
  panel.replaceChildren(
    el("p", {}, `${plural(data.errors.length, "ligne n'a pas pu être importée", "lignes n'ont pas pu être importées")}.`),
    errorsTable("Erreurs de l'importation", data.errors));
}

/** The per-person rows of the report and of the « Aperçu »: who, and what happens to their account. */
function personCells(rows) {
  return rows.map((row) => [row.last_name || "", row.first_name || "", className(row), profileLabel(row.profile),
    outcomeBadge(row.outcome), changes(row)]);
}

/** The rows that could not be read, with what to do: stacked, the message being a long text. */
function errorsTable(caption, errors) {
  return table(caption, ["Ligne", "Personne", "Classe", "Problème et que faire"],
    errors.map((error) => [error.line ? number(error.line) : "—", person(error) || "—", className(error),
      error.message || ""]), { stacked: true });
}

// ---- Held suspensions ------------------------------------------------------------------------------------

function renderHeld(importId, state, report, data, onDecided) {
  const holder = document.getElementById("suspensions");
  const decided = report.held_decision || state.held_decision;
  if (!decided && !data.held.length && !(state.held_count > 0)) {
    holder.hidden = true;
    return;
  }
  holder.hidden = false;
  if (decided) {
    holder.replaceChildren(el("div", { class: "fr-alert fr-alert--info fr-mb-3w" },
      el("p", {}, decided === "suspend" || decided === "suspended"
        ? "Les comptes absents du fichier ont été suspendus."
        : "Vous avez choisi de ne pas suspendre les comptes absents du fichier.")));
    return;
  }
  const total = data.held.length || state.held_count;
  const result = el("div", { role: "status", tabindex: "-1" });
  const suspend = el("button", { type: "button", class: "fr-btn" }, "Suspendre ces comptes");
  const keep = el("button", { type: "button", class: "fr-btn fr-btn--secondary" }, "Ne pas suspendre");
  const decide = async (decision) => {
    suspend.disabled = true;
    keep.disabled = true;
    try {
      await api(`/api/imports/${encodeURIComponent(importId)}/held`, { method: "POST", body: { decision } });
      onDecided();
    } catch (error) {
      suspend.disabled = false;
      keep.disabled = false;
      if (error.status !== 401) showError(result, error, "La décision n'a pas été enregistrée");
    }
  };
  suspend.addEventListener("click", () => decide("suspend"));
  keep.addEventListener("click", () => decide("keep"));
  fill(holder,
    el("div", { class: "fr-alert fr-alert--warning fr-mb-2w" },
      el("h3", { class: "fr-alert__title" },
        `${plural(total, "compte n'est plus dans le fichier", "comptes ne sont plus dans le fichier")} : suspension en attente`),
      ...heldReasons(report),
      el("p", {}, "Vérifiez la liste, puis choisissez.")),
    data.held.length ? heldList(data.held) : null,
    el("ul", { class: "fr-btns-group fr-btns-group--inline-md" }, el("li", {}, suspend), el("li", {}, keep)),
    result,
  );
}

/** The held accounts, a page at a time (pagedTable), under their count. */
function heldList(held) {
  const count = el("p", { class: "fr-text--sm fr-mb-1w", id: "suspensions-compte" });
  const rows = held.map((row) => [row.last_name || "", row.first_name || "", className(row), profileLabel(row.profile)]);
  const list = pagedTable("Comptes qui seraient suspendus", ["Nom", "Prénom", "Classe", "Profil"], rows, {
    count,
    describe: (shown, total) => (shown < total
      ? `${number(shown)} comptes affichés sur ${number(total)}`
      : `${plural(total, "compte affiché", "comptes affichés")}`),
    announceId: "suspensions-annonce",
  });
  return el("div", { class: "elea-held" }, count, list);
}

/** A stacked table shown PAGE rows at a time: hundreds of rows, stacked at 375 px, made a page of metres with
 * what follows at its very end. « Afficher les N suivants » adds the next ones; `count` says how many are
 * shown (`describe(shown, total)`). `announceId`: a polite live region telling screen readers of the added
 * rows, for a count that is not one itself. */
function pagedTable(caption, headers, rows, { count, describe, announceId = null }) {
  const more = el("button", { type: "button", class: "fr-btn fr-btn--tertiary fr-btn--sm fr-mb-3w" });
  const list = table(caption, headers, [], { stacked: true });
  const body = list.querySelector("tbody");
  count.setAttribute("tabindex", "-1");
  let shown = 0;
  const showMore = () => {
    const next = rows.slice(shown, shown + PAGE);
    body.append(...next.map((cells) => tableRow(headers, cells, true)));
    shown += next.length;
    count.textContent = describe(shown, rows.length);
    const left = rows.length - shown;
    more.textContent = left === 1 ? "Afficher le suivant" : `Afficher les ${number(Math.min(PAGE, left))} suivants`;
    return left;
  };
  // The count's words, in the live region (empty until the first click, so that nothing is said as the page
  // loads). The focus stays on the button, the rows being added above it: the next click gives the next ones.
  const announce = announceId === null ? null : el("p", {
    class: "fr-sr-only", id: announceId, role: "status", "aria-live": "polite", "aria-atomic": "true",
  });
  more.addEventListener("click", () => {
    // Once all are shown the button goes (the DSFR's .fr-btn would show it despite `hidden`), and the
    // focus moves to the count rather than to the page's top: the count is read as it takes the focus, so
    // the live region is emptied rather than saying it a second time.
    const left = showMore();
    if (announce !== null) announce.textContent = left === 0 ? "" : count.textContent;
    if (left === 0) {
      more.remove();
      count.focus();
    }
  });
  const holder = el("div", {});
  fill(holder, list, showMore() > 0 ? more : null, announce);
  return holder;
}

/** Why the suspensions wait: the checks that held them (another school's name, a profile missing, an old
 * export…), as the report e-mail says them; else only their number. Never « trop nombreux » for a check. */
function heldReasons(report) {
  const checks = Array.isArray(report.checks) ? report.checks : [];
  if (!checks.length) {
    return [el("p", {}, "Ils sont trop nombreux pour être suspendus sans votre accord : aucun n'a été suspendu.")];
  }
  return checks.map((check) => el("p", {}, check.message));
}

/** report.json's notices (« Ce fichier est identique à celui de la dernière importation… »): nothing held. */
function renderNotices(report) {
  const holder = document.getElementById("rapport-avis");
  const notices = Array.isArray(report.notices) ? report.notices : [];
  holder.hidden = notices.length === 0;
  fill(holder, ...notices.map((notice) =>
    el("div", { class: "fr-alert fr-alert--info fr-mb-3w" },
      el("p", {}, notice.message),
      notice.hint ? el("p", {}, notice.hint) : null)));
}

// ---- Public ----------------------------------------------------------------------------------------------

export function renderReport(importId, state, report, { onDecided }) {
  const data = normalise(state, report);
  document.getElementById("rapport-chiffres").replaceChildren(
    ...headline(data.counts).map((text) => el("li", {}, text)));
  const justCreated = data.counts.created > 0;
  document.getElementById("rapport-delai").hidden = !justCreated;
  document.getElementById("rapport-acces").hidden = justCreated;
  renderNotices(report);
  renderHeld(importId, state, report, data, onDecided);
  renderClasses(data);
  renderUsers(data);
  renderErrors(data);
  document.getElementById("rapport-csv").href = `/api/imports/${encodeURIComponent(importId)}/report.csv`;
}

export function renderPlan(state, plan) {
  // plan.json (elea.models.import_plan): accounts with their classes and field-by-field changes.
  const accounts = (plan.accounts || []).map((account) => ({ ...account, class_name: (account.classes || []).join(", ") }));
  const data = normalise(state, { issues: plan.issues || [], rows: accounts });
  const counts = data.counts;
  const cohorts = {
    created: plan.cohorts ? (plan.cohorts.create || []).length : (state.cohorts || {}).created,
    emptied: plan.cohorts ? (plan.cohorts.empty || []).length : (state.cohorts || {}).emptied,
  };
  document.getElementById("apercu-chiffres").replaceChildren(
    el("li", {}, plural(counts.created, "compte à créer", "comptes à créer")),
    el("li", {}, plural(counts.updated, "compte à modifier", "comptes à modifier")),
    el("li", {}, plural(counts.suspended, "compte à suspendre", "comptes à suspendre")),
    el("li", {}, plural(counts.protected, "compte protégé", "comptes protégés")),
    el("li", {}, plural(counts.skipped, "ligne ignorée", "lignes ignorées")),
    el("li", {}, plural(counts.errors, "erreur", "erreurs")),
    el("li", {}, plural(cohorts.created || 0, "classe à créer", "classes à créer")),
    el("li", {}, plural(cohorts.emptied || 0, "classe à vider", "classes à vider")),
  );
  const changed = data.rows.filter((row) => row.outcome !== "unchanged");
  const detailed = Array.isArray(plan.accounts);
  fill(document.getElementById("apercu-details"),
    detailed ? el("h3", { class: "fr-mt-4w" }, "Comptes concernés") : null,
    !detailed ? null : changed.length
      ? changedAccounts(changed)
      : el("p", {}, "Aucun compte ne change."),
    data.errors.length ? el("h3", { class: "fr-mt-4w" }, "Erreurs du fichier") : null,
    data.errors.length
      ? errorsTable("Erreurs du fichier", data.errors)
      : null,
  );
}

/** The « Aperçu »'s accounts that change, a page at a time under their count. */
function changedAccounts(changed) {
  const count = el("p", { class: "fr-text--sm fr-mb-1w", id: "apercu-comptes-compte" });
  const list = pagedTable("Comptes concernés", ["Nom", "Prénom", "Classe", "Profil", "Action", "Modifications"],
    personCells(changed), {
      count,
      describe: (shown, total) => (shown < total
        ? `${number(shown)} comptes affichés sur ${number(total)}`
        : `${plural(total, "compte affiché", "comptes affichés")}`),
      announceId: "apercu-comptes-annonce",
    });
  return el("div", {}, count, list);
}
