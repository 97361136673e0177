// The tenant's custom skills and aliases (GET /api/v1/skills/custom for everyone; PUT for admins of every project):
// new skills the detector learns to see, or more words for an existing one.

import { call } from "./api.js";
import { h, replace } from "./dom.js";
import { act, empty } from "./app.js";

/** The custom skills card; `admin` (of the project) shows the editor, the API decides (`*` admins only). */
export function customSkillsCard(items, admin) {
  const section = h("section", { class: "card", id: "custom-skills", "aria-labelledby": "custom-skills-title" });
  const title = h("h2", { id: "custom-skills-title" }, "Custom skills and aliases");
  const help = h("p", { class: "help" }, "A skill the built-in list lacks (an id, a name, a category), or more words for an existing one: "
    + "with the id of a built-in skill (e.g. ", h("code", {}, "kubernetes"), ") only its aliases are added. Aliases are words or phrases "
    + "in ticket text that name the skill, comma-separated.");
  if (!admin) {
    return replace(section, title, help, items.length
      ? h("ul", { class: "plain-list", id: "custom-skills-readonly" }, items.map((s) => h("li", {}, h("span", { class: "pill" }, s.id),
        ` ${s.name} (${s.category})`, s.aliases.length ? h("span", { class: "muted" }, ` · ${s.aliases.join(", ")}`) : null)))
      : empty("no-custom-skills", "No custom skills: the built-in list is used as is."),
    h("p", { class: "muted" }, "Only admins of every project (`*`) change custom skills."));
  }
  const draft = items.map((s) => ({ ...s, aliases: s.aliases.join(", ") }));
  const list = h("div", { id: "custom-skills-list" });
  const drawDraft = (focusId) => {
    replace(list, draft.length ? h("div", { class: "table-wrap" }, h("table", { class: "plain stacked", id: "custom-skills-table" },
      h("thead", {}, h("tr", {}, ["Id", "Name", "Category", "Aliases", ""].map((n) => h("th", { scope: "col" }, n)))),
      h("tbody", {}, draft.map((skill, index) => {
        const input = (key, label, attributes = {}) => {
          const element = h("input", { type: "text", id: `custom-${index}-${key}`, value: skill[key], "aria-label": `${label} of custom skill ${index + 1}`,
            ...attributes });
          element.addEventListener("input", () => { skill[key] = element.value; });
          return element;
        };
        const remove = h("button", { type: "button", class: "button subtle small", "aria-label": `Remove custom skill ${skill.id || index + 1}` }, "Remove");
        remove.addEventListener("click", () => { draft.splice(index, 1); drawDraft("add-custom-skill"); });
        return h("tr", { dataset: { skill: skill.id } },
          h("td", { "data-label": "Id" }, input("id", "Id", { required: true, pattern: "[a-z0-9][a-z0-9\\-]{0,63}", placeholder: "ledger" })),
          h("td", { "data-label": "Name" }, input("name", "Name", { placeholder: "The Ledger" })),
          h("td", { "data-label": "Category" }, input("category", "Category", { placeholder: "domain" })),
          h("td", { "data-label": "Aliases" }, input("aliases", "Aliases", { placeholder: "ledger, general ledger" })),
          h("td", { "data-label": "" }, remove));
      })))) : empty("no-custom-skills", "No custom skills: the built-in list is used as is.", "Add one below."));
    if (focusId) document.getElementById(focusId)?.focus();
  };
  drawDraft();
  const add = h("button", { type: "button", class: "button", id: "add-custom-skill" }, "Add a skill");
  add.addEventListener("click", () => {
    draft.push({ id: "", name: "", category: "domain", aliases: "" });
    drawDraft(`custom-${draft.length - 1}-id`);
  });
  const save = h("button", { type: "submit", class: "button primary", id: "save-custom-skills" }, "Save custom skills");
  const form = h("form", { id: "custom-skills-form", "aria-labelledby": "custom-skills-title" }, list, h("div", { class: "actions" }, add, save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { items: draft.map((s) => ({ id: s.id.trim(), name: s.name.trim() || s.id.trim(), category: s.category.trim() || "domain",
      aliases: s.aliases.split(",").map((a) => a.trim()).filter(Boolean) })) };
    const stored = await act(save, { busy: "Saving custom skills…", done: (r) => `${r.items.length} custom skills saved; detection uses them now.`,
      failure: "Could not save the custom skills" }, () => call("PUT", "/api/v1/skills/custom", { body }));
    if (stored) {
      draft.splice(0, draft.length, ...stored.items.map((s) => ({ ...s, aliases: s.aliases.join(", ") })));
      drawDraft();
    }
  });
  return replace(section, title, help, form);
}
