// People: who works in the project, with their load against capacity (the Team view's figure, from /api/v1/metrics),
// who is away or opted out; everyone in the tenant on request. Each name opens the person's page.

import { call, query } from "./api.js";
import { h, number } from "./dom.js";
import { empty, heading, personLink, stat, state } from "./app.js";
import { meter } from "./charts.js";
import { awayNow, day, loadFigure } from "./format.js";

const MAX_ROWS = 300;

export async function peopleView(params) {
  const scope = params.scope === "all" ? "all" : "project";
  const search = (params.q || "").trim().toLowerCase();
  const metrics = await call("GET", "/api/v1/metrics" + query({ project: state.project, weeks: 12 }));
  const load = new Map(metrics.people.map((row) => [row.id, row]));
  const everyone = [...state.people.values()];
  const inScope = scope === "all" ? everyone : everyone.filter((p) => load.has(p.id));
  const matching = inScope.filter((p) => !search || p.id.toLowerCase().includes(search) || (p.displayName || "").toLowerCase().includes(search));
  const ratio = (p) => (load.get(p.id) ? load.get(p.id).openLoad / load.get(p.id).capacity : -1);
  matching.sort((a, b) => ratio(b) - ratio(a) || (a.displayName || a.id).localeCompare(b.displayName || b.id));
  const shown = matching.slice(0, MAX_ROWS);

  const scopeSelect = h("select", { id: "people-scope", name: "scope" },
    h("option", { value: "project", selected: scope === "project" }, `Working in ${state.project} (last 12 weeks)`),
    h("option", { value: "all", selected: scope === "all" }, "Everyone in the tenant"));
  const searchInput = h("input", { type: "search", id: "people-search", name: "q", value: params.q || "", placeholder: "name or id",
    autocomplete: "off" });
  const filters = h("form", { class: "filters", id: "people-filters", "aria-label": "Filter people" },
    h("div", { class: "field" }, h("label", { for: "people-scope" }, "Show"), scopeSelect),
    h("div", { class: "field" }, h("label", { for: "people-search" }, "Search"), searchInput),
    h("button", { type: "submit", class: "button" }, "Apply"));
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = "#/people" + query({ project: state.project, scope: scopeSelect.value === "all" ? "all" : "", q: searchInput.value.trim() });
  });

  const away = everyone.filter((p) => awayNow(p));
  const over = metrics.people.filter((row) => row.openLoad > row.capacity);
  const rows = shown.map((person) => {
    const row = load.get(person.id);
    const off = awayNow(person);
    const unit = person.capacityUnit || "points";
    return h("tr", { dataset: { person: person.id } },
      h("td", { "data-label": "Person" }, personLink(person.id, person.displayName || person.id)),
      h("td", { "data-label": "Load", class: "load-cell" }, row
        ? [meter(row.openLoad, row.capacity, `load ${loadFigure(row.openLoad)} of ${loadFigure(row.capacity)}`),
          h("span", { class: row.openLoad > row.capacity ? "figure over" : "figure" }, ` ${loadFigure(row.openLoad)} / ${loadFigure(row.capacity)} ${unit}`)]
        : h("span", { class: "muted" }, `no work in ${state.project}`)),
      h("td", { "data-label": "Open tickets" }, row ? String(row.openTickets) : "–"),
      h("td", { "data-label": "Status" },
        off ? h("span", { class: "pill away" }, `away until ${day(off.end)}`) : null,
        person.optedOut ? h("span", { class: "pill warn" }, "opted out") : null,
        person.active ? null : h("span", { class: "pill warn" }, "inactive"),
        !off && !person.optedOut && person.active ? h("span", { class: "muted" }, "available") : null),
      h("td", { "data-label": "Time zone" }, person.timeZone || "–"));
  });
  const table = rows.length
    ? h("table", { class: "stacked", id: "people-table" },
      h("caption", { class: "visually-hidden" }, `People, ${scope === "all" ? "everyone in the tenant" : `working in ${state.project}`}`),
      h("thead", {}, h("tr", {}, ["Person", "Load / capacity", "Open tickets", "Status", "Time zone"].map((n) => h("th", { scope: "col" }, n)))),
      h("tbody", {}, rows))
    : search
      ? empty("no-people", `Nobody matches “${params.q}”.`, h("a", { href: "#/people" }, "Clear the search"))
      : scope === "project"
        ? empty("no-people", `Nobody has open or recently resolved work in ${state.project}.`,
          h("a", { href: "#/people?scope=all" }, "Show everyone in the tenant"), ", or assign tickets from ", h("a", { href: "#/tickets" }, "Tickets"), ".")
        : empty("no-people", "This tenant has no people yet: they arrive with imported tickets or a Jira sync.");
  return h("section", { "aria-labelledby": "people-title" },
    heading("people-title", `People · ${state.project}`),
    h("div", { class: "stats" },
      stat(`Working in ${state.project}`, metrics.people.length),
      stat("Over capacity", over.length),
      stat("Away today", away.length),
      stat("Opted out of auto-assign", everyone.filter((p) => p.optedOut).length)),
    filters,
    h("p", { class: "help" }, "Load is open work in every project, weighed as rankings weigh it, against weekly capacity (10 when unset). "
      + "Open a person to change their capacity, hours, time off or skills."),
    h("div", { class: "card flush" }, table),
    matching.length > shown.length ? h("p", { class: "muted" }, `Showing ${shown.length} of ${matching.length}: search to narrow.`) : null);
}
