// Audit: every decision (who assigned or recommended whom, how and why) and every admin change (settings, roles,
// custom skills, people: who, when, before → after) of the project, newest first, from GET /api/v1/audit. Filters by
// kind, mode, person and date; "More" follows the list's cursor. The API lets admins read it (of the project, or of
// every project for `*` admins); others get an explanation instead of a control that would be refused.

import { ApiError, call, query } from "./api.js";
import { h, replace, when } from "./dom.js";
import { can, clearError, empty, everyProjectAdmin, heading, navigate, personLink, personName, say, showError, state, ticketLink } from "./app.js";

const KINDS = [
  ["", "Decisions and changes"],
  ["decision", "Decisions"],
  ["change", "All admin changes"],
  ["settings", "Settings changes"],
  ["role", "Role changes"],
  ["customSkills", "Custom skill changes"],
  ["person", "People edits"],
  ["token", "Tokens made and revoked"],
];
const MODES = [
  ["", "Any mode"],
  ["suggested", "Suggested (recommended, not assigned)"],
  ["auto", "Auto (assigned by SmartTicket)"],
  ["manual", "Manual (assigned by a person)"],
  ["override", "Override (departed from the suggestion)"],
  ["rebalance", "Rebalance (moved by a plan)"],
];
const CHANGE_KINDS = new Set(["change", "settings", "role", "customSkills", "person", "token"]);
const CHANGE_NAMES = { settings: "settings", role: "role", customSkills: "custom skills", person: "person", token: "token" };
const PAGE = 25;

/** The local day `YYYY-MM-DD` as the instant it starts, for `since`. */
function startOfDay(text) {
  const date = new Date(`${text}T00:00:00`);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

export async function auditView(params) {
  const project = state.project;
  say(""); // a message of the list shown before ("25 more entries.") says nothing of this one
  const scope = params.scope === "all" && everyProjectAdmin() ? "all" : "project";
  const filter = {
    kind: KINDS.some(([value]) => value === params.kind) ? params.kind : "",
    mode: MODES.some(([value]) => value === params.mode) ? params.mode : "",
    person: (params.person || "").trim(),
    since: /^\d{4}-\d{2}-\d{2}$/.test(params.since || "") ? params.since : "",
  };
  if (CHANGE_KINDS.has(filter.kind)) filter.mode = "";
  const title = scope === "all" ? "Audit · every project" : `Audit · ${project}`;
  const intro = h("p", { class: "help" }, "Every decision, with who acted and why, and every admin change (settings, roles, custom skills, "
    + "people) with who made it and what it was before and after, newest first. Kept until the tenant is deleted.");
  if (!can("admin", project) && scope !== "all") {
    return h("section", { "aria-labelledby": "audit-title" }, heading("audit-title", title), intro, denied(project));
  }
  const base = { project: scope === "all" ? "" : project, kind: filter.kind, mode: filter.mode, person: filter.person,
    since: filter.since ? startOfDay(filter.since) : "", limit: PAGE };
  let first;
  try {
    first = await call("GET", "/api/v1/audit" + query(base));
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      return h("section", { "aria-labelledby": "audit-title" }, heading("audit-title", title), intro, denied(project, scope));
    }
    throw error;
  }

  const list = h("ol", { class: "audit-list", id: "audit-list", "aria-label": "Decisions and changes, newest first" });
  const count = h("p", { class: "muted small", id: "audit-count", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "button", id: "audit-more" }, "More");
  const listCard = h("div", { class: "card" }, count, list, h("div", { class: "pager" }, more));
  let shown = 0;
  let next = first.next;
  const add = (items) => {
    list.append(...items.map((item) => entry(item)));
    shown += items.length;
    count.textContent = `${shown} ${shown === 1 ? "entry" : "entries"}${next ? "; more below" : ""}`;
    more.hidden = !next;
  };
  more.addEventListener("click", async () => {
    more.disabled = true;
    clearError();
    say("Loading more…");
    try {
      const page = await call("GET", "/api/v1/audit" + query({ ...base, cursor: next }));
      next = page.next;
      const before = shown;
      add(page.items);
      say(`${page.items.length} more ${page.items.length === 1 ? "entry" : "entries"}.`);
      list.children[before]?.querySelector("[data-focus]")?.focus();
    } catch (error) {
      say("");
      showError(error, "Could not load more of the audit");
    } finally {
      more.disabled = false;
    }
  });
  add(first.items);

  const filtered = filter.kind || filter.mode || filter.person || filter.since;
  const body = first.items.length ? listCard : h("div", { class: "card" }, empty("no-audit",
    filtered ? "Nothing matches these filters." : `Nothing recorded in ${scope === "all" ? "this tenant" : project} yet.`,
    filtered ? h("a", { href: "#/audit" + query({ project, scope: scope === "all" ? "all" : "" }) }, "Clear the filters") : null,
    filtered ? ". " : "",
    "Decisions are recorded when someone asks for a recommendation or assigns a ticket (", h("a", { href: "#/tickets" }, "Tickets"),
    "); changes when an admin edits settings, roles or custom skills (", h("a", { href: "#/settings" }, "Settings"),
    ") or someone edits a person (", h("a", { href: "#/people" }, "People"), ")."));
  return h("section", { "aria-labelledby": "audit-title" }, heading("audit-title", title), intro,
    filters(project, scope, filter), body);
}

function denied(project, scope) {
  return h("div", { class: "card", id: "audit-denied" },
    h("p", {}, scope === "all"
      ? "The audit of every project needs the admin role for every project (*). Choose \"This project\" to read the audit of a project you administer."
      : `The audit of ${project} is for its admins: it shows who changed settings and roles, and why tickets went where they did.`),
    h("p", { class: "muted" }, "Each ticket's page lists its own decisions, with who acted and why. ",
      scope === "all" ? "" : `Ask an admin of ${project} for the admin role if you need the whole trail.`));
}

function filters(project, scope, filter) {
  const kindSelect = h("select", { id: "audit-kind", name: "kind" },
    KINDS.map(([value, label]) => h("option", { value, selected: value === filter.kind }, label)));
  const modeSelect = h("select", { id: "audit-mode", name: "mode", disabled: CHANGE_KINDS.has(filter.kind),
    "aria-describedby": "audit-mode-help" }, MODES.map(([value, label]) => h("option", { value, selected: value === filter.mode }, label)));
  kindSelect.addEventListener("change", () => {
    modeSelect.disabled = CHANGE_KINDS.has(kindSelect.value);
    if (modeSelect.disabled) modeSelect.value = "";
  });
  const personInput = h("input", { type: "search", id: "audit-person", name: "person", value: filter.person, list: "audit-people",
    placeholder: "person id", autocomplete: "off", maxlength: "255", "aria-describedby": "audit-person-help" });
  const sinceInput = h("input", { type: "date", id: "audit-since", name: "since", value: filter.since, min: "1970-01-01", max: "2099-12-31" });
  const scopeSelect = everyProjectAdmin()
    ? h("select", { id: "audit-scope", name: "scope" },
      h("option", { value: "project", selected: scope === "project" }, `This project (${project})`),
      h("option", { value: "all", selected: scope === "all" }, "Every project and the tenant"))
    : null;
  const form = h("form", { class: "filters", id: "audit-filters", "aria-label": "Filter the audit" },
    scopeSelect ? h("div", { class: "field" }, h("label", { for: "audit-scope" }, "Scope"), scopeSelect) : null,
    h("div", { class: "field" }, h("label", { for: "audit-kind" }, "Kind"), kindSelect),
    h("div", { class: "field" }, h("label", { for: "audit-mode" }, "Decision mode"), modeSelect,
      h("span", { class: "visually-hidden", id: "audit-mode-help" }, "Applies to decisions only.")),
    h("div", { class: "field" }, h("label", { for: "audit-person" }, "Person"), personInput,
      h("span", { class: "visually-hidden", id: "audit-person-help" }, "Decisions for or away from this person, and edits of their record or roles.")),
    h("div", { class: "field" }, h("label", { for: "audit-since" }, "Since"), sinceInput),
    h("datalist", { id: "audit-people" }, [...state.people.values()].slice(0, 1000).map((p) => h("option", { value: p.id }, p.displayName))),
    h("button", { type: "submit", class: "button", id: "audit-apply" }, "Apply"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate("#/audit" + query({ project, scope: scopeSelect?.value === "all" ? "all" : "", kind: kindSelect.value,
      mode: modeSelect.disabled ? "" : modeSelect.value, person: personInput.value.trim(), since: sinceInput.value }));
  });
  return form;
}

// ---- One entry ------------------------------------------------------------------------------------

function entry(item) {
  const isDecision = item.kind === "decision";
  const label = isDecision ? item.mode : CHANGE_NAMES[item.kind] || item.kind;
  const at = h("time", { datetime: item.at }, when(item.at));
  const actor = item.actor === "system" ? "SmartTicket" : personName(item.actor);
  return h("li", { class: `audit-entry ${isDecision ? "is-decision" : "is-change"}`, dataset: { kind: item.kind, id: String(item.id) } },
    h("div", { class: "audit-head" },
      h("span", { class: `pill ${isDecision ? "mode-" + item.mode : "change"}` }, label),
      h("span", { class: "audit-what", tabindex: "-1", "data-focus": "" }, ...(isDecision ? decisionText(item) : changeText(item)))),
    h("div", { class: "audit-meta muted small" }, `by ${actor} · `, at),
    isDecision
      ? (item.reason ? h("p", { class: "audit-reason" }, h("span", { class: "muted" }, "Why: "), item.reason) : null)
      : changes(item.before, item.after));
}

function decisionText(item) {
  const who = (person) => (person ? personLink(person.id, person.name) : "nobody");
  switch (item.mode) {
    case "suggested": return [ticketLink(item.ticket), ": suggested ", who(item.chosen)];
    case "auto": return [ticketLink(item.ticket), ": assigned to ", who(item.chosen), " automatically"];
    case "override": return [ticketLink(item.ticket), ": reassigned to ", who(item.chosen), item.previous ? [" from ", who(item.previous)] : ""];
    case "rebalance": return [ticketLink(item.ticket), ": moved to ", who(item.chosen), item.previous ? [" from ", who(item.previous)] : ""];
    default: return [ticketLink(item.ticket), ": assigned to ", who(item.chosen)];
  }
}

function changeText(item) {
  switch (item.kind) {
    case "settings": return [`Settings of ${item.target}`];
    case "role": {
      const verb = item.before == null ? "granted to" : item.after == null ? "revoked from" : "changed for";
      return [`Role in ${item.project} ${verb} `, state.people.has(item.target) ? personLink(item.target) : item.target];
    }
    case "customSkills": return ["Custom skills of the tenant"];
    case "person": return ["Person ", personLink(item.target)];
    case "token": {
      const token = item.after || item.before || {};
      return [`Token “${token.name || item.target}” of ${token.owner || "?"} `, item.before == null ? "made" : "revoked"];
    }
    default: return [item.target];
  }
}

/** Whether two values read the same: an absent value, null and an empty list are all "none". */
function same(a, b) {
  const plain = (value) => JSON.stringify(value === undefined || (Array.isArray(value) && !value.length) ? null : value);
  return plain(a) === plain(b);
}

/** The fields that differ between `before` and `after` (one level into nested objects: `weights.skillFit`). */
export function diff(before, after, prefix = "", depth = 0) {
  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  if (!isObject(before) || !isObject(after)) return same(before, after) ? [] : [{ field: prefix, before, after }];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.flatMap((key) => {
    const field = prefix ? `${prefix}.${key}` : key;
    if (depth < 1 && isObject(before[key]) && isObject(after[key])) return diff(before[key], after[key], field, depth + 1);
    return same(before[key], after[key]) ? [] : [{ field, before: before[key], after: after[key] }];
  });
}

/** A value in a few words: none for null or empty, lists and objects inline (a range as "start – end"), long ones cut. */
function compact(value) {
  let text;
  if (value === null || value === undefined || (Array.isArray(value) && !value.length)) text = "none";
  else if (Array.isArray(value)) text = value.map(compact).join(value.some((item) => item && typeof item === "object") ? "; " : ", ");
  else if (typeof value === "object" && typeof value.start === "string" && typeof value.end === "string") {
    text = `${value.start} – ${value.end}` + Object.entries(value).filter(([key]) => key !== "start" && key !== "end")
      .map(([key, inner]) => (key === "reason" ? ` (${compact(inner)})` : ` ${key}: ${compact(inner)}`)).join("");
  } else if (typeof value === "object") text = Object.entries(value).map(([key, inner]) => `${key}: ${compact(inner)}`).join(", ");
  else text = String(value);
  return text.length > 140 ? text.slice(0, 139) + "…" : text;
}

function changes(before, after) {
  const rows = diff(before, after);
  if (!rows.length) return h("p", { class: "muted small" }, "Only empty values changed (none became an empty list, or back).");
  return h("ul", { class: "audit-diff", "aria-label": "Before and after" }, rows.map((row) => h("li", {},
    row.field ? h("span", { class: "diff-field" }, `${row.field}:`) : null, " ",
    h("span", { class: "diff-before" }, compact(row.before)),
    h("span", { class: "diff-arrow", "aria-hidden": "true" }, " → "),
    h("span", { class: "visually-hidden" }, " changed to "),
    h("span", { class: "diff-after" }, compact(row.after)))));
}
