// Connexion, enhanced: POST /api/session, then the Accueil; a pending account is told to open its activation
// link. Without this script the same form posts to /connexion and the server redirects (elea.web.login_form).
import { api, el, showError } from "./common.js";

const form = document.getElementById("connexion");
const errors = document.getElementById("erreur-connexion");

// ?session=expiree|terminee and a refused form post (?erreur=…) are said by the server-rendered page.

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
