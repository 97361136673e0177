// Team: the project's open load against capacity (the ranking's load figure, from /api/v1/metrics), throughput,
// and the skills only one person has.

import { call, query } from "./api.js";
import { h, number } from "./dom.js";
import { empty, heading, personLink, personName, stat, state } from "./app.js";
import { loadChart } from "./charts.js";
import { loadFigure } from "./format.js";

export async function teamView(params) {
  const weeks = params.weeks || "12";
  const metrics = await call("GET", "/api/v1/metrics" + query({ project: state.project, weeks }));
  const rows = metrics.people
    .map((p) => ({ ...p, name: personName(p.id) === p.id ? p.name : personName(p.id) }))
    .filter((p) => p.openLoad > 0 || p.openTickets > 0)
    .sort((a, b) => b.openLoad / (b.capacity || 1) - a.openLoad / (a.capacity || 1) || a.name.localeCompare(b.name));
  const weeksSelect = h("select", { id: "team-weeks" },
    ["4", "12", "26", "52", "104"].map((value) => h("option", { value, selected: value === weeks }, `${value} weeks`)));
  weeksSelect.addEventListener("change", () => { location.hash = "#/team" + query({ project: state.project, weeks: weeksSelect.value }); });
  const single = Object.entries(metrics.singlePersonSkills || {}).sort(([a], [b]) => a.localeCompare(b));
  return h("section", { "aria-labelledby": "team-title" },
    heading("team-title", `Team · ${state.project}`,
      h("div", { class: "field inline" }, h("label", { for: "team-weeks" }, "Throughput over"), weeksSelect)),
    h("div", { class: "stats" },
      stat("Open tickets", metrics.openTickets),
      stat("Resolved per week", number(metrics.resolvedPerWeek, 1)),
      stat("Median resolution", metrics.medianResolutionHours == null ? "–" : `${number(metrics.medianResolutionHours, 1)} h`),
      stat("People with open work", rows.length)),
    h("div", { class: "card" },
      h("h2", {}, "Open load against weekly capacity"),
      h("p", { class: "help" }, "Load counts every open ticket of the person, in any project, as the ranking's workload factor does: "
        + "story points (1 when unestimated) times a priority factor, halved when untouched for the project's stale days."),
      rows.length ? loadChart(rows) : empty("no-load", "Nobody has open work in this project.",
        "Assign open tickets from ", h("a", { href: "#/tickets" }, "Tickets"), ", or import the open backlog."),
      rows.length ? h("details", {}, h("summary", {}, "Show as a table"), loadTable(rows)) : null),
    h("div", { class: "card" },
      h("h2", {}, "Skills only one person has"),
      single.length ? h("ul", { class: "single-skills" }, single.slice(0, 30).map(([skill, person]) => h("li", {}, h("span", { class: "pill" }, skill), " ", personLink(person.id, person.name))))
        : h("p", { class: "muted" }, `None in the last ${weeks} weeks.`)));
}

export function loadTable(rows) {
  return h("table", { class: "plain" },
    h("thead", {}, h("tr", {}, ["Person", "Open tickets", "Open load", "Capacity", "Resolved / week", "Median resolution (h)"].map((n) => h("th", { scope: "col" }, n)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("td", {}, personLink(r.id, r.name)), h("td", {}, r.openTickets), h("td", {}, loadFigure(r.openLoad)),
      h("td", {}, loadFigure(r.capacity)), h("td", {}, number(r.resolvedPerWeek, 2)), h("td", {}, number(r.medianResolutionHours, 1))))));
}
