// What every view shares: the signed-in session (projects and roles, people), messages, and navigation.

import { ApiError, claims, session, storedToken } from "./api.js";
import { h, replace } from "./dom.js";

const ROLE_RANK = { viewer: 1, member: 2, admin: 3 };

export const state = {
  projects: [],
  project: null,
  people: new Map(),
  renderCount: 0,
};

export const main = () => document.getElementById("main");

let renderHook = async () => {};
let signOutHook = () => {};

/** Called by panel.js once: how to render the current route, and how to sign out. */
export function connect({ render, signOut }) {
  renderHook = render;
  signOutHook = signOut;
}

/** Renders the current route again. */
export function render() {
  return renderHook();
}

/** Goes to `hash`, rendering again when it is already the current one; then says `notice`, if any. */
export function navigate(hash, notice) {
  if (location.hash === hash) return render().then(() => { if (notice) say(notice); });
  // The route's render clears the status as it starts (in the hashchange listener registered before this one).
  if (notice) window.addEventListener("hashchange", () => say(notice), { once: true });
  location.hash = hash;
  return undefined;
}

/** Whether the render that started as number `token` is still the latest one (a newer navigation wins). */
export function isCurrent(token) {
  return token === state.renderCount;
}

// ---- Messages -------------------------------------------------------------------------------------

/** Shows `error` in the banner, as a sentence a person can act on. */
export function showError(error, context) {
  const banner = document.getElementById("error");
  const text = error instanceof ApiError ? error.readable : String(error && error.message ? error.message : error);
  replace(banner, h("strong", {}, context ? `${context}: ` : "Error: "), text,
    h("button", { type: "button", class: "button subtle small", onclick: clearError, "aria-label": "Dismiss error" }, "Dismiss"));
  banner.hidden = false;
  if (error instanceof ApiError && error.status === 401 && (storedToken() || session())) {
    signOutHook(storedToken() ? "Your token was refused or has expired. Please sign in again." : "Your session has ended. Please sign in again.");
  }
}

export function clearError() {
  const banner = document.getElementById("error");
  banner.hidden = true;
  banner.replaceChildren();
}

/** A short status message (announced politely to screen readers). */
export function say(text) {
  document.getElementById("status").textContent = text;
}

/**
 * Runs `work` for a button: disabled meanwhile, the status says `busy`, then `done` (a string or a function of the
 * result); an error goes to the banner with `failure`. Resolves with the result, or undefined after an error.
 */
export async function act(button, { busy, done, failure }, work) {
  if (button) button.disabled = true;
  clearError();
  say(busy || "Working…");
  try {
    const result = await work();
    say(typeof done === "function" ? done(result) : done || "");
    return result;
  } catch (error) {
    say("");
    showError(error, failure);
    return undefined;
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

// ---- Session --------------------------------------------------------------------------------------

/** The signed-in principal's role in `project` (the best of its own and `*`), or null. */
export function role(project = state.project) {
  return state.projects.find((p) => p.key === project)?.role || null;
}

/** Whether the role in `project` is at least `minimum`. */
export function can(minimum, project = state.project) {
  return (ROLE_RANK[role(project)] || 0) >= ROLE_RANK[minimum];
}

/** The signed-in principal as roles name it: the token's subject, or the single sign-on session's subject. */
export function signedInSubject() {
  const sso = session();
  if (!storedToken() && sso) return sso.subject;
  return (claims(storedToken()) || {}).sub || null;
}

/** Who is signed in as a person: the token's subject, or the single sign-on session's person (or subject when no person matched). */
export function subject() {
  const sso = session();
  if (!storedToken() && sso) return sso.person || sso.subject;
  return (claims(storedToken()) || {}).sub || null;
}

/**
 * Whether the token (or the single sign-on session's group roles) says its holder is an admin of every project (`*`):
 * what tenant-wide controls are offered to. The server decides; this only avoids offering what it would refuse.
 */
export function everyProjectAdmin() {
  const sso = session();
  const roles = !storedToken() && sso ? sso.roles : (claims(storedToken()) || {}).roles;
  return roles?.["*"] === "admin";
}

export function personName(id) {
  if (!id) return "Unassigned";
  return state.people.get(id)?.displayName || id;
}

/** A link to a person's view. */
export function personLink(id, name = personName(id)) {
  return h("a", { href: `#/person/${encodeURIComponent(id)}`, class: "person-link" }, name);
}

/** A link to a ticket's view. */
export function ticketLink(key) {
  return h("a", { href: `#/ticket/${encodeURIComponent(key)}`, class: "ticket-link" }, key);
}

export function setProject(key) {
  state.project = key;
  sessionStorage.setItem("smartTicket.project", key);
  const select = document.getElementById("project-select");
  if (select && select.value !== key) select.value = key;
}

// ---- Common pieces of views -----------------------------------------------------------------------

/** A view's heading (focused after navigation) with optional controls beside it. */
export function heading(id, text, ...controls) {
  return h("div", { class: "view-head" }, h("h1", { id, tabindex: "-1" }, text), ...controls);
}

/** A figure with its label. */
export function stat(label, value, detail) {
  return h("div", { class: "stat card" }, h("div", { class: "stat-value" }, String(value)), h("div", { class: "stat-label" }, label),
    detail ? h("div", { class: "stat-detail muted small" }, detail) : null);
}

/** A labelled form field: `<div class=field><label for=id>label</label>input<p help></div>`. */
export function field(label, input, help) {
  const helpId = help ? `${input.id}-help` : null;
  if (helpId) input.setAttribute("aria-describedby", helpId);
  return h("div", { class: "field" }, h("label", { for: input.id }, label), input, help ? h("p", { class: "help", id: helpId }, help) : null);
}

/** An empty state: what is missing and what to do next. */
export function empty(id, text, ...next) {
  return h("div", { class: "empty", id }, h("p", {}, text), next.length ? h("p", { class: "next" }, ...next) : null);
}
