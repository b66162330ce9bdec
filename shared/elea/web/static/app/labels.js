// The French words of the report, as the procedure and report.csv say them (elea.logic.report_csv).
import { plural } from "./common.js";

export const STATUS_LABELS = {
  running: ["En cours", "info"],
  completed: ["Terminée", "success"],
  refused: ["Fichier refusé", "error"],
  failed: ["Interrompue", "error"],
  awaiting_decision: ["Aperçu en attente", "warning"],
  cancelled: ["Annulée", "info"],
  canceled: ["Annulée", "info"],
  expired: ["Aperçu expiré", "info"],
  launched: ["Aperçu lancé", "info"],
};

export const OUTCOME_LABELS = {
  created: "Créé",
  updated: "Modifié",
  unchanged: "Inchangé",
  protected: "Protégé",
  suspended: "Suspendu",
  skipped: "Ignoré",
  error: "Erreur",
  held: "Suspension en attente",
  warning: "Avertissement",
};

export const OUTCOME_BADGES = {
  created: "success",
  updated: "info",
  unchanged: "no-icon",
  protected: "new",
  suspended: "warning",
  skipped: "no-icon",
  error: "error",
  held: "warning",
  warning: "warning",
};

export const PROFILE_LABELS = {
  student: "Élève",
  teacher: "Enseignant",
  personnel: "Personnel",
  relative: "Parent",
  guest: "Invité",
};

export const FIELD_LABELS = {
  last_name: "nom",
  first_name: "prénom",
  login: "identifiant",
  username: "identifiant",
  profile: "profil",
  classes: "classes",
  cohorts: "classes",
  class: "classe",
  status: "statut",
  email: "courriel",
};

export const COHORT_LABELS = { created: "Créée", unchanged: "Inchangée", emptied: "Vidée" };

/** The platform's three headline figures, in the procedure's words: « actualisés » are the file's accounts
 * brought up to date, modified or already so (a re-import of the same file reads « 570 utilisateurs
 * actualisés, 0 utilisateurs créés »); the per-person tab tells the modified from the unchanged. */
export function headline(counts) {
  return [
    plural((counts.updated || 0) + (counts.unchanged || 0), "utilisateur actualisé", "utilisateurs actualisés"),
    plural(counts.created, "utilisateur créé", "utilisateurs créés"),
    plural(counts.protected, "utilisateur protégé", "utilisateurs protégés"),
  ];
}

export function profileLabel(profile) {
  return PROFILE_LABELS[profile] || profile || "";
}

export function fieldsLabel(fields) {
  return (fields || []).map((field) => FIELD_LABELS[field] || field).join(", ");
}
