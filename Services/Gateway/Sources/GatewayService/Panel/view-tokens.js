// Tokens: personal API tokens for tools (CI, dashboards, scripts). Make one with a name, a lifetime and a role per
// project (no higher than your own: the API refuses more), see it once, and revoke any of yours; admins of every
// project (`*`) see and revoke everyone's. A revoked token is refused at once by every gateway.

import { call } from "./api.js";
import { h, replace, when } from "./dom.js";
import { act, empty, field, heading, state, subject } from "./app.js";

const ROLE_RANK = { viewer: 1, member: 2, admin: 3 };
const LIFETIMES = [["1d", "1 day"], ["7d", "7 days"], ["30d", "30 days"]];

/** The roles the signed-in principal may give in `project` (its own there, and below). */
function rolesUpTo(project) {
  const own = project === "*" ? state.projects.find((p) => p.key === "*")?.role
    : state.projects.find((p) => p.key === project)?.role;
  return Object.keys(ROLE_RANK).filter((role) => ROLE_RANK[role] <= (ROLE_RANK[own] || 0));
}

function rolesText(roles) {
  return Object.entries(roles || {}).sort(([a], [b]) => a.localeCompare(b)).map(([project, role]) => `${project}: ${role}`).join(", ");
}

export async function tokensView() {
  const section = h("div", { class: "tokens" });
  const list = h("section", { class: "card", id: "token-list", "aria-labelledby": "token-list-title" });
  const created = h("div", { id: "new-token-area" });

  const draw = (items) => {
    const everyone = items.some((t) => t.owner !== subject());
    const rows = items.map((token) => {
      const revoke = token.revokedAt ? null : h("button", { type: "button", class: "button subtle small", dataset: { token: token.id },
        "aria-label": `Revoke the token ${token.name}` }, "Revoke");
      revoke?.addEventListener("click", () => act(revoke, { busy: "Revoking…", done: `Token “${token.name}” revoked: it is refused from now on.`,
        failure: "Could not revoke the token" }, async () => {
        await call("DELETE", `/api/v1/tokens/${encodeURIComponent(token.id)}`);
        await reload();
      }));
      const status = token.revokedAt ? `revoked ${when(token.revokedAt)}${token.revokedBy ? " by " + token.revokedBy : ""}`
        : token.expiresAt && new Date(token.expiresAt) < new Date() ? "expired" : "live";
      return h("tr", { dataset: { token: token.id, state: token.revokedAt ? "revoked" : "live" } },
        h("td", { "data-label": "Name" }, token.name || token.id, token.current ? h("span", { class: "pill" }, "this session") : null),
        everyone ? h("td", { "data-label": "Owner" }, token.owner || "–") : null,
        h("td", { "data-label": "Kind" }, token.kind),
        h("td", { "data-label": "Roles" }, rolesText(token.roles) || "–"),
        h("td", { "data-label": "Created" }, when(token.createdAt)),
        h("td", { "data-label": "Expires" }, when(token.expiresAt)),
        h("td", { "data-label": "State" }, status),
        h("td", { "data-label": "" }, revoke));
    });
    replace(list, h("h2", { id: "token-list-title" }, everyone ? "Every token of the tenant" : "Your tokens"),
      rows.length ? h("table", { class: "plain stacked", id: "tokens-table" },
        h("thead", {}, h("tr", {}, ["Name", everyone ? "Owner" : null, "Kind", "Roles", "Created", "Expires", "State", ""]
          .filter((n) => n !== null).map((n) => h("th", { scope: "col" }, n)))),
        h("tbody", {}, rows))
        : empty("no-tokens", "No tokens yet.", "Make one above for a tool that calls the API."));
  };
  const reload = async () => draw((await call("GET", "/api/v1/tokens")).items);

  const projects = state.projects.map((p) => p.key);
  const name = h("input", { type: "text", id: "token-name", required: true, maxlength: "200", autocomplete: "off", placeholder: "e.g. ci" });
  const lifetime = h("select", { id: "token-lifetime" }, LIFETIMES.map(([value, label]) => h("option", { value, selected: value === "7d" }, label)));
  const project = h("select", { id: "token-project" }, projects.map((key) => h("option", { value: key, selected: key === state.project },
    key === "*" ? "Every project (*)" : key)));
  const role = h("select", { id: "token-role" });
  const fillRoles = () => replace(role, rolesUpTo(project.value).map((value) => h("option", { value, selected: value === "viewer" }, value)));
  project.addEventListener("change", fillRoles);
  fillRoles();
  const submit = h("button", { type: "submit", class: "button primary", id: "create-token" }, "Create token");
  const form = h("form", { class: "card", id: "token-form", "aria-labelledby": "token-form-title" },
    h("h2", { id: "token-form-title" }, "New token"),
    h("p", { class: "help" }, "A token speaks for you with the role you choose here, never more than your own. Give each tool its own, so you can revoke one alone."),
    field("Name", name, "What the token is for."),
    field("Expires in", lifetime),
    field("Project", project),
    field("Role", role, "Up to your own role in the project."),
    submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!name.value.trim() || !role.value) return;
    act(submit, { busy: "Creating the token…", done: (made) => made ? `Token “${made.name}” created.` : "", failure: "Could not create the token" },
      async () => {
        const made = await call("POST", "/api/v1/tokens", { body: { name: name.value.trim(), ttl: lifetime.value, roles: { [project.value]: role.value } } });
        const value = h("textarea", { id: "new-token", readonly: true, rows: 3, spellcheck: "false", "aria-describedby": "new-token-help" });
        value.value = made.token;
        replace(created, h("section", { class: "card notice", id: "new-token-card", "aria-labelledby": "new-token-title" },
          h("h2", { id: "new-token-title" }, `Your new token “${made.name}”`),
          h("label", { for: "new-token" }, "Token"),
          value,
          h("p", { class: "help", id: "new-token-help" }, "Copy it now (select it and press Ctrl+C): it is shown only this once. ",
            `It expires ${when(made.expiresAt)}.`)));
        value.focus();
        value.select();
        name.value = "";
        await reload();
        return made;
      });
  });
  await reload();
  return replace(section, heading("tokens-title", "Tokens"), form, created, list);
}
