// One person: load against capacity, availability and time off, and the skill profile (declared levels merged with
// what was learned from the tickets they resolved). The person and admins edit them, as the API allows.

import { call, query } from "./api.js";
import { h, number, replace } from "./dom.js";
import { act, everyProjectAdmin, render, say, state, subject } from "./app.js";
import { meter } from "./charts.js";
import { LEVELS, awayNow, day } from "./format.js";
import { availabilityCard, timeOffCard } from "./person-availability.js";
import { privacyCard } from "./person-privacy.js";

export async function personView(id) {
  const [person, profile, metrics] = await Promise.all([
    call("GET", `/api/v1/people/${encodeURIComponent(id)}`),
    call("GET", `/api/v1/people/${encodeURIComponent(id)}/skills`),
    state.project ? call("GET", "/api/v1/metrics" + query({ project: state.project, weeks: 12 })).catch(() => null) : null,
  ]);
  state.people.set(person.id, person);
  const name = person.displayName || person.id;
  const self = subject() === person.id;
  const admin = state.projects.some((p) => p.role === "admin");
  const editable = self || admin;
  const away = awayNow(person);
  const title = h("h1", { id: "person-title", tabindex: "-1" }, name);
  const badges = h("p", { class: "badges", id: "person-badges" });
  const drawBadges = (current) => replace(badges,
    current.id !== (current.displayName || current.id) ? h("span", { class: "muted" }, `id ${current.id}`) : null,
    self ? h("span", { class: "pill" }, "you") : null,
    current.optedOut ? h("span", { class: "pill warn", id: "badge-opted-out" }, "opted out of auto-assign") : null,
    current.active ? null : h("span", { class: "pill warn" }, "inactive"),
    awayNow(current) ? h("span", { class: "pill away" }, `away until ${day(awayNow(current).end)}`) : null);
  drawBadges(person);
  let load = loadCard(person, metrics?.people.find((p) => p.id === person.id), away);
  // After a change, the badges and the load against the new capacity (from the API again: one computation).
  const changed = async (stored) => {
    drawBadges(stored);
    const fresh = state.project ? await call("GET", "/api/v1/metrics" + query({ project: state.project, weeks: 12 })).catch(() => null) : null;
    if (!load.isConnected) return;
    const card = loadCard(stored, fresh?.people.find((p) => p.id === stored.id), awayNow(stored));
    load.replaceWith(card);
    load = card;
  };
  return h("section", { "aria-labelledby": "person-title" },
    h("a", { href: "#/people", class: "back" }, "← All people"),
    h("div", { class: "view-head" }, title),
    badges,
    load,
    availabilityCard(person, { editable, admin, onSaved: (stored) => {
      title.textContent = stored.displayName || stored.id;
      changed(stored);
    } }),
    timeOffCard(person, { editable, onSaved: changed }),
    h("section", { class: "card", "aria-labelledby": "profile-title" },
      h("h2", { id: "profile-title" }, "Skill profile"),
      h("p", { class: "help" }, "Level is the declared level, or else what the tickets this person resolved show (1 to 5). "
        + "Learned grows with each resolved ticket that needed the skill (recent ones count most: three give 0.5) "
        + "and drops when such a ticket is reassigned away from them."),
      profileTable(profile.items)),
    editable ? declaredSkillsForm(person) : null,
    privacyCard(person, { self, everyAdmin: everyProjectAdmin() }));
}

function loadCard(person, row, away) {
  const unit = person.capacityUnit || "points";
  const body = row
    ? [h("p", { class: "load-line" }, meter(row.openLoad, row.capacity, `load ${number(row.openLoad, 1)} of ${number(row.capacity, 1)}`),
      h("span", { id: "person-load" }, ` ${number(row.openLoad, 1)} of ${number(row.capacity, 1)} ${unit} open`),
      h("span", { class: "muted" }, ` · ${row.openTickets} open ticket${row.openTickets === 1 ? "" : "s"} in ${state.project}`)),
    h("p", { class: "help" }, "Open work in every project, weighed as the ranking's workload factor weighs it (the Team view's figure).")]
    : [h("p", { class: "muted", id: "person-load" }, `No open or recently resolved work in ${state.project || "this project"}.`)];
  return h("section", { class: "card", "aria-labelledby": "load-title" },
    h("h2", { id: "load-title" }, "Load"), body,
    away ? h("p", { class: "notice" }, `Away from ${day(away.start)} to ${day(away.end)}${away.reason ? ` (${away.reason})` : ""}: `
      + "not assigned automatically meanwhile.") : null);
}

const PROFILE_ROWS = 12;

function profileTable(items) {
  if (!items.length) return h("p", { class: "empty", id: "profile-empty" }, "No skills yet: none declared, and no resolved ticket needed one.");
  const rows = items.map((s, index) => {
    const track = h("span", { class: "factor-track" });
    const fill = h("span", { class: "factor-fill" });
    track.style.width = "100%";
    fill.style.width = `${Math.max(0, Math.min(1, s.learned)) * 100}%`;
    track.append(fill);
    return h("tr", { dataset: { skill: s.skill }, hidden: index >= PROFILE_ROWS },
      h("td", { "data-label": "Skill" }, h("span", { class: "pill skill" }, s.skill)),
      h("td", { "data-label": "Level", class: "level" }, LEVELS[s.level] || String(s.level)),
      h("td", { "data-label": "Declared", class: "declared" }, s.declared === null ? "–" : String(s.declared)),
      h("td", { "data-label": "Learned", class: "learned" },
        h("span", { class: "bar", role: "img", "aria-label": `learned ${number(s.learned)}` }, track), " ", number(s.learned)),
      h("td", { "data-label": "Tickets", class: "evidence" }, String(s.evidence)),
      h("td", { "data-label": "Last used", class: "nowrap" }, s.lastUsed ? new Date(s.lastUsed).toLocaleDateString(undefined, { dateStyle: "medium" }) : "–"));
  });
  const more = items.length > PROFILE_ROWS
    ? h("button", { type: "button", class: "button subtle", id: "show-all-skills" }, `Show all ${items.length} skills`) : null;
  more?.addEventListener("click", () => {
    for (const row of rows) row.hidden = false;
    more.remove();
    rows[PROFILE_ROWS].querySelector("td")?.scrollIntoView({ block: "nearest" });
  });
  return h("div", {}, h("div", { class: "table-wrap" }, h("table", { class: "plain", id: "profile-table" },
    h("thead", {}, h("tr", {}, ["Skill", "Level", "Declared", "Learned", "Tickets", "Last used"].map((n) => h("th", { scope: "col" }, n)))),
    h("tbody", {}, rows))), more);
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
  const form = h("form", { class: "card", id: "declared-form", "aria-labelledby": "declared-title" },
    h("h2", { id: "declared-title" }, "Declared skills"),
    list,
    h("div", { class: "field inline wrap" }, h("label", { for: "declare-skill" }, "Skill"), skillInput,
      h("label", { for: "declare-level" }, "Level"), newLevel, add),
    h("div", { class: "actions" }, save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const stored = await act(save, { busy: "Saving…", failure: "Could not save the declared skills" },
      () => call("PATCH", `/api/v1/people/${encodeURIComponent(person.id)}`, { body: { declaredSkills: draft } }));
    if (!stored) return;
    state.people.set(stored.id, stored);
    await render();
    say(`Declared skills of ${stored.displayName || stored.id} saved.`);
  });
  return form;
}
