// Settings: the project's scoring and assignment settings (weights, auto-assign, threshold, candidate pool, default
// assignee, required skills), its roles, and the tenant's custom skills and aliases. Viewers see them read-only.

import { call } from "./api.js";
import { h, number } from "./dom.js";
import { act, can, heading, personName, state } from "./app.js";
import { FACTORS, POOL_RULES, parseRequired, requiredText } from "./format.js";
import { rolesCard } from "./settings-roles.js";
import { customSkillsCard } from "./settings-skills.js";

export async function settingsView() {
  const project = state.project;
  const admin = can("admin", project);
  const [settings, roles, custom] = await Promise.all([
    call("GET", `/api/v1/projects/${encodeURIComponent(project)}/settings`),
    admin ? call("GET", `/api/v1/projects/${encodeURIComponent(project)}/roles`) : null,
    call("GET", "/api/v1/skills/custom"),
  ]);
  return h("section", { "aria-labelledby": "settings-title" },
    heading("settings-title", `Settings · ${project}`),
    admin ? settingsForm(project, settings) : readOnly(settings),
    rolesCard(project, roles && roles.items, admin),
    customSkillsCard(custom.items, admin));
}

function readOnly(settings) {
  return h("section", { class: "card", "aria-labelledby": "settings-form-title" },
    h("h2", { id: "settings-form-title" }, "Assignment"),
    h("p", { class: "muted" }, "Only admins of this project can change these."),
    h("dl", { class: "meta", id: "settings-readonly" },
      FACTORS.map(([name, label]) => h("div", {}, h("dt", {}, `${label} weight`), h("dd", {}, number(settings.weights[name] ?? 0)))),
      h("div", {}, h("dt", {}, "Auto-assign"), h("dd", {}, settings.autoAssign ? "On" : "Off")),
      h("div", {}, h("dt", {}, "Explain in Jira"), h("dd", {}, settings.explainInJira ? "On" : "Off")),
      h("div", {}, h("dt", {}, "Confidence threshold"), h("dd", {}, number(settings.confidenceThreshold))),
      h("div", {}, h("dt", {}, "Candidate pool"), h("dd", { id: "pool-readonly" }, POOL_RULES[settings.candidatePool] || settings.candidatePool)),
      h("div", {}, h("dt", {}, "Default assignee"), h("dd", {}, settings.defaultAssignee ? personName(settings.defaultAssignee) : "None")),
      h("div", {}, h("dt", {}, "Required skills"), h("dd", { id: "required-readonly" }, requiredText(settings.requiredSkills) || "–"))));
}

function settingsForm(project, settings) {
  const weightInputs = FACTORS.map(([name, label]) => {
    const input = h("input", { type: "number", id: `weight-${name}`, name, min: "0", max: "10", step: "0.05", required: true,
      value: String(settings.weights[name] ?? 0) });
    return { name, input, field: h("div", { class: "field" }, h("label", { for: `weight-${name}` }, label), input) };
  });
  const autoAssign = h("input", { type: "checkbox", id: "auto-assign", checked: settings.autoAssign });
  const explain = h("input", { type: "checkbox", id: "explain-in-jira", checked: settings.explainInJira === true, "aria-describedby": "explain-help" });
  const threshold = h("input", { type: "number", id: "threshold", min: "0", max: "1", step: "0.01", required: true,
    value: String(settings.confidenceThreshold), "aria-describedby": "threshold-help" });
  const pool = h("select", { id: "candidate-pool", "aria-describedby": "pool-help" },
    Object.entries(POOL_RULES).map(([value, label]) => h("option", { value, selected: settings.candidatePool === value }, label)));
  const fallback = h("input", { type: "text", id: "default-assignee", value: settings.defaultAssignee || "", list: "default-assignee-people",
    autocomplete: "off", placeholder: "person id, or empty for none", "aria-describedby": "default-assignee-help" });
  const required = h("input", { type: "text", id: "required-skills", value: requiredText(settings.requiredSkills),
    placeholder: "kubernetes:4, css:3", "aria-describedby": "required-help" });
  const save = h("button", { type: "submit", class: "button primary", id: "save-settings" }, "Save settings");
  const form = h("form", { class: "card settings", id: "settings-form", "aria-labelledby": "settings-form-title" },
    h("h2", { id: "settings-form-title" }, "Assignment"),
    h("fieldset", {}, h("legend", {}, "Factor weights (0 to 10)"), h("div", { class: "weights" }, weightInputs.map((w) => w.field)),
      h("p", { class: "help" }, "Compare weight sets on this project's history in ", h("a", { href: "#/whatif" }, "What-if"), " first.")),
    h("fieldset", {}, h("legend", {}, "Automatic assignment"),
      h("div", { class: "field checkbox" }, autoAssign, h("label", { for: "auto-assign" }, "Assign automatically when confident")),
      h("div", { class: "field" }, h("label", { for: "threshold" }, "Confidence threshold"), threshold,
        h("p", { class: "help", id: "threshold-help" }, "The lead of the best person over the next, as a share of the best's score (0 to 1; at 0.25 the next may score "
          + "at most 75% of the best), needed to assign without asking. ",
          h("a", { href: "#/quality" }, "Quality"), " shows whether the evidence supports auto-assign.")),
      h("div", { class: "field checkbox" }, explain, h("label", { for: "explain-in-jira" }, "Explain assignments in Jira")),
      h("p", { class: "help", id: "explain-help" }, "When SmartTicket assigns an issue in Jira, it adds a short comment with the reasons."),
      h("div", { class: "field" }, h("label", { for: "default-assignee" }, "Default assignee"), fallback,
        h("datalist", { id: "default-assignee-people" }, [...state.people.values()].slice(0, 1000).map((p) => h("option", { value: p.id }, p.displayName))),
        h("p", { class: "help", id: "default-assignee-help" },
          "Who gets a ticket nobody fits (with auto-assign off, only suggested). Empty: nobody."))),
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
    const body = { ...settings, weights, autoAssign: autoAssign.checked, explainInJira: explain.checked, confidenceThreshold: Number(threshold.value),
      candidatePool: pool.value, defaultAssignee: fallback.value.trim() || null, requiredSkills: parseRequired(required.value) };
    const stored = await act(save, { busy: "Saving…", done: `Settings of ${project} saved.`, failure: "Could not save the settings" },
      () => call("PUT", `/api/v1/projects/${encodeURIComponent(project)}/settings`, { body }));
    if (stored) Object.assign(settings, stored);
  });
  return form;
}
