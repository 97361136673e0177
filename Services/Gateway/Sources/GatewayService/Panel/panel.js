// The SmartTicket web panel: sign in with an API token, browse tickets, see and act on recommendations,
// watch the team's load, and (admins) tune the scoring. Every piece of data comes from /api/v1.

import { ApiError, all, call, claims, forgetToken, query, storeToken, storedToken } from "./api.js";
import { h, number, replace, svg, when } from "./dom.js";

const FACTORS = [
  ["skillFit", "Skill fit"],
  ["similarWork", "Similar work"],
  ["workload", "Workload"],
  ["availability", "Availability"],
  ["fairness", "Fairness"],
  ["recentActivity", "Recent activity"],
];
const POOL_RULES = {
  recent: "Recent: resolved a ticket in the last 365 days, or declared skills",
  assignable: "Assignable in Jira",
  all: "All active people",
};
// Required skills as the settings form writes them: "kubernetes:4, css:3".
function requiredText(list) {
  return (list || []).map((r) => `${r.skill}:${r.minLevel}`).join(", ");
}

function parseRequired(text) {
  return text.split(",").map((part) => part.trim()).filter(Boolean).map((part) => {
    const [skill, level] = part.split(":").map((s) => s.trim());
    return { skill, minLevel: Number(level || 1) };
  });
}

const STATUS_NAMES = { todo: "To do", in_progress: "In progress", done: "Done" };
const ROLE_RANK = { viewer: 1, member: 2, admin: 3 };

const state = {
  projects: [],
  project: null,
  people: new Map(),
  paging: { filter: "", cursors: [null], page: 0 },
  renderCount: 0,
  lastList: null,
};

const main = () => document.getElementById("main");

// ---- Messages -------------------------------------------------------------------------------------

function showError(error, context) {
  const banner = document.getElementById("error");
  const text = error instanceof ApiError ? error.readable : String(error && error.message ? error.message : error);
  replace(banner, h("strong", {}, context ? `${context}: ` : "Error: "), text,
    h("button", { type: "button", class: "button subtle small", onclick: clearError, "aria-label": "Dismiss error" }, "Dismiss"));
  banner.hidden = false;
  if (error instanceof ApiError && error.status === 401 && storedToken()) signOut("Your token was refused or has expired. Please sign in again.");
}

function clearError() {
  const banner = document.getElementById("error");
  banner.hidden = true;
  banner.replaceChildren();
}

function say(text) {
  document.getElementById("status").textContent = text;
}

// ---- Session --------------------------------------------------------------------------------------

function role(project = state.project) {
  return state.projects.find((p) => p.key === project)?.role || null;
}

function can(minimum, project = state.project) {
  return (ROLE_RANK[role(project)] || 0) >= ROLE_RANK[minimum];
}

function personName(id) {
  if (!id) return "Unassigned";
  return state.people.get(id)?.displayName || id;
}

async function signIn(token) {
  clearError();
  const list = await call("GET", "/api/v1/projects", { token });
  storeToken(token);
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

function signOut(message) {
  forgetToken();
  state.projects = [];
  state.people = new Map();
  state.project = null;
  document.getElementById("nav").hidden = true;
  document.getElementById("account").hidden = true;
  if (location.hash && location.hash !== "#/") history.replaceState(null, "", location.pathname);
  renderSignIn(message);
}

function renderChrome(token) {
  const who = claims(token) || {};
  document.getElementById("whoami").textContent = `${who.sub || "signed in"}${who.tid ? " · " + who.tid : ""}`;
  const select = document.getElementById("project-select");
  replace(select, state.projects.map((p) => h("option", { value: p.key, selected: p.key === state.project },
    `${p.key}${p.name && p.name !== p.key ? " — " + p.name : ""} (${p.role})`)));
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
}

// ---- Routing --------------------------------------------------------------------------------------

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [path, search] = hash.split("?");
  const params = Object.fromEntries(new URLSearchParams(search || ""));
  const [view, ...rest] = path.split("/");
  return { view: view || "tickets", arg: rest.map(decodeURIComponent).join("/"), params };
}

async function render() {
  if (!storedToken()) return renderSignIn();
  const route = parseHash();
  const ticket = route.view === "ticket";
  const person = route.view === "person";
  if (route.params.project && state.projects.some((p) => p.key === route.params.project)) setProject(route.params.project);
  for (const link of document.querySelectorAll("#nav a")) {
    const current = link.dataset.view === route.view || (ticket && link.dataset.view === "tickets");
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  clearError();
  say("");
  const token = ++state.renderCount;
  replace(main(), h("p", { class: "loading" }, "Loading…"));
  if (!state.project && !ticket && !person) {
    replace(main(), h("div", { class: "card" }, h("h1", { tabindex: "-1" }, "No projects"),
      h("p", {}, "Your token gives you no role in any project of this tenant. Ask an admin for a role.")));
    return;
  }
  try {
    let view;
    if (ticket) view = await ticketView(route.arg);
    else if (person) view = await personView(route.arg);
    else if (route.view === "team") view = await teamView(route.params);
    else if (route.view === "settings") view = await settingsView();
    else view = await ticketsView(route.params);
    if (token !== state.renderCount) return; // a newer navigation won
    replace(main(), view);
    main().querySelector("h1")?.focus({ preventScroll: true });
  } catch (error) {
    if (token !== state.renderCount) return;
    replace(main(), h("div", { class: "card" }, h("h1", { tabindex: "-1" }, "Something went wrong"),
      h("p", {}, "The page could not be loaded. The message above says why.")));
    showError(error, "Could not load this page");
  }
}

/** Goes to `hash`, rendering again when it is already the current one. */
function navigate(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function setProject(key) {
  state.project = key;
  sessionStorage.setItem("smartTicket.project", key);
  const select = document.getElementById("project-select");
  if (select.value !== key) select.value = key;
}

// ---- Tickets --------------------------------------------------------------------------------------

async function ticketsView(params) {
  const status = params.status || "todo,in_progress";
  const filter = { project: state.project, status: status === "any" ? "" : status, assignee: params.assignee || "",
    limit: params.limit || "25" };
  const filterKey = JSON.stringify(filter);
  state.lastList = location.hash || "#/tickets";
  if (state.paging.filter !== filterKey) state.paging = { filter: filterKey, cursors: [null], page: 0 };
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
    h("td", { "data-label": "Key" }, h("a", { href: `#/ticket/${encodeURIComponent(ticket.key)}`, class: "ticket-link" }, ticket.key)),
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
    : h("p", { class: "empty", id: "no-tickets" }, "No tickets match these filters.");

  const previous = h("button", { type: "button", class: "button", id: "page-previous", disabled: paging.page === 0,
    onclick: () => { paging.page -= 1; render(); } }, "← Previous");
  const next = h("button", { type: "button", class: "button", id: "page-next", disabled: !page.next,
    onclick: () => { paging.page += 1; render(); } }, "Next →");
  return h("section", { "aria-labelledby": "tickets-title" },
    h("div", { class: "view-head" }, h("h1", { id: "tickets-title", tabindex: "-1" }, `Tickets · ${state.project}`)),
    filters,
    h("div", { class: "card flush" }, table),
    h("nav", { class: "pager", "aria-label": "Pages" }, previous, h("span", { id: "page-number" }, `Page ${paging.page + 1}`), next));
}

// ---- One ticket -----------------------------------------------------------------------------------

async function ticketView(key) {
  const ticket = await call("GET", `/api/v1/tickets/${encodeURIComponent(key)}`);
  if (ticket.project !== state.project && state.projects.some((p) => p.key === ticket.project)) setProject(ticket.project);
  const member = can("member", ticket.project);
  // A preview: opening a ticket records nothing and assigns nobody.
  let ranking = null;
  let rankingError = null;
  try {
    ranking = await call("GET", `/api/v1/tickets/${encodeURIComponent(key)}/recommendations`);
  } catch (error) {
    rankingError = error;
  }
  const decisions = await call("GET", `/api/v1/tickets/${encodeURIComponent(key)}/decisions` + query({ limit: 100 }));
  const view = h("article", { class: "ticket-view", "aria-labelledby": "ticket-title", dataset: { key: ticket.key } });
  const assigneeValue = h("dd", { id: "ticket-assignee" }, personName(ticket.assignee));
  const header = h("div", { class: "card ticket-card" },
    h("a", { href: state.lastList || "#/tickets", class: "back" }, "← All tickets"),
    h("h1", { id: "ticket-title", tabindex: "-1" }, h("span", { class: "key" }, ticket.key), " ", ticket.title),
    h("dl", { class: "meta" },
      h("div", {}, h("dt", {}, "Status"), h("dd", {}, h("span", { class: `pill status-${ticket.status}` }, STATUS_NAMES[ticket.status] || ticket.status))),
      h("div", {}, h("dt", {}, "Assignee"), assigneeValue),
      h("div", {}, h("dt", {}, "Priority"), h("dd", {}, ticket.priority || "–")),
      h("div", {}, h("dt", {}, "Story points"), h("dd", {}, ticket.storyPoints ?? "–")),
      h("div", {}, h("dt", {}, "Components"), h("dd", {}, ticket.components.join(", ") || "–")),
      h("div", {}, h("dt", {}, "Labels"), h("dd", {}, ticket.labels.join(", ") || "–")),
      ticket.requiredSkills?.length ? h("div", {}, h("dt", {}, "Required skills"), h("dd", {}, requiredText(ticket.requiredSkills))) : null,
      h("div", {}, h("dt", {}, "Created"), h("dd", {}, when(ticket.created))),
      h("div", {}, h("dt", {}, "Updated"), h("dd", {}, when(ticket.updated)))),
    member ? requiredSkillsForm(ticket) : null,
    h("h2", { class: "visually-hidden" }, "Description"),
    ticket.description ? h("div", { class: "description", id: "ticket-description" }, ticket.description)
      : h("p", { class: "muted" }, "No description."));
  const candidatesSection = h("section", { class: "card", id: "candidates", "aria-labelledby": "candidates-title" });
  const history = h("section", { class: "card", id: "history", "aria-labelledby": "history-title" });
  const setAssignee = (id) => {
    ticket.assignee = id;
    assigneeValue.textContent = personName(id);
  };
  const refreshHistory = async () => {
    const latest = await call("GET", `/api/v1/tickets/${encodeURIComponent(key)}/decisions` + query({ limit: 100 }));
    replace(history, ...historyContent(latest.items));
  };
  replace(history, ...historyContent(decisions.items));

  if (ranking) {
    fillCandidates(candidatesSection, ticket, ranking.candidates, {
      title: "Who could take it",
      summary: `Confidence ${number(ranking.confidence * 100, 0)}% · ${ranking.note}` +
        (member ? "" : " (read-only: assigning needs the member role)"),
      skills: ranking.skills,
      canAssign: member,
      onAssigned: async (id) => { setAssignee(id); await refreshHistory(); },
    });
  } else {
    fillCandidates(candidatesSection, ticket, [], { title: "Who could take it", summary: "No ranking could be made.", skills: [], canAssign: false });
    if (rankingError) showError(rankingError, "Could not rank people for this ticket");
  }
  view.append(header, candidatesSection, history);
  return view;
}

// Members set the skills this ticket needs at a minimum level ("kubernetes:4, css:3"); the ranking is made again.
function requiredSkillsForm(ticket) {
  const input = h("input", { type: "text", id: "ticket-required", value: requiredText(ticket.requiredSkills),
    placeholder: "kubernetes:4, css:3", "aria-describedby": "ticket-required-help" });
  const save = h("button", { type: "submit", class: "button", id: "save-ticket-required" }, "Save");
  const form = h("form", { id: "ticket-required-form" },
    h("div", { class: "field inline" }, h("label", { for: "ticket-required" }, "Required skills"), input, save),
    h("p", { class: "help", id: "ticket-required-help" },
      "Skill and minimum declared level (1 to 5): people below it are never assigned automatically. Empty: the project's."));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    try {
      await call("PATCH", `/api/v1/tickets/${encodeURIComponent(ticket.key)}`, { body: { requiredSkills: parseRequired(input.value) } });
      clearError();
      await render();
      say(`Required skills of ${ticket.key} saved.`);
    } catch (error) {
      showError(error, "Could not save the required skills");
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

function fillCandidates(section, ticket, candidates, { title, summary, skills, canAssign, onAssigned }) {
  const list = h("ol", { class: "candidates" });
  const maxWeight = Math.max(0.0001, ...candidates.flatMap((c) => Object.values(c.factors).map((f) => f.weight)));
  let shown = Math.min(candidates.length, 5);
  const more = h("button", { type: "button", class: "button subtle", id: "show-all-candidates" });
  more.addEventListener("click", () => {
    shown = candidates.length;
    renderList();
    list.querySelectorAll("li.candidate")[5]?.querySelector(".candidate-name")?.scrollIntoView({ block: "nearest" });
  });
  const renderList = () => {
    more.hidden = shown >= candidates.length;
    more.textContent = `Show all ${candidates.length} people`;
    replace(list, candidates.slice(0, shown).map((candidate, index) => {
      const isAssignee = candidate.person.id === ticket.assignee;
      const factors = h("ul", { class: "factors", "aria-label": `Factors for ${candidate.person.name}` },
        FACTORS.filter(([name]) => candidate.factors[name]).map(([name, label]) => {
          const factor = candidate.factors[name];
          const track = h("span", { class: "factor-track" });
          const fill = h("span", { class: "factor-fill" });
          // The track's length is the factor's weight; the filled part is value × weight.
          track.style.width = `${(factor.weight / maxWeight) * 100}%`;
          fill.style.width = `${Math.max(0, Math.min(1, factor.value)) * 100}%`;
          track.append(fill);
          return h("li", { class: "factor", dataset: { factor: name } },
            h("span", { class: "factor-name" }, label),
            h("span", { class: "bar", role: "img",
              "aria-label": `${label}: value ${number(factor.value)} times weight ${number(factor.weight)}` }, track),
            h("span", { class: "factor-figures" }, `${number(factor.value)} × ${number(factor.weight)}`));
        }));
      const button = canAssign
        ? h("button", { type: "button", class: isAssignee ? "button assign" : "button primary assign", disabled: isAssignee,
          dataset: { person: candidate.person.id },
          "aria-label": isAssignee ? `${candidate.person.name} is assigned` : `Assign ${ticket.key} to ${candidate.person.name}` },
          isAssignee ? "Assigned" : "Assign")
        : null;
      if (button && !isAssignee) {
        button.addEventListener("click", async () => {
          button.disabled = true;
          button.textContent = "Assigning…";
          try {
            await call("POST", `/api/v1/tickets/${encodeURIComponent(ticket.key)}/assignment`, { body: { assignee: candidate.person.id } });
            const fresh = await call("GET", `/api/v1/tickets/${encodeURIComponent(ticket.key)}`);
            await onAssigned(fresh.assignee);
            say(`${ticket.key} is now assigned to ${personName(fresh.assignee)}.`);
            renderList();
            list.querySelector(`button.assign[data-person="${CSS.escape(candidate.person.id)}"]`)?.focus();
          } catch (error) {
            showError(error, `Could not assign ${ticket.key}`);
            button.disabled = false;
            button.textContent = "Assign";
          }
        });
      }
      return h("li", { class: isAssignee ? "candidate current" : "candidate", dataset: { person: candidate.person.id } },
        h("div", { class: "candidate-head" },
          h("span", { class: "rank", "aria-hidden": "true" }, String(index + 1)),
          h("div", { class: "who" },
            h("h3", { class: "candidate-name" }, personLink(candidate.person.id, candidate.person.name)),
            h("span", { class: "score" }, `score ${number(candidate.score, 3)}`),
            isAssignee ? h("span", { class: "pill current-pill" }, "current assignee") : null),
          button),
        factors,
        candidate.reasons.length ? h("ul", { class: "reasons" }, candidate.reasons.map((reason) => h("li", {}, reason))) : null);
    }));
  };
  renderList();
  replace(section,
    h("h2", { id: "candidates-title" }, title),
    h("p", { class: "muted", id: "ranking-summary" }, summary),
    candidates.length ? h("p", { class: "help" }, "Each bar's length is the factor's weight; the filled part is the person's value (0 to 1). "
      + "The score adds up value × weight over all factors, divided by the total weight.") : null,
    skills && skills.length ? h("p", { class: "skills" }, "Skills detected: ",
      skills.slice(0, 8).map((s) => h("span", { class: "pill" }, s.name))) : null,
    candidates.length ? list : h("p", { class: "empty" }, "Nobody to show."),
    more);
}

function historyContent(decisions) {
  const items = [...decisions].reverse().slice(0, 10).map((d) => h("li", {},
    h("span", { class: `pill mode-${d.mode}` }, d.mode), " ",
    d.chosen ? personName(d.chosen) : "nobody", h("span", { class: "muted" }, ` · by ${d.actor} · ${when(d.at)}`),
    d.reason ? h("div", { class: "muted small" }, d.reason) : null));
  return [h("h2", { id: "history-title" }, "Decisions"),
    items.length ? h("ul", { class: "history" }, items) : h("p", { class: "muted" }, "No decisions yet.")];
}

// ---- Team -----------------------------------------------------------------------------------------

async function teamView(params) {
  const weeks = params.weeks || "12";
  const metrics = await call("GET", "/api/v1/metrics" + query({ project: state.project, weeks }));
  const rows = metrics.people
    .map((p) => ({ ...p, capacity: state.people.get(p.id)?.weeklyCapacity ?? p.capacity, name: personName(p.id) === p.id ? p.name : personName(p.id) }))
    .filter((p) => p.openLoad > 0 || p.openTickets > 0)
    .sort((a, b) => b.openLoad / (b.capacity || 1) - a.openLoad / (a.capacity || 1) || a.name.localeCompare(b.name));
  const weeksSelect = h("select", { id: "team-weeks" },
    ["4", "12", "26", "52", "104"].map((value) => h("option", { value, selected: value === weeks }, `${value} weeks`)));
  weeksSelect.addEventListener("change", () => { location.hash = "#/team" + query({ project: state.project, weeks: weeksSelect.value }); });
  const single = Object.entries(metrics.singlePersonSkills || {}).sort(([a], [b]) => a.localeCompare(b));
  return h("section", { "aria-labelledby": "team-title" },
    h("div", { class: "view-head" }, h("h1", { id: "team-title", tabindex: "-1" }, `Team · ${state.project}`),
      h("div", { class: "field inline" }, h("label", { for: "team-weeks" }, "Throughput over"), weeksSelect)),
    h("div", { class: "stats" },
      stat("Open tickets", metrics.openTickets),
      stat("Resolved per week", number(metrics.resolvedPerWeek, 1)),
      stat("Median resolution", metrics.medianResolutionHours === null ? "–" : `${number(metrics.medianResolutionHours, 1)} h`),
      stat("People with open work", rows.length)),
    h("div", { class: "card" },
      h("h2", {}, "Open load against weekly capacity"),
      rows.length ? loadChart(rows) : h("p", { class: "empty" }, "Nobody has open work in this project."),
      rows.length ? h("details", {}, h("summary", {}, "Show as a table"), loadTable(rows)) : null),
    h("div", { class: "card" },
      h("h2", {}, "Skills only one person has"),
      single.length ? h("ul", { class: "single-skills" }, single.slice(0, 30).map(([skill, id]) => h("li", {}, h("span", { class: "pill" }, skill), " ", personLink(id))))
        : h("p", { class: "muted" }, `None in the last ${weeks} weeks.`)));
}

function stat(label, value) {
  return h("div", { class: "stat card" }, h("div", { class: "stat-value" }, String(value)), h("div", { class: "stat-label" }, label));
}

/** Horizontal bars: open load per person, with a tick at the person's capacity. */
function loadChart(rows) {
  const rowHeight = 30;
  const labelWidth = 170;
  const width = 640;
  const plot = width - labelWidth - 70;
  const scale = Math.max(1, ...rows.map((r) => Math.max(r.openLoad, r.capacity || 0)));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${rows.length * rowHeight + 8}`, class: "load-chart", id: "load-chart", role: "img",
    "aria-labelledby": "load-chart-title" },
  svg("title", { id: "load-chart-title" }, `Open load against capacity for ${rows.length} people`));
  rows.forEach((row, index) => {
    const y = index * rowHeight + 6;
    const over = row.capacity && row.openLoad > row.capacity;
    const name = row.name.length > 24 ? row.name.slice(0, 23) + "…" : row.name;
    chart.append(
      svg("g", { class: over ? "load-row over" : "load-row", "data-person": row.id },
        svg("title", {}, `${row.name}: load ${number(row.openLoad, 1)} of capacity ${number(row.capacity, 1)} (${row.openTickets} open tickets)`),
        svg("text", { x: labelWidth - 8, y: y + 15, "text-anchor": "end", class: "label" }, name),
        svg("rect", { x: labelWidth, y, width: plot, height: 20, rx: 4, class: "track" }),
        svg("rect", { x: labelWidth, y, width: Math.max(2, (row.openLoad / scale) * plot), height: 20, rx: 4, class: "load" }),
        row.capacity ? svg("line", { x1: labelWidth + (row.capacity / scale) * plot, x2: labelWidth + (row.capacity / scale) * plot,
          y1: y - 3, y2: y + 23, class: "capacity" }) : svg("g", {}),
        svg("text", { x: labelWidth + plot + 8, y: y + 15, class: "figure" }, `${number(row.openLoad, 1)} / ${number(row.capacity, 1)}`)));
  });
  const legend = h("p", { class: "legend muted" }, h("span", { class: "swatch load" }), " open load (story points) ",
    h("span", { class: "swatch capacity" }), " weekly capacity ", h("span", { class: "swatch over" }), " over capacity");
  return h("div", { class: "chart-wrap" }, chart, legend);
}

function loadTable(rows) {
  return h("table", { class: "plain" },
    h("thead", {}, h("tr", {}, ["Person", "Open tickets", "Open load", "Capacity", "Resolved / week", "Median resolution (h)"].map((n) => h("th", { scope: "col" }, n)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, h("td", {}, personLink(r.id, r.name)), h("td", {}, r.openTickets), h("td", {}, number(r.openLoad, 1)),
      h("td", {}, number(r.capacity, 1)), h("td", {}, number(r.resolvedPerWeek, 2)), h("td", {}, number(r.medianResolutionHours, 1))))));
}

// ---- Person ---------------------------------------------------------------------------------------

const LEVELS = { 1: "1 · novice", 2: "2 · basic", 3: "3 · competent", 4: "4 · proficient", 5: "5 · expert" };

/** A link to a person's view. */
function personLink(id, name = personName(id)) {
  return h("a", { href: `#/person/${encodeURIComponent(id)}`, class: "person-link" }, name);
}

/** Whether the signed-in principal may try to change `id`'s declared skills (the gateway decides: themself, or an admin). */
function mayEditSkills(id) {
  const who = claims(storedToken()) || {};
  return who.sub === id || state.projects.some((p) => p.role === "admin");
}

async function personView(id) {
  const [person, profile] = await Promise.all([
    call("GET", `/api/v1/people/${encodeURIComponent(id)}`),
    call("GET", `/api/v1/people/${encodeURIComponent(id)}/skills`),
  ]);
  const name = person.displayName || person.id;
  const rows = profile.items.map((s) => {
    const track = h("span", { class: "factor-track" });
    const fill = h("span", { class: "factor-fill" });
    track.style.width = "100%";
    fill.style.width = `${Math.max(0, Math.min(1, s.learned)) * 100}%`;
    track.append(fill);
    return h("tr", { dataset: { skill: s.skill } },
      h("td", { "data-label": "Skill" }, h("span", { class: "pill" }, s.skill)),
      h("td", { "data-label": "Level", class: "level" }, LEVELS[s.level] || String(s.level)),
      h("td", { "data-label": "Declared", class: "declared" }, s.declared === null ? "–" : String(s.declared)),
      h("td", { "data-label": "Learned", class: "learned" },
        h("span", { class: "bar", role: "img", "aria-label": `learned ${number(s.learned)}` }, track), " ", number(s.learned)),
      h("td", { "data-label": "Tickets", class: "evidence" }, String(s.evidence)),
      h("td", { "data-label": "Last used" }, when(s.lastUsed)));
  });
  const table = profile.items.length
    ? h("table", { class: "plain", id: "profile-table" },
      h("thead", {}, h("tr", {}, ["Skill", "Level", "Declared", "Learned", "Tickets", "Last used"].map((n) => h("th", { scope: "col" }, n)))),
      h("tbody", {}, rows))
    : h("p", { class: "empty", id: "profile-empty" }, "No skills yet: none declared, and no resolved ticket needed one.");
  return h("section", { "aria-labelledby": "person-title" },
    h("div", { class: "view-head" }, h("h1", { id: "person-title", tabindex: "-1" }, `${name} · skills`)),
    h("div", { class: "card" },
      h("h2", {}, "Skill profile"),
      h("p", { class: "help" }, "Level is the declared level, or else what the tickets this person resolved show (1 to 5). "
        + "Learned grows with each resolved ticket that needed the skill (recent ones count most: three give 0.5) "
        + "and drops when such a ticket is reassigned away from them."),
      table),
    mayEditSkills(person.id) ? declaredSkillsForm(person) : null);
}

/** The form that changes a person's declared skills (level 1 to 5): PATCH, then the view is loaded again. */
function declaredSkillsForm(person) {
  const draft = person.declaredSkills.map((s) => ({ ...s }));
  const list = h("ul", { class: "declared-skills", id: "declared-list" });
  const levelSelect = (value, id, label) => h("select", { id, "aria-label": label },
    Object.entries(LEVELS).map(([level, text]) => h("option", { value: level, selected: Number(level) === value }, text)));
  const renderDraft = () => replace(list, draft.length ? draft.map((s, index) => {
    const select = levelSelect(s.level, `declared-level-${index}`, `Level of ${s.skill}`);
    select.addEventListener("change", () => { s.level = Number(select.value); });
    const remove = h("button", { type: "button", class: "button subtle small", "aria-label": `Remove ${s.skill}` }, "Remove");
    remove.addEventListener("click", () => { draft.splice(index, 1); renderDraft(); });
    return h("li", { dataset: { skill: s.skill } }, h("span", { class: "pill" }, s.skill), " ", select, " ", remove);
  }) : h("li", { class: "muted" }, "No declared skills."));
  renderDraft();
  const skillInput = h("input", { type: "text", id: "declare-skill", maxlength: "100", placeholder: "e.g. kubernetes", autocomplete: "off" });
  const newLevel = levelSelect(3, "declare-level", "Level of the new skill");
  const add = h("button", { type: "button", class: "button", id: "add-declared" }, "Add");
  add.addEventListener("click", () => {
    const skill = skillInput.value.trim().toLowerCase();
    if (!skill) return;
    const existing = draft.find((s) => s.skill === skill);
    if (existing) existing.level = Number(newLevel.value);
    else draft.push({ skill, level: Number(newLevel.value) });
    skillInput.value = "";
    renderDraft();
    skillInput.focus();
  });
  const save = h("button", { type: "submit", class: "button primary", id: "save-declared" }, "Save declared skills");
  const form = h("form", { class: "card", id: "declared-form" },
    h("h2", {}, "Declared skills"),
    list,
    h("div", { class: "field inline" }, h("label", { for: "declare-skill" }, "Skill"), skillInput,
      h("label", { for: "declare-level" }, "Level"), newLevel, add),
    h("div", { class: "actions" }, save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    say("Saving…");
    try {
      const stored = await call("PATCH", `/api/v1/people/${encodeURIComponent(person.id)}`, { body: { declaredSkills: draft } });
      state.people.set(stored.id, stored);
      await render();
      say(`Declared skills of ${stored.displayName || stored.id} saved.`);
    } catch (error) {
      say("");
      showError(error, "Could not save the declared skills");
      save.disabled = false;
    }
  });
  return form;
}

// ---- Settings -------------------------------------------------------------------------------------

async function settingsView() {
  const project = state.project;
  const settings = await call("GET", `/api/v1/projects/${encodeURIComponent(project)}/settings`);
  const admin = can("admin", project);
  const heading = h("div", { class: "view-head" }, h("h1", { id: "settings-title", tabindex: "-1" }, `Settings · ${project}`));
  if (!admin) {
    return h("section", { "aria-labelledby": "settings-title" }, heading,
      h("div", { class: "card" },
        h("p", { class: "muted" }, "Only admins of this project can change these."),
        h("dl", { class: "meta", id: "settings-readonly" },
          FACTORS.map(([name, label]) => h("div", {}, h("dt", {}, `${label} weight`), h("dd", {}, number(settings.weights[name] ?? 0)))),
          h("div", {}, h("dt", {}, "Auto-assign"), h("dd", {}, settings.autoAssign ? "On" : "Off")),
          h("div", {}, h("dt", {}, "Confidence threshold"), h("dd", {}, number(settings.confidenceThreshold))),
          h("div", {}, h("dt", {}, "Candidate pool"), h("dd", { id: "pool-readonly" }, POOL_RULES[settings.candidatePool] || settings.candidatePool)),
          h("div", {}, h("dt", {}, "Default assignee"), h("dd", {}, personName(settings.defaultAssignee))),
          h("div", {}, h("dt", {}, "Required skills"), h("dd", { id: "required-readonly" }, requiredText(settings.requiredSkills) || "–")))));
  }
  const weightInputs = FACTORS.map(([name, label]) => {
    const input = h("input", { type: "number", id: `weight-${name}`, name, min: "0", max: "10", step: "0.05", required: true,
      value: String(settings.weights[name] ?? 0) });
    return { name, input, field: h("div", { class: "field" }, h("label", { for: `weight-${name}` }, label), input) };
  });
  const autoAssign = h("input", { type: "checkbox", id: "auto-assign", checked: settings.autoAssign });
  const threshold = h("input", { type: "number", id: "threshold", min: "0", max: "1", step: "0.01", required: true,
    value: String(settings.confidenceThreshold), "aria-describedby": "threshold-help" });
  const pool = h("select", { id: "candidate-pool", "aria-describedby": "pool-help" },
    Object.entries(POOL_RULES).map(([value, label]) => h("option", { value, selected: settings.candidatePool === value }, label)));
  const required = h("input", { type: "text", id: "required-skills", value: requiredText(settings.requiredSkills),
    placeholder: "kubernetes:4, css:3", "aria-describedby": "required-help" });
  const save = h("button", { type: "submit", class: "button primary", id: "save-settings" }, "Save settings");
  const form = h("form", { class: "card settings", id: "settings-form" },
    h("fieldset", {}, h("legend", {}, "Factor weights (0 to 10)"), h("div", { class: "weights" }, weightInputs.map((w) => w.field))),
    h("fieldset", {}, h("legend", {}, "Automatic assignment"),
      h("div", { class: "field checkbox" }, autoAssign, h("label", { for: "auto-assign" }, "Assign automatically when confident")),
      h("div", { class: "field" }, h("label", { for: "threshold" }, "Confidence threshold"), threshold,
        h("p", { class: "help", id: "threshold-help" }, "The lead of the best person over the next (0 to 1) needed to assign without asking."))),
    h("fieldset", {}, h("legend", {}, "Who may be recommended"),
      h("div", { class: "field" }, h("label", { for: "candidate-pool" }, "Candidate pool"), pool,
        h("p", { class: "help", id: "pool-help" },
          "“Recent” counts the 365 days before each ranking: after importing an older history, choose “All active people”.")),
      h("div", { class: "field" }, h("label", { for: "required-skills" }, "Required skills"), required,
        h("p", { class: "help", id: "required-help" },
          "Skill and minimum declared level (1 to 5), comma-separated: people below it are never assigned automatically."))),
    h("div", { class: "actions" }, save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const weights = { ...settings.weights };
    for (const { name, input } of weightInputs) weights[name] = Number(input.value);
    const body = { ...settings, weights, autoAssign: autoAssign.checked, confidenceThreshold: Number(threshold.value),
      candidatePool: pool.value, requiredSkills: parseRequired(required.value) };
    save.disabled = true;
    say("Saving…");
    try {
      const stored = await call("PUT", `/api/v1/projects/${encodeURIComponent(project)}/settings`, { body });
      Object.assign(settings, stored);
      clearError();
      say(`Settings of ${project} saved.`);
    } catch (error) {
      say("");
      showError(error, "Could not save the settings");
    } finally {
      save.disabled = false;
    }
  });
  return h("section", { "aria-labelledby": "settings-title" }, heading, form);
}

// ---- Start ----------------------------------------------------------------------------------------

async function start() {
  document.getElementById("sign-out").addEventListener("click", () => signOut("You signed out."));
  document.getElementById("project-select").addEventListener("change", (event) => {
    setProject(event.target.value);
    const { view } = parseHash();
    location.hash = `#/${view === "ticket" ? "tickets" : view}` + query({ project: event.target.value });
  });
  window.addEventListener("hashchange", () => { render(); });
  // A link like `/#token=...` (printed by the demo) signs in at once; the token leaves the address bar.
  const fromLink = location.hash.match(/^#token=([A-Za-z0-9._-]+)$/);
  if (fromLink) history.replaceState(null, "", location.pathname + "#/tickets");
  const token = fromLink ? fromLink[1] : storedToken();
  if (!token) return renderSignIn();
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
