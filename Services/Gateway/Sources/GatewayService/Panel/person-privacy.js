// A person's data rights on their page: download everything held about them (the person themselves, or an admin of
// every project), and erase them (an admin of every project), confirmed by typing their id. The API decides; the card
// only offers what it would allow.

import { call } from "./api.js";
import { h } from "./dom.js";
import { act, navigate, state } from "./app.js";

export function privacyCard(person, { self, everyAdmin }) {
  if (!self && !everyAdmin) return null;
  const name = person.displayName || person.id;
  const path = `/api/v1/people/${encodeURIComponent(person.id)}`;
  const download = h("button", { type: "button", class: "button", id: "export-person" }, "Download their data (JSON)");
  download.addEventListener("click", async () => {
    const document_ = await act(download, { busy: "Collecting…", done: `The data of ${name} is downloaded.`, failure: "Could not export" },
      () => call("GET", `${path}/export`));
    if (!document_) return;
    const link = h("a", { href: URL.createObjectURL(new Blob([JSON.stringify(document_, null, 2)], { type: "application/json" })),
      download: `smart-ticket-${person.id}.json`, id: "export-link" });
    link.hidden = true;
    document.body.append(link);
    link.click();
    setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 60_000);
  });
  return h("section", { class: "card", "aria-labelledby": "privacy-title", id: "privacy-card" },
    h("h2", { id: "privacy-title" }, "Personal data"),
    h("p", { class: "help" }, "Everything SmartTicket holds about this person, as one document: record, time off, skills, "
      + "tickets assigned, decisions naming them, and admin changes by them or to their record."),
    h("div", { class: "actions" }, download),
    everyAdmin ? eraseForm(person, name, path) : null);
}

/** Erasure: typed confirmation, then DELETE; the people list afterwards, with what now stands for them. */
function eraseForm(person, name, path) {
  const confirm = h("input", { type: "text", id: "erase-confirm", autocomplete: "off", spellcheck: "false" });
  const erase = h("button", { type: "submit", class: "button danger", id: "erase-person", disabled: true }, "Erase permanently");
  confirm.addEventListener("input", () => { erase.disabled = confirm.value.trim() !== person.id; });
  const form = h("form", { id: "erase-form" },
    h("h3", {}, "Erase this person"),
    h("p", { class: "help" }, `Deletes ${name}'s record, time off, skill profile and roles, and replaces their id and name `
      + "with a pseudonym in tickets, decisions and the audit record, so counts stay true. They are no longer recommended, "
      + "and no import or Jira sync brings them back. This cannot be undone."),
    h("div", { class: "field" }, h("label", { for: "erase-confirm" }, `Type ${person.id} to confirm`), confirm),
    h("div", { class: "actions" }, erase));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (confirm.value.trim() !== person.id) return;
    const erased = await act(erase, { busy: "Erasing…", failure: "Could not erase" }, () => call("DELETE", path));
    if (!erased) return;
    state.people.delete(person.id);
    navigate("#/people", `${name} was erased; the history now shows ${erased.pseudonym}.`);
  });
  return form;
}
