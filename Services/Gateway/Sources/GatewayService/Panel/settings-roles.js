// Roles of a project (admins): who holds which role, granted or changed per subject (PUT) and revoked (DELETE).

import { call } from "./api.js";
import { h, replace } from "./dom.js";
import { act, empty, personName, signedInSubject, state } from "./app.js";

const ROLES = [["viewer", "Viewer: reads everything"], ["member", "Member: also ranks and assigns"], ["admin", "Admin: also settings, roles, rebalance"]];

function rolePath(project, who = "") {
  return `/api/v1/projects/${encodeURIComponent(project)}/roles${who ? "/" + encodeURIComponent(who) : ""}`;
}

/** The roles card: `items` from GET .../roles for admins; a short note for others. */
export function rolesCard(project, items, admin) {
  const section = h("section", { class: "card", id: "roles", "aria-labelledby": "roles-title" });
  if (!admin) {
    return replace(section, h("h2", { id: "roles-title" }, "Roles"),
      h("p", { class: "muted", id: "roles-denied" }, `Only admins of ${project} see and change its roles.`));
  }
  const draw = (list, focusId) => {
    const own = list.filter((r) => r.project === project);
    const everywhere = list.filter((r) => r.project === "*");
    const rows = own.map((r, index) => {
      const select = h("select", { id: `role-of-${index}`, "aria-label": `Role of ${r.principal}` },
        ROLES.map(([value]) => h("option", { value, selected: r.role === value }, value)));
      select.addEventListener("change", () => change(select, r.principal, select.value, `role-of-${index}`));
      const revoke = h("button", { type: "button", class: "button subtle small", "aria-label": `Revoke the role of ${r.principal}`,
        dataset: { subject: r.principal } }, "Revoke");
      revoke.addEventListener("click", () => revokeRole(revoke, r.principal));
      return h("tr", { dataset: { subject: r.principal } },
        h("td", { "data-label": "Subject" }, r.principal, personName(r.principal) !== r.principal
          ? h("span", { class: "muted" }, ` (${personName(r.principal)})`) : null, r.principal === signedInSubject() ? h("span", { class: "pill" }, "you") : null),
        h("td", { "data-label": "Role" }, select),
        h("td", { "data-label": "" }, revoke));
    });
    const who = h("input", { type: "text", id: "grant-subject", required: true, maxlength: "255", list: "grant-people", autocomplete: "off",
      placeholder: "token subject, e.g. a person id" });
    const roleSelect = h("select", { id: "grant-role" }, ROLES.map(([value, label]) => h("option", { value, selected: value === "member" }, label)));
    const grant = h("button", { type: "submit", class: "button", id: "grant-role-button" }, "Grant");
    const form = h("form", { class: "inline-form", id: "grant-form", "aria-label": "Grant a role" },
      h("div", { class: "field" }, h("label", { for: "grant-subject" }, "Subject"), who),
      h("datalist", { id: "grant-people" }, [...state.people.values()].slice(0, 1000).map((p) => h("option", { value: p.id }, p.displayName))),
      h("div", { class: "field" }, h("label", { for: "grant-role" }, "Role"), roleSelect),
      grant);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (who.value.trim()) change(grant, who.value.trim(), roleSelect.value, "grant-subject");
    });
    replace(section, h("h2", { id: "roles-title" }, "Roles"),
      h("p", { class: "help" }, `Roles stored for ${project}, by token subject. A token's own claims can grant roles too; those are not listed.`),
      own.length ? h("table", { class: "plain stacked", id: "roles-table" },
        h("thead", {}, h("tr", {}, ["Subject", "Role", ""].map((n) => h("th", { scope: "col" }, n)))),
        h("tbody", {}, rows))
        : empty("no-roles", `No roles stored for ${project} yet.`, "Grant one below."),
      everywhere.length ? h("p", { class: "muted small", id: "roles-everywhere" }, "For every project (`*`): ",
        everywhere.map((r, index) => `${index ? ", " : ""}${r.principal} (${r.role})`).join("")) : null,
      form);
    if (focusId) document.getElementById(focusId)?.focus();
  };
  const reload = async (focusId) => draw((await call("GET", rolePath(project))).items, focusId);
  const change = (control, who, role, focusId) => act(control, { busy: "Saving the role…", done: `${who} is now ${role} of ${project}.`,
    failure: "Could not change the role" }, async () => {
    await call("PUT", rolePath(project, who), { body: { role } });
    await reload(focusId);
  });
  const revokeRole = (button, who) => act(button, { busy: "Revoking…", done: `${who} has no stored role in ${project} any more.`,
    failure: "Could not revoke the role" }, async () => {
    await call("DELETE", rolePath(project, who));
    await reload("grant-subject");
  });
  draw(items || []);
  return section;
}
