// « IMPORTER DES UTILISATEURS »: choosing or dropping the file starts the import (POST /api/uploads, the
// presigned POST straight to the bucket, then the import record polled), the four steps shown as reached,
// then the report (GET /api/imports/{id}/report), the held suspensions and the Aperçu's decision.
import { api, el, number, plural, showError } from "./common.js";
import { renderPlan, renderReport } from "./report.js";

const POLL_MS = 700;
// How long a step passed between two polls stays on screen.
const STEP_PAUSE_MS = 400;
const CLAIM_TIMEOUT_MS = 120000;

const STEPS = ["Dépôt du fichier", "Importation des classes", "Importation des utilisateurs", "Rapport d'activité"];
const sections = Object.fromEntries(
  ["depot", "traitement", "refus", "apercu", "rapport"].map((id) => [id, document.getElementById(id)]),
);
const input = document.getElementById("fichier");
const dropzone = document.getElementById("zone-depot");
const dryRun = document.getElementById("apercu-demande");
const announcer = document.getElementById("annonce");
const progressMessage = document.getElementById("traitement-message");
const progressBar = document.getElementById("traitement-barre");
const progressDetail = document.getElementById("traitement-detail");

let currentStep = 0;
// The upload this page sent: « Lancer l'importation » makes a new import of it, found through the upload.
let uploadId = null;

function show(name) {
  for (const [id, section] of Object.entries(sections)) section.hidden = id !== name;
}

/** Marks step `n` (1-4) as reached: the DSFR stepper and the list of the four steps. */
function setStep(n, finished = false) {
  const title = document.getElementById("etape-nom");
  title.textContent = STEPS[n - 1];
  document.getElementById("etape-etat").textContent = `Étape ${n} sur 4`;
  document.getElementById("etape-barre").setAttribute("data-fr-current-step", String(n));
  for (const item of document.querySelectorAll(".elea-steps li")) {
    const step = Number(item.dataset.step);
    const state = step < n || (finished && step === n) ? "done" : step === n ? "current" : "todo";
    item.dataset.state = state;
    if (state === "current") item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
    item.querySelector(".elea-steps__state").textContent =
      state === "done" ? " (terminée)" : state === "current" ? " (en cours)" : " (à venir)";
  }
  if (n !== currentStep) {
    currentStep = n;
    announcer.textContent = `Étape ${n} sur 4 : ${STEPS[n - 1]}`;
  }
}

function progress(message, { value = null, detail = "" } = {}) {
  show("traitement");
  progressMessage.textContent = message;
  if (value === null) progressBar.removeAttribute("value");
  else progressBar.value = Math.max(0, Math.min(100, value));
  progressDetail.textContent = detail;
}

function refuse(failure, { changedNothing = true } = {}) {
  setStep(currentStep || 1);
  show("refus");
  // Another school's import and an unknown one get the same answer: nothing to show, nothing was changed.
  const unknown = failure.code === "import_not_found";
  document.getElementById("refus-titre").textContent = unknown
    ? "Importation introuvable"
    : "Le fichier n'a pas été importé";
  document.getElementById("refus-rien").hidden = unknown || !changedNothing;
  document.getElementById("refus-message").textContent =
    failure.message || "Le fichier n'a pas pu être importé.";
  document.getElementById("refus-conseil").textContent = failure.hint
    ? `Que faire : ${failure.hint}`
    : "Que faire : exportez de nouveau le fichier depuis l'ENT (« Export classique ») et déposez-le ici.";
  document.getElementById("refus-titre").focus();
}

const wait = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

// ---- Step 1: the file goes from the browser straight to the bucket --------------------------------------

async function start(file) {
  if (!file) return;
  input.disabled = true;
  dropzone.disabled = true;
  setStep(1);
  progress(`Envoi du fichier ${file.name}…`);
  try {
    if (file.size === 0) {
      throw { message: `Le fichier ${file.name} est vide.`,
        hint: "Exportez de nouveau le fichier depuis l'ENT (« Export classique ») puis déposez-le ici." };
    }
    const upload = await api("/api/uploads", {
      method: "POST",
      body: { file_name: file.name, size: file.size, dry_run: dryRun.checked },
    });
    await post(upload, file);
    uploadId = upload.upload_id;
    progress("Lecture du fichier…");
    const importId = await claimed(upload.upload_id);
    window.history.replaceState(null, "", `/imports/${encodeURIComponent(importId)}`);
    await follow(importId);
  } catch (error) {
    if (error.status === 401) return;
    refuse(error);
  }
}

async function post(upload, file) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields || {})) form.append(name, value);
  form.append("file", file);
  let response;
  try {
    response = await fetch(upload.url, { method: "POST", body: form, credentials: "omit" });
  } catch {
    throw { message: "Le fichier n'a pas pu être envoyé.",
      hint: "Vérifiez la connexion à Internet puis déposez de nouveau le fichier." };
  }
  if (!response.ok) {
    const text = await response.text().catch(() => "");
    if (text.includes("EntityTooLarge")) {
      throw { message: `Le fichier ${file.name} est trop volumineux pour un export d'établissement.`,
        hint: "Vérifiez que c'est bien l'export classique de l'ENT (export.csv) et déposez-le de nouveau." };
    }
    throw { message: `L'envoi du fichier ${file.name} a été refusé.`,
      hint: "Rechargez la page (votre session a pu expirer) puis déposez de nouveau le fichier." };
  }
}

async function claimed(uploadId, previous = null) {
  const deadline = Date.now() + CLAIM_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answer = await api(`/api/uploads/${encodeURIComponent(uploadId)}`);
    if (answer.import_id && answer.import_id !== previous) return answer.import_id;
    await wait(POLL_MS);
  }
  throw { message: "Le fichier a bien été envoyé, mais son importation n'a pas encore commencé.",
    hint: "Revenez à la page d'accueil dans quelques minutes : l'importation y apparaîtra dans l'historique." };
}

// ---- Steps 2 and 3: the import record, polled until it is done ------------------------------------------

/** The record, tolerating a few dropped answers while polling (a network hiccup must not end the wizard). */
async function readState(importId) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await api(`/api/imports/${encodeURIComponent(importId)}`);
    } catch (error) {
      const transient = error.status === 0 || error.status >= 502;
      if (!transient || attempt >= 5) throw error;
      await wait(POLL_MS * attempt);
    }
  }
}

async function follow(importId) {
  for (;;) {
    const state = await readState(importId);
    if (state.failure || state.status === "refused" || state.status === "failed") {
      // A refused file changed nothing; a technical failure may have stopped midway.
      refuse(state.failure || {}, { changedNothing: state.status !== "failed" });
      return;
    }
    if (state.status === "cancelled" || state.status === "canceled") {
      await showCancelled();
      return;
    }
    if (state.status === "expired") {
      await showCancelled(EXPIRED);
      return;
    }
    if (state.phase === "awaiting_decision" && state.dry_run) {
      await showPlan(importId, state);
      return;
    }
    if (state.phase === "done" || state.status === "completed") {
      await passThrough(4, state);
      await showReport(importId, state);
      return;
    }
    await showProgress(state);
    await wait(POLL_MS);
  }
}

// A step the import went through between two polls is still shown, briefly, as the procedure shows each one.
async function passThrough(target, state) {
  for (let step = (currentStep || 1) + 1; step < target; step += 1) {
    showStep(step, state);
    await wait(STEP_PAUSE_MS);
  }
}

async function showProgress(state) {
  const target = state.phase === "upload" ? 1 : state.phase === "classes" ? 2 : 3;
  await passThrough(target, state);
  showStep(target, state);
}

function showStep(step, state) {
  const total = state.people_count || 0;
  const processed = Math.min(state.processed || 0, total);
  const working = total ? `${plural(total, "utilisateur", "utilisateurs")} en cours de traitement...` : "";
  if (step === 1) {
    setStep(1);
    progress("Lecture du fichier…");
  } else if (step === 2) {
    setStep(2);
    progress(working || "Importation des classes…", { detail: "Création et mise à jour des classes (cohortes)." });
  } else {
    setStep(3);
    progress(working || "Importation des utilisateurs…", {
      value: total ? (100 * processed) / total : null,
      detail: total ? `${number(processed)} sur ${number(total)} traités` : "",
    });
  }
}

// ---- Step 4 and the decisions ----------------------------------------------------------------------------

async function showReport(importId, state) {
  setStep(4, true);
  const report = await api(`/api/imports/${encodeURIComponent(importId)}/report`);
  // After a decision on the held suspensions, the record says what was chosen: read it again.
  const onDecided = async () => showReport(importId, await api(`/api/imports/${encodeURIComponent(importId)}`));
  renderReport(importId, state, report, { onDecided });
  show("rapport");
  announcer.textContent = "Importation terminée. Le rapport d'activité est affiché.";
}

async function showPlan(importId, state) {
  setStep(1, true);
  // The plan's details (plan.json: accounts, cohorts, issues) when the API serves them; its figures are on
  // the import record in any case.
  let plan = {};
  try {
    plan = await api(`/api/imports/${encodeURIComponent(importId)}/plan`);
  } catch (error) {
    if (error.status === 401) throw error;
  }
  renderPlan(state, plan);
  show("apercu");
  document.getElementById("apercu-boutons").hidden = false;
  document.getElementById("apercu-titre").focus();
  const launch = document.getElementById("apercu-lancer");
  const cancel = document.getElementById("apercu-annuler");
  const result = document.getElementById("apercu-resultat");
  const decide = async (decision) => {
    launch.disabled = true;
    cancel.disabled = true;
    try {
      await api(`/api/imports/${encodeURIComponent(importId)}/${decision}`, { method: "POST", body: {} });
    } catch (error) {
      launch.disabled = false;
      cancel.disabled = false;
      if (error.code === "plan_expired") await showCancelled(EXPIRED);
      else if (error.status !== 401) showError(result, error, "La décision n'a pas été enregistrée");
      return;
    }
    if (decision === "cancel") await showCancelled();
    else if (uploadId) {
      // The launched import is a new import of the same upload: follow it.
      setStep(2);
      progress("Importation lancée…");
      const launched = await claimed(uploadId, importId);
      window.history.replaceState(null, "", `/imports/${encodeURIComponent(launched)}`);
      await follow(launched);
    } else {
      document.getElementById("apercu-boutons").hidden = true;
      result.replaceChildren(el("div", { class: "fr-alert fr-alert--success" },
        el("p", {}, "Importation lancée : elle apparaît dans l'historique de la page d'accueil, avec son rapport."),
        el("p", {}, el("a", { class: "fr-link", href: "/accueil" }, "Revenir à la page d'accueil"))));
      result.focus();
    }
  };
  launch.onclick = () => decide("launch");
  cancel.onclick = () => decide("cancel");
}

const CANCELLED = {
  title: "Importation annulée",
  text: "Rien n'a été modifié sur la plateforme et le fichier déposé a été supprimé.",
};
// The scheduled sweep (or a late « Lancer ») deleted the export at the plan's deadline.
const EXPIRED = {
  title: "Aperçu expiré",
  text: "Aucune décision n'a été prise avant la fin du délai : le fichier déposé a été supprimé et rien n'a été "
    + "modifié sur la plateforme. Déposez à nouveau le fichier d'export pour recommencer.",
};

async function showCancelled(words = CANCELLED) {
  show("apercu");
  document.getElementById("apercu-boutons").hidden = true;
  document.getElementById("apercu-details").replaceChildren();
  document.getElementById("apercu-chiffres").replaceChildren();
  const result = document.getElementById("apercu-resultat");
  result.replaceChildren(
    el("div", { class: "fr-alert fr-alert--info" },
      el("h3", { class: "fr-alert__title" }, words.title),
      el("p", {}, words.text)),
    el("ul", { class: "fr-btns-group fr-btns-group--inline-md fr-mt-3w" },
      el("li", {}, el("a", { class: "fr-btn", href: "/importer" }, "Importer d'autres utilisateurs")),
      el("li", {}, el("a", { class: "fr-btn fr-btn--secondary", href: "/accueil" }, "Revenir à la page d'accueil"))),
  );
  result.focus();
}

// ---- Wiring ------------------------------------------------------------------------------------------------

input.addEventListener("change", () => start(input.files[0]));
dropzone.addEventListener("click", () => input.click());
for (const name of ["dragenter", "dragover"]) {
  dropzone.addEventListener(name, (event) => {
    event.preventDefault();
    dropzone.classList.add("elea-dropzone--over");
  });
}
dropzone.addEventListener("dragleave", () => dropzone.classList.remove("elea-dropzone--over"));
dropzone.addEventListener("drop", (event) => {
  event.preventDefault();
  dropzone.classList.remove("elea-dropzone--over");
  const files = event.dataTransfer ? event.dataTransfer.files : null;
  if (files && files.length) start(files[0]);
});
// A file dropped beside the zone must not make the browser open it (and leave the page).
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());

const opened = document.body.dataset.importId;
if (opened) {
  setStep(2);
  progress("Chargement de l'importation…");
  follow(opened).catch((error) => {
    if (error.status !== 401) refuse(error);
  });
} else {
  setStep(1);
  api("/api/establishment")
    .then((school) => { dryRun.checked = Boolean(school.dry_run_default); })
    .catch(() => {});
}
