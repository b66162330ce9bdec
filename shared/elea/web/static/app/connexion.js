// Connexion: POST /api/session, then the Accueil; a pending account is told to open its activation link.
import { api, el, showError } from "./common.js";

const form = document.getElementById("connexion");
const errors = document.getElementById("erreur-connexion");

const reason = new URLSearchParams(window.location.search).get("session");
if (reason === "expiree") {
  errors.replaceChildren(
    el("div", { class: "fr-alert fr-alert--info" },
      el("p", {}, "Votre session a expiré après un moment d'inactivité : reconnectez-vous pour continuer.")),
  );
} else if (reason === "terminee") {
  errors.replaceChildren(
    el("div", { class: "fr-alert fr-alert--success" }, el("p", {}, "Vous êtes déconnecté.")),
  );
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const username = document.getElementById("username").value.trim();
  const password = document.getElementById("password").value;
  if (!username || !password) {
    showError(errors, {
      message: "Saisissez le nom d'utilisateur et le mot de passe.",
      hint: "Le nom d'utilisateur est le code UAI (RNE) de l'établissement.",
    }, "Connexion impossible");
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    await api("/api/session", { method: "POST", body: { username, password }, redirectOnExpiry: false });
    window.location.assign("/accueil");
  } catch (error) {
    button.disabled = false;
    if (error.code === "password_change_required") {
      showError(errors, error, "Activez d'abord le compte");
      if (error.body.activation_url) {
        errors.firstChild.append(
          el("p", {}, el("a", { class: "fr-link", href: error.body.activation_url }, "Activer le compte")),
        );
      }
    } else {
      showError(errors, error, "Connexion impossible");
    }
  }
});
