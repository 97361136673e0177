// Tickets: the project's tickets with status and assignee filters and cursor paging.

import { call, query } from "./api.js";
import { h, when } from "./dom.js";
import { empty, heading, navigate, personName, render, state, ticketLink } from "./app.js";
import { STATUS_NAMES } from "./format.js";


export async function ticketsView(params) {
  const status = params.status || "todo,in_progress";
  const filter = { project: state.project, status: status === "any" ? "" : status, assignee: params.assignee || "",
    limit: params.limit || "25" };
  const filterKey = JSON.stringify(filter);
  state.lastList = location.hash || "#/tickets";
  if (!state.paging || state.paging.filter !== filterKey) state.paging = { filter: filterKey, cursors: [null], page: 0 };
  const paging = state.paging;
  const page = await call("GET", "/api/v1/tickets" + query({ ...filter, cursor: paging.cursors[paging.page] }));
  paging.cursors[paging.page + 1] = page.next;

  const statusSelect = h("select", { id: "filter-status", name: "status" },
    [["todo,in_progress", "Open"], ["todo", "To do"], ["in_progress", "In progress"], ["done", "Done"], ["any", "Any status"]]
      .map(([value, label]) => h("option", { value, selected: value === status }, label)));
  const assigneeInput = h("input", { id: "filter-assignee", name: "assignee", type: "search", value: filter.assignee,
    list: "people-list", placeholder: "person id", autocomplete: "off" });
  const limitSelect = h("select", { id: "filter-limit", name: "limit" },
    ["10", "25", "50", "100"].map((value) => h("option", { value, selected: value === String(filter.limit) }, value)));
  const filters = h("form", { class: "filters", id: "ticket-filters", "aria-label": "Filter tickets" },
    h("div", { class: "field" }, h("label", { for: "filter-status" }, "Status"), statusSelect),
    h("div", { class: "field" }, h("label", { for: "filter-assignee" }, "Assignee"), assigneeInput),
    h("div", { class: "field" }, h("label", { for: "filter-limit" }, "Per page"), limitSelect),
    h("datalist", { id: "people-list" }, [...state.people.values()].slice(0, 1000).map((p) => h("option", { value: p.id }, p.displayName))),
    h("button", { type: "submit", class: "button" }, "Apply"));
  filters.addEventListener("submit", (event) => {
    event.preventDefault();
    navigate("#/tickets" + query({ project: state.project, status: statusSelect.value, assignee: assigneeInput.value.trim(),
      limit: limitSelect.value }));
  });

  const rows = page.items.map((ticket) => h("tr", { dataset: { key: ticket.key } },
    h("td", { "data-label": "Key" }, ticketLink(ticket.key)),
    h("td", { "data-label": "Title", class: "title-cell" }, ticket.title),
    h("td", { "data-label": "Status" }, h("span", { class: `pill status-${ticket.status}` }, STATUS_NAMES[ticket.status] || ticket.status)),
    h("td", { "data-label": "Priority" }, ticket.priority || "–"),
    h("td", { "data-label": "Assignee", class: ticket.assignee ? "" : "muted" }, personName(ticket.assignee)),
    h("td", { "data-label": "Updated" }, when(ticket.updated))));
  const table = page.items.length
    ? h("table", { class: "tickets", id: "ticket-table" },
      h("caption", { class: "visually-hidden" }, `Tickets of ${state.project}, page ${paging.page + 1}`),
      h("thead", {}, h("tr", {}, ["Key", "Title", "Status", "Priority", "Assignee", "Updated"].map((name) => h("th", { scope: "col" }, name)))),
      h("tbody", {}, rows))
    : empty("no-tickets", "No tickets match these filters.",
      h("a", { href: "#/tickets" + query({ project: state.project, status: "any" }) }, "Show every ticket of the project"),
      "; tickets arrive with a Jira sync, an import, or POST /api/v1/tickets.");

  const previous = h("button", { type: "button", class: "button", id: "page-previous", disabled: paging.page === 0,
    onclick: () => { paging.page -= 1; render(); } }, "← Previous");
  const next = h("button", { type: "button", class: "button", id: "page-next", disabled: !page.next,
    onclick: () => { paging.page += 1; render(); } }, "Next →");
  return h("section", { "aria-labelledby": "tickets-title" },
    heading("tickets-title", `Tickets · ${state.project}`),
    filters,
    h("div", { class: "card flush" }, table),
    h("nav", { class: "pager", "aria-label": "Pages" }, previous, h("span", { id: "page-number" }, `Page ${paging.page + 1}`), next));
}
