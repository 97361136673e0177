// The SmartTicket web panel: sign in with single sign-on (when the server offers it) or an API token, then every view of
// the navigation below. Each view is a module (view-*.js) whose function returns the view's element; every piece of data
// comes from /api/v1 with the token or the session cookie.

import { ApiError, all, call, claims, endSession, forgetToken, loadSession, query, session, ssoOffered, storeToken, storedToken } from "./api.js";
import { h, replace } from "./dom.js";
import { clearError, connect, isCurrent, main, navigate, say, setProject, showError, state } from "./app.js";
import { ticketsView } from "./view-tickets.js";
import { ticketView } from "./view-ticket.js";
import { teamView } from "./view-team.js";
import { peopleView } from "./view-people.js";
import { personView } from "./view-person.js";
import { rebalanceView } from "./view-rebalance.js";
import { whatIfView } from "./view-whatif.js";
import { qualityView } from "./view-quality.js";
import { auditView } from "./view-audit.js";
import { settingsView } from "./view-settings.js";
import { tokensView } from "./view-tokens.js";

/**
 * The views, in navigation order: `route` is the hash (`#/route`), `name` the navigation link's text, `view(params, arg)`
 * returns the view's element. `within` lists the routes of pages that belong to a view (its link stays current there).
 */
const VIEWS = [
  { route: "tickets", name: "Tickets", view: (params) => ticketsView(params), within: ["ticket"] },
  { route: "team", name: "Team", view: (params) => teamView(params) },
  { route: "people", name: "People", view: (params) => peopleView(params), within: ["person"] },
  { route: "rebalance", name: "Rebalance", view: (params) => rebalanceView(params) },
  { route: "whatif", name: "What-if", view: () => whatIfView() },
  { route: "quality", name: "Quality", view: (params) => qualityView(params) },
  { route: "audit", name: "Audit", view: (params) => auditView(params) },
  { route: "settings", name: "Settings", view: () => settingsView() },
  { route: "tokens", name: "Tokens", view: () => tokensView() },
];

/** Pages reached from a view rather than from the navigation; they need no project. */
const PAGES = {
  ticket: (params, arg) => ticketView(arg),
  person: (params, arg) => personView(arg),
};

// ---- Session --------------------------------------------------------------------------------------

/** Signs in with `token`, or with the single sign-on session's cookie when `token` is null. */
async function signIn(token) {
  clearError();
  const list = await call("GET", "/api/v1/projects", { token });
  if (token) storeToken(token);
  state.projects = list.items;
  const remembered = sessionStorage.getItem("smartTicket.project");
  state.project = state.projects.some((p) => p.key === remembered) ? remembered : state.projects[0]?.key || null;
  try {
    const people = await all("/api/v1/people", { limit: 500 });
    state.people = new Map(people.map((p) => [p.id, p]));
  } catch (error) {
    state.people = new Map();
    showError(error, "Could not load people");
  }
  renderChrome(token);
}

/** Signs out; `end` (the Sign out button) also ends a single sign-on session at the server and at the identity provider. */
async function signOut(message, { end = false } = {}) {
  const sso = !storedToken() && session();
  forgetToken();
  if (sso && end) {
    say("Signing out…");
    let next = "/";
    try {
      next = await endSession();
    } catch (error) {
      showError(error, "Sign-out failed");
      return;
    }
    location.assign(next);
    return;
  }
  state.projects = [];
  state.people = new Map();
  state.project = null;
  document.getElementById("nav").hidden = true;
  document.getElementById("account").hidden = true;
  if (location.hash && location.hash !== "#/") history.replaceState(null, "", location.pathname);
  renderSignIn(message);
}

function renderChrome(token) {
  const sso = session();
  const who = token ? claims(token) || {} : { sub: sso ? sso.person || sso.subject : null, tid: sso ? sso.tenant : null };
  document.getElementById("whoami").textContent = `${who.sub || "signed in"}${who.tid ? " · " + who.tid : ""}`;
  const select = document.getElementById("project-select");
  replace(select, state.projects.map((p) => h("option", { value: p.key, selected: p.key === state.project },
    `${p.key}${p.name && p.name !== p.key ? " — " + p.name : ""} (${p.role})`)));
  replace(document.getElementById("nav-list"), VIEWS.map((entry) =>
    h("li", {}, h("a", { href: `#/${entry.route}`, dataset: { view: entry.route } }, entry.name))));
  document.getElementById("nav").hidden = false;
  document.getElementById("account").hidden = false;
}

function renderSignIn(message) {
  const input = h("textarea", { id: "token-input", name: "token", rows: 4, required: true, autocomplete: "off", spellcheck: "false",
    "aria-describedby": "token-help" });
  const form = h("form", { class: "card sign-in", id: "sign-in-form" },
    h("h1", { tabindex: "-1" }, "Sign in"),
    message ? h("p", { class: "notice" }, message) : null,
    h("label", { for: "token-input" }, "API token"),
    input,
    h("p", { id: "token-help", class: "help" },
      "Paste a token made with ", h("code", {}, "smart-ticket token create --tenant T --subject YOU --role member --project KEY"),
      ". It is kept only in this browser tab and sent only to this server."),
    h("button", { type: "submit", class: "button primary", id: "sign-in" }, "Sign in"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say("Signing in…");
    try {
      await signIn(token);
      say("");
      navigate("#/tickets");
    } catch (error) {
      forgetToken();
      say("");
      showError(error.status === 401 ? new ApiError(401, "UNAUTHENTICATED", "This token was refused: it is expired, malformed or signed with another key")
        : error, "Sign-in failed");
    } finally {
      button.disabled = false;
    }
  });
  replace(main(), form);
  input.focus();
  // Single sign-on first, when the server offers it: a link to the identity provider's sign-in.
  ssoOffered().then((offered) => {
    if (!offered || !form.isConnected || form.querySelector("#sign-in-sso")) return;
    form.insertBefore(h("div", { class: "sso" },
      h("a", { href: "/auth/oidc/login", id: "sign-in-sso", class: "button primary" }, "Sign in with SSO"),
      h("p", { class: "help" }, "With your company account. Or paste an API token below.")), form.querySelector("label"));
  });
}

// ---- Routing --------------------------------------------------------------------------------------

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, search] = hash.split("?");
  const params = Object.fromEntries(new URLSearchParams(search || ""));
  const [route, ...rest] = path.split("/");
  return { route: route || "tickets", arg: rest.map(decodeURIComponent).join("/"), params };
}

async function render() {
  if (!storedToken() && !session()) return renderSignIn();
  const { route, arg, params } = parseHash();
  const page = PAGES[route];
  const entry = VIEWS.find((v) => v.route === route) || (page ? null : VIEWS[0]);
  if (params.project && state.projects.some((p) => p.key === params.project)) setProject(params.project);
  for (const link of document.querySelectorAll("#nav a")) {
    const view = VIEWS.find((v) => v.route === link.dataset.view);
    if (view.route === route || (view.within || []).includes(route)) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  clearError();
  if (state.lastRoute !== route) say("");
  state.lastRoute = route;
  const token = ++state.renderCount;
  replace(main(), h("p", { class: "loading" }, "Loading…"));
  if (!state.project && !page) {
    replace(main(), h("div", { class: "card" }, h("h1", { tabindex: "-1" }, "No projects"),
      h("p", {}, "Your token gives you no role in any project of this tenant. Ask an admin for a role.")));
    return;
  }
  try {
    const view = page ? await page(params, arg) : await entry.view(params);
    if (!isCurrent(token)) return; // a newer navigation won
    replace(main(), view);
    main().querySelector("h1")?.focus({ preventScroll: true });
  } catch (error) {
    if (!isCurrent(token)) return;
    replace(main(), h("div", { class: "card" }, h("h1", { tabindex: "-1" }, "Something went wrong"),
      h("p", {}, "The page could not be loaded. The message above says why; ", h("a", { href: "#/tickets" }, "go back to the tickets"),
        " or try again.")));
    showError(error, "Could not load this page");
  }
}

// ---- Start ----------------------------------------------------------------------------------------

async function start() {
  connect({ render, signOut });
  document.getElementById("sign-out").addEventListener("click", () => signOut("You signed out.", { end: true }));
  document.getElementById("project-select").addEventListener("change", (event) => {
    setProject(event.target.value);
    const { route } = parseHash();
    const entry = VIEWS.find((v) => v.route === route || (v.within || []).includes(route)) || VIEWS[0];
    location.hash = `#/${entry.route}` + query({ project: event.target.value });
  });
  window.addEventListener("hashchange", () => { render(); });
  // A link like `/#token=...` (printed by the demo) signs in at once; the token leaves the address bar.
  const fromLink = location.hash.match(/^#token=([A-Za-z0-9._-]+)$/);
  if (fromLink) history.replaceState(null, "", location.pathname + "#/tickets");
  const token = fromLink ? fromLink[1] : storedToken();
  // Without a token, a single sign-on session (the cookie the sign-in left) signs in.
  if (!token && !(await loadSession())) return renderSignIn();
  try {
    await signIn(token);
  } catch (error) {
    forgetToken();
    renderSignIn();
    showError(error, "Sign-in failed");
    return;
  }
  await render();
}

start();
