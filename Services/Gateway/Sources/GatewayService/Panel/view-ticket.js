// One ticket: its text, a preview of its ranked people (opening records nothing and assigns nobody), one-click
// assignment for members, the skills it requires, and its decisions.

import { call, query } from "./api.js";
import { h, number, replace, when } from "./dom.js";
import { can, clearError, personLink, personName, render, say, setProject, showError, state } from "./app.js";
import { FACTORS, STATUS_NAMES, parseRequired, requiredText } from "./format.js";

export async function ticketView(key) {
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
      summary: ranking.note + (member ? "" : " (read-only: assigning needs the member role)"),
      confidence: confidenceFigures(ranking),
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

/**
 * What "confidence" is, said as such: the lead of the first person over the next (relative to the first's score), beside
 * the project's threshold for assigning automatically.
 */
export function confidenceFigures(ranking) {
  const [first, second] = ranking.candidates;
  if (!first || !second) {
    return h("p", { class: "figures", id: "ranking-lead" }, first ? "Only one person ranked: there is nobody to lead." : "Nobody ranked.");
  }
  const lead = `${number(ranking.confidence * 100, 0)}%`;
  const needed = `${number(ranking.confidenceThreshold * 100, 0)}%`;
  const reached = ranking.confidence >= ranking.confidenceThreshold;
  return h("div", { class: "figures" },
    h("p", { id: "ranking-lead" }, h("strong", {}, `Lead over the next person: ${lead}`),
      ` (${first.person.name} ${number(first.score, 2)} against ${second.person.name} ${number(second.score, 2)}: the gap as a share of the first's score)`),
    h("p", { id: "ranking-threshold" }, `Auto-assign needs a lead of ${needed}`,
      ranking.autoAssign ? (reached ? ": reached." : ": not reached.") : " and is off in this project."));
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

function fillCandidates(section, ticket, candidates, { title, summary, confidence, skills, canAssign, onAssigned }) {
  const list = h("ol", { class: "candidates" });
  const maxWeight = Math.max(0.0001, ...candidates.flatMap((c) => Object.values(c.factors).map((f) => f.weight)));
  let shown = Math.min(candidates.length, 5);
  const more = h("button", { type: "button", class: "button subtle", id: "show-all-candidates" });
  more.addEventListener("click", () => {
    shown = candidates.length;
    renderList();
    list.querySelectorAll("li.candidate")[5]?.querySelector(".candidate-name")?.scrollIntoView({ block: "nearest" });
  });
  const count = h("p", { class: "muted small", id: "ranking-count" });
  const renderList = () => {
    count.textContent = candidates.length > shown ? `${candidates.length} people ranked, best first; the first ${shown} shown.`
      : `${candidates.length} ${candidates.length === 1 ? "person" : "people"} ranked, best first.`;
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
    confidence || null,
    h("p", { class: "muted", id: "ranking-summary" }, summary),
    candidates.length ? h("p", { class: "help", id: "score-scale" }, "Scores run from 0 to 1: a person's score is the weighted mean of their "
      + "factor values (value × weight summed over the factors, divided by the total weight), so a score of 0.62 means their factors "
      + "come to 62% of the best possible. Each bar's length is the factor's weight; the filled part is the person's value (0 to 1).") : null,
    skills && skills.length ? h("p", { class: "skills" }, "Skills detected: ",
      skills.slice(0, 8).map((s) => h("span", { class: "pill" }, s.name))) : null,
    candidates.length ? count : null,
    candidates.length ? list : h("p", { class: "empty" }, "Nobody to show."),
    more);
}

export function historyContent(decisions) {
  const items = [...decisions].reverse().slice(0, 10).map((d) => h("li", {},
    h("span", { class: `pill mode-${d.mode}` }, d.mode), " ",
    d.chosen ? d.chosen.name : "nobody", h("span", { class: "muted" }, ` · by ${d.actor} · ${when(d.at)}`),
    d.reason ? h("div", { class: "muted small" }, d.reason) : null));
  return [h("h2", { id: "history-title" }, "Decisions"),
    items.length ? h("ul", { class: "history" }, items) : h("p", { class: "muted" }, "No decisions yet.")];
}
