// Shared by the pages: the JSON API (CSRF header, French errors), small DOM helpers, « Se déconnecter ».

const csrfMeta = document.querySelector('meta[name="csrf-token"]');

export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || "Le service ne répond pas.");
    this.status = status;
    this.code = body.code || "unknown";
    this.hint = body.hint || "";
    this.body = body;
  }
}

const UNREACHABLE = {
  code: "service_unreachable",
  message: "Le service ne répond pas.",
  hint: "Vérifiez la connexion à Internet puis réessayez dans quelques minutes.",
};

/** Calls the API; on an expired session, goes back to the login page (the page's own data is gone). */
export async function api(path, { method = "GET", body = undefined, redirectOnExpiry = true } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfMeta) headers["X-CSRF-Token"] = csrfMeta.content;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError(0, UNREACHABLE);
  }
  let answer = {};
  try {
    answer = await response.json();
  } catch {
    answer = response.ok ? {} : UNREACHABLE;
  }
  if (response.status === 401 && redirectOnExpiry) {
    window.location.assign("/connexion?session=expiree");
    throw new ApiError(401, answer);
  }
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

/** el("p", {class: "x"}, "text", child…): textContent only, never innerHTML (the data holds people's names). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const numbers = new Intl.NumberFormat("fr-FR");
export const number = (value) => numbers.format(value || 0);

const dates = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Paris" });
export function date(iso) {
  const parsed = iso ? new Date(iso) : null;
  return parsed && !Number.isNaN(parsed.getTime()) ? dates.format(parsed) : "";
}

/** « 1 utilisateur créé » / « 3 utilisateurs créés »; the procedure writes « 0 utilisateurs créés ». */
export function plural(count, singular, pluralForm) {
  return `${number(count)} ${count === 1 ? singular : pluralForm}`;
}

/** A DSFR alert with the API's French message and what to do, put in `container` (never a bare code). */
export function showError(container, error, title = "Une erreur est survenue") {
  container.replaceChildren(
    el(
      "div",
      { class: "fr-alert fr-alert--error" },
      el("h2", { class: "fr-alert__title" }, title),
      el("p", {}, error.message || UNREACHABLE.message),
      error.hint ? el("p", {}, error.hint) : null,
    ),
  );
  container.focus();
}

export function csrfToken() {
  return csrfMeta ? csrfMeta.content : "";
}

// The DSFR copies the header's tools into the mobile menu: one delegated listener serves both buttons.
document.addEventListener("click", async (event) => {
  const button = event.target.closest('[data-action="logout"]');
  if (!button) return;
  button.disabled = true;
  try {
    await api("/api/session/logout", { method: "POST", body: {}, redirectOnExpiry: false });
  } catch {
    // Already signed out (or the service is down): the login page is the right place either way.
  }
  window.location.assign("/connexion?session=terminee");
});
