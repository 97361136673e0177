// What-if: two or more weight sets replayed over the project's resolved tickets (POST /api/v1/whatif), compared side
// by side (top-1/3/5, MRR, first-choice spread) in a table and a chart; an admin applies a set to the settings.

import { call } from "./api.js";
import { h, number, replace } from "./dom.js";
import { act, can, empty, heading, state } from "./app.js";
import { groupedBars } from "./charts.js";
import { DEFAULT_WEIGHTS, FACTORS, rate } from "./format.js";

const MAX_SETS = 4;
const LETTERS = "ABCD";
/** The figures compared; for the spread (Gini of first choices per person) lower is better. */
export const METRICS = [
  { key: "top1", label: "Top-1" },
  { key: "top3", label: "Top-3" },
  { key: "top5", label: "Top-5" },
  { key: "mrr", label: "MRR" },
  { key: "loadGini", label: "Spread (Gini)", lowerIsBetter: true },
];
const PRESETS = {
  current: "Project settings",
  defaults: "Default weights",
  history: "History first (similar work, skills)",
  balance: "Balance load (workload, fairness)",
};

function preset(name, current) {
  if (name === "current") return { ...DEFAULT_WEIGHTS, ...current };
  if (name === "history") return { ...DEFAULT_WEIGHTS, similarWork: 1.5, skillFit: 1, recentActivity: 0.3, fairness: 0 };
  if (name === "balance") return { ...DEFAULT_WEIGHTS, workload: 1.2, fairness: 0.8 };
  return { ...DEFAULT_WEIGHTS };
}

/** The replay of one project with `weights` (a list of sets): resolves with the API's answer. */
export function replay(project, weights) {
  return call("POST", "/api/v1/whatif", { body: { project, weights } });
}

export async function whatIfView() {
  const project = state.project;
  const head = heading("whatif-title", `What-if · ${project}`);
  const intro = h("p", { class: "help" }, "Replays the project's resolved tickets in time order with each weight set: how often the person who "
    + "really resolved a ticket would have been first (top-1), in the first three or five, the mean reciprocal rank (MRR), and how "
    + "evenly first choices spread over people (Gini: 0 is even, 1 is everything on one person). Nothing is changed.");
  if (!can("member", project)) {
    return h("section", { "aria-labelledby": "whatif-title" }, head, h("div", { class: "card" }, intro,
      empty("whatif-denied", "Running a replay needs the member role in this project.", "Ask an admin of the project for the member role.")));
  }
  const settings = await call("GET", `/api/v1/projects/${encodeURIComponent(project)}/settings`);
  // The project's weights against the defaults, or (when they are the defaults) against a history-first set.
  const second = JSON.stringify(preset("current", settings.weights)) === JSON.stringify(preset("defaults")) ? "history" : "defaults";
  const sets = [preset("current", settings.weights), preset(second)];
  const names = [PRESETS.current, PRESETS[second]];
  const setsBox = h("div", { class: "weight-sets", id: "weight-sets" });
  const results = h("div", { id: "whatif-results", "aria-live": "polite" });
  const addSet = h("button", { type: "button", class: "button", id: "add-set" }, "Add a weight set");
  const run = h("button", { type: "submit", class: "button primary", id: "run-whatif" }, "Run the replay");

  const drawSets = () => {
    replace(setsBox, sets.map((weights, index) => {
      const letter = LETTERS[index];
      const presetSelect = h("select", { id: `set-${index}-preset` },
        h("option", { value: "" }, "Fill from…"), Object.entries(PRESETS).map(([value, label]) => h("option", { value }, label)));
      presetSelect.addEventListener("change", () => {
        if (!presetSelect.value) return;
        sets[index] = preset(presetSelect.value, settings.weights);
        names[index] = PRESETS[presetSelect.value];
        drawSets();
        document.getElementById(`set-${index}-preset`)?.focus();
      });
      const remove = sets.length > 2 ? h("button", { type: "button", class: "button subtle small", "aria-label": `Remove set ${letter}` }, "Remove") : null;
      remove?.addEventListener("click", () => { sets.splice(index, 1); names.splice(index, 1); drawSets(); addSet.focus(); });
      return h("fieldset", { class: `weight-set set-${index}`, dataset: { set: index } },
        h("legend", {}, h("span", { class: `swatch set-${index}` }), ` Set ${letter}`, h("span", { class: "muted small" }, ` · ${names[index]}`)),
        h("div", { class: "field" }, h("label", { for: `set-${index}-preset` }, `Start set ${letter} from`), presetSelect),
        FACTORS.map(([factor, label]) => {
          const input = h("input", { type: "number", id: `set-${index}-${factor}`, min: "0", max: "10", step: "0.05", required: true,
            value: String(weights[factor] ?? 0) });
          input.addEventListener("input", () => { sets[index][factor] = Number(input.value); names[index] = "edited"; });
          return h("div", { class: "field inline" }, h("label", { for: input.id }, label), input);
        }),
        remove);
    }));
    addSet.hidden = sets.length >= MAX_SETS;
  };
  addSet.addEventListener("click", () => {
    sets.push({ ...sets[sets.length - 1] });
    names.push(`copy of set ${LETTERS[sets.length - 2]}`);
    drawSets();
    document.getElementById(`set-${sets.length - 1}-preset`)?.focus();
  });
  drawSets();

  const form = h("form", { class: "card", id: "whatif-form", "aria-label": "Weight sets to compare" },
    h("h2", {}, "Weight sets"), setsBox, h("div", { class: "actions" }, addSet, run));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const weights = sets.map((set) => ({ ...set }));
    const labels = weights.map((_, index) => `Set ${LETTERS[index]} (${names[index]})`);
    replace(results, h("p", { class: "loading" }, "Replaying the project's history… this can take a minute."));
    const answer = await act(run, { busy: "Replaying…", done: (a) => `Replayed ${a.tickets} resolved tickets with ${weights.length} weight sets.`,
      failure: "The replay failed" }, () => replay(project, weights));
    replace(results, answer ? resultCard(project, answer, labels) : null);
  });
  return h("section", { "aria-labelledby": "whatif-title" }, head, intro, form, results);
}

/** The answer's warnings (a history too small for its figures to mean much), or null. */
export function warningsBox(answer, id) {
  const warnings = answer.warnings || [];
  if (!warnings.length) return null;
  return h("div", { class: "subsection warn-box", id, role: "note" },
    h("h3", {}, "Read these figures with care"), h("ul", { class: "plain-list" }, warnings.map((text) => h("li", {}, text))));
}

/** What the figures mean, as the CLI's legend says it. */
function legend() {
  const terms = [
    ["Test tickets", "the last 20% of the history by resolution; each is ranked as it was created, from what was resolved before it."],
    ["In pool", "test tickets whose real assignee was in the candidate pool (resolved a ticket in the 365 days before)."],
    ["Coverage", "in pool ÷ test tickets: the share of test tickets the ranking could get right at all."],
    ["Top-k", "share of the in-pool test tickets whose real assignee was among the first k people ranked."],
    ["MRR", "mean reciprocal rank: the mean of 1/rank of the real assignee (1: always first, 0.5: second on average; 0 beyond the 10th)."],
    ["Spread (Gini)", "how unevenly first choices fall on people: 0 is even, towards 1 everything on a few."],
  ];
  return h("dl", { class: "figure-legend small", id: "whatif-legend" }, terms.map(([term, meaning]) => h("div", {}, h("dt", {}, term), h("dd", {}, meaning))));
}

function resultCard(project, answer, labels) {
  if (!answer.results.length || answer.results.every((r) => r.inPool === 0)) {
    return h("div", { class: "card" }, warningsBox(answer, "whatif-warnings"), empty("whatif-empty", `Nothing to replay: ${project} has no resolved, assigned tickets (or none `
      + "whose assignee was a candidate).", "Import the project's history or sync it from Jira, then run the replay again."));
  }
  const best = Object.fromEntries(METRICS.map((metric) => {
    const values = answer.results.map((r) => r[metric.key]);
    return [metric.key, metric.lowerIsBetter ? Math.min(...values) : Math.max(...values)];
  }));
  const admin = can("admin", project);
  const table = h("table", { class: "plain compare", id: "whatif-table" },
    h("caption", { class: "visually-hidden" }, "Replay figures per weight set"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Figure"), labels.map((label, index) =>
      h("th", { scope: "col" }, h("span", { class: `swatch set-${index}` }), ` Set ${LETTERS[index]}`)))),
    h("tbody", {},
      METRICS.map((metric) => h("tr", { dataset: { metric: metric.key } }, h("th", { scope: "row" }, metric.label + (metric.lowerIsBetter ? " ↓" : "")),
        answer.results.map((r) => h("td", { class: r[metric.key] === best[metric.key] && answer.results.length > 1 ? "best" : "" },
          metric.key === "mrr" || metric.key === "loadGini" ? number(r[metric.key], 3) : rate(r[metric.key], 1))))),
      h("tr", { dataset: { metric: "testTickets" } }, h("th", { scope: "row" }, "Test tickets"), answer.results.map((r) => h("td", {}, String(r.testTickets)))),
      h("tr", { dataset: { metric: "inPool" } }, h("th", { scope: "row" }, "In pool"), answer.results.map((r) => h("td", {}, String(r.inPool)))),
      h("tr", { dataset: { metric: "coverage" } }, h("th", { scope: "row" }, "Coverage"), answer.results.map((r) => h("td", {}, rate(r.coverage, 1)))),
      admin ? h("tr", {}, h("th", { scope: "row" }, "Use it"), answer.results.map((r, index) => h("td", {}, applyButton(project, r.weights, index))))
        : null));
  const chart = groupedBars(METRICS, answer.results.map((r, index) => ({ name: labels[index], values: r })),
    { id: "whatif-chart", title: `Replay figures of ${labels.length} weight sets over ${answer.tickets} tickets` });
  return h("div", { class: "card", id: "whatif-result" },
    h("h2", {}, `Replay of ${answer.tickets} resolved tickets`),
    warningsBox(answer, "whatif-warnings"),
    h("p", { class: "help" }, "Best figure of each row in bold. Top-k and MRR are over the in-pool test tickets. The spread is better lower: "
      + "first choices are shared more evenly."),
    h("div", { class: "table-wrap" }, table), legend(), chart,
    admin ? null : h("p", { class: "muted" }, "Only admins of this project can apply a weight set to its settings."));
}

function applyButton(project, weights, index) {
  const button = h("button", { type: "button", class: "button small", id: `apply-set-${index}` }, `Apply set ${LETTERS[index]}`);
  button.addEventListener("click", async () => {
    await act(button, { busy: "Saving weights…", done: `Weights of set ${LETTERS[index]} saved to the settings of ${project}.`,
      failure: "Could not apply the weights" }, async () => {
      const settings = await call("GET", `/api/v1/projects/${encodeURIComponent(project)}/settings`);
      return call("PUT", `/api/v1/projects/${encodeURIComponent(project)}/settings`, { body: { ...settings, weights } });
    });
  });
  return button;
}
