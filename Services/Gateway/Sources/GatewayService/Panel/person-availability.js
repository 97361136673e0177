// A person's availability: capacity and unit, working hours and time zone, opt-out of auto-assign (and, for admins,
// name and active), and time off, added and removed range by range. Every change is a PATCH /api/v1/people/{id}.

import { call } from "./api.js";
import { h, replace } from "./dom.js";
import { act, field, say, state } from "./app.js";
import { DAYS, awayNow, day, today } from "./format.js";

const DEFAULT_HOURS = { start: "09:00", end: "17:00", days: [1, 2, 3, 4, 5] };

function patch(person, body) {
  return call("PATCH", `/api/v1/people/${encodeURIComponent(person.id)}`, { body });
}

function remember(stored) {
  state.people.set(stored.id, stored);
  return stored;
}

/** Capacity, hours, time zone and opt-out: a form when `editable`, else what they are. `admin` adds name and active. */
export function availabilityCard(person, { editable, admin, onSaved }) {
  const hours = person.workingHours || DEFAULT_HOURS;
  if (!editable) {
    return h("section", { class: "card", id: "availability", "aria-labelledby": "availability-title" },
      h("h2", { id: "availability-title" }, "Availability"),
      h("dl", { class: "meta", id: "availability-readonly" },
        h("div", {}, h("dt", {}, "Weekly capacity"), h("dd", {}, person.weeklyCapacity === null || person.weeklyCapacity === undefined
          ? `not set (10 ${person.capacityUnit})` : `${person.weeklyCapacity} ${person.capacityUnit}`)),
        h("div", {}, h("dt", {}, "Working hours"), h("dd", {}, person.workingHours
          ? `${hours.start}–${hours.end}, ${hours.days.map((d) => DAYS[d - 1][1]).join(" ")}` : "not set")),
        h("div", {}, h("dt", {}, "Time zone"), h("dd", {}, person.timeZone || "not set")),
        h("div", {}, h("dt", {}, "Auto-assign"), h("dd", {}, person.optedOut ? "Opted out: only suggested" : "May be assigned automatically")),
        h("div", {}, h("dt", {}, "Active"), h("dd", {}, person.active ? "Yes" : "No"))),
      h("p", { class: "help" }, "Only this person, or an admin of a project they work in, can change these."));
  }
  const capacity = h("input", { type: "number", id: "person-capacity", min: "0", max: "1000", step: "0.5", placeholder: "10",
    value: person.weeklyCapacity ?? "" });
  const unit = h("select", { id: "person-unit" },
    [["points", "story points"], ["hours", "hours"]].map(([value, label]) => h("option", { value, selected: person.capacityUnit === value }, label)));
  const zone = h("input", { type: "text", id: "person-timezone", list: "time-zones", autocomplete: "off", placeholder: "Europe/Berlin",
    value: person.timeZone || "" });
  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const start = h("input", { type: "time", id: "person-start", value: hours.start, required: true });
  const end = h("input", { type: "time", id: "person-end", value: hours.end, required: true });
  const days = DAYS.map(([number]) => h("input", { type: "checkbox", id: `person-day-${number}`, value: String(number),
    checked: hours.days.includes(number) }));
  const optedOut = h("input", { type: "checkbox", id: "person-opted-out", checked: person.optedOut });
  const name = admin ? h("input", { type: "text", id: "person-name", maxlength: "200", required: true, value: person.displayName }) : null;
  const active = admin ? h("input", { type: "checkbox", id: "person-active", checked: person.active }) : null;
  const save = h("button", { type: "submit", class: "button primary", id: "save-availability" }, "Save availability");
  const form = h("form", { class: "card", id: "availability-form", "aria-labelledby": "availability-title" },
    h("h2", { id: "availability-title" }, "Availability"),
    h("div", { class: "form-grid" },
      field("Weekly capacity", capacity, "Empty: 10. Rankings and rebalancing compare open load with it."),
      field("Capacity unit", unit),
      field("Time zone", zone, "An IANA name, e.g. Europe/Berlin."),
      h("datalist", { id: "time-zones" }, zones.map((z) => h("option", { value: z }))),
      field("Working hours start", start),
      field("Working hours end", end)),
    h("fieldset", { class: "days" }, h("legend", {}, "Working days"),
      DAYS.map(([number, label], index) => h("span", { class: "day" }, days[index], h("label", { for: `person-day-${number}` }, label)))),
    h("div", { class: "field checkbox" }, optedOut,
      h("label", { for: "person-opted-out" }, "Opted out of auto-assign (suggested, never assigned automatically)")),
    admin ? h("fieldset", {}, h("legend", {}, "Admin only"),
      field("Display name", name),
      h("div", { class: "field checkbox" }, active, h("label", { for: "person-active" }, "Active (inactive people are never recommended)"))) : null,
    h("div", { class: "actions" }, save));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    const newCapacity = capacity.value === "" ? null : Number(capacity.value);
    if (newCapacity !== null && newCapacity !== person.weeklyCapacity) body.weeklyCapacity = newCapacity;
    if (unit.value !== person.capacityUnit) body.capacityUnit = unit.value;
    if (zone.value.trim() && zone.value.trim() !== person.timeZone) body.timeZone = zone.value.trim();
    const newHours = { start: start.value, end: end.value, days: days.filter((d) => d.checked).map((d) => Number(d.value)) };
    if (JSON.stringify(newHours) !== JSON.stringify(hours)) body.workingHours = newHours;
    if (optedOut.checked !== person.optedOut) body.optedOut = optedOut.checked;
    if (admin && name.value.trim() !== person.displayName) body.displayName = name.value.trim();
    if (admin && active.checked !== person.active) body.active = active.checked;
    if (!Object.keys(body).length) {
      say("Nothing changed.");
      return;
    }
    const stored = await act(save, { busy: "Saving…", done: (p) => `Availability of ${p.displayName || p.id} saved.`,
      failure: "Could not save the availability" }, async () => remember(await patch(person, body)));
    if (stored) onSaved(stored);
  });
  return form;
}

/** Time off: the ranges (today's highlighted) with a Remove button each, and a form to add one. */
export function timeOffCard(person, { editable, onSaved }) {
  const section = h("section", { class: "card", id: "time-off", "aria-labelledby": "time-off-title" });
  let current = person;
  const draw = (focusId) => {
    const ranges = [...current.timeOff].map((off, index) => ({ off, index })).sort((a, b) => a.off.start.localeCompare(b.off.start));
    const away = awayNow(current);
    const list = ranges.length
      ? h("ul", { class: "time-off-list", id: "time-off-list" }, ranges.map(({ off, index }) => {
        const label = off.start === off.end ? day(off.start) : `${day(off.start)} – ${day(off.end)}`;
        const remove = editable ? h("button", { type: "button", class: "button subtle small", "aria-label": `Remove time off ${label}`,
          dataset: { start: off.start, end: off.end } }, "Remove") : null;
        remove?.addEventListener("click", () => change(current.timeOff.filter((_, i) => i !== index), remove, `Time off ${label} removed.`,
          "add-time-off-start"));
        return h("li", { class: off === away ? "now" : off.end < today() ? "past" : "", dataset: { start: off.start, end: off.end } },
          h("span", { class: "range" }, label), off.reason ? h("span", { class: "muted" }, ` · ${off.reason}`) : null,
          off === away ? h("span", { class: "pill away" }, "now") : null, remove);
      }))
      : h("p", { class: "muted", id: "time-off-empty" }, "No time off planned.");
    let form = null;
    if (editable) {
      const start = h("input", { type: "date", id: "add-time-off-start", required: true, value: today() });
      const end = h("input", { type: "date", id: "add-time-off-end", required: true, value: today() });
      const reason = h("input", { type: "text", id: "add-time-off-reason", maxlength: "200", placeholder: "optional" });
      const add = h("button", { type: "submit", class: "button", id: "add-time-off" }, "Add time off");
      form = h("form", { class: "inline-form", id: "time-off-form", "aria-label": "Add time off" },
        field("From", start), field("To (inclusive)", end), field("Reason", reason), add);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (end.value < start.value) {
          say("The end of the time off is before its start.");
          end.focus();
          return;
        }
        const entry = { start: start.value, end: end.value };
        if (reason.value.trim()) entry.reason = reason.value.trim();
        change([...current.timeOff, entry], add, `Time off from ${day(entry.start)} to ${day(entry.end)} added.`, "add-time-off-start");
      });
    }
    replace(section, h("h2", { id: "time-off-title" }, "Time off"),
      h("p", { class: "help" }, "Nobody away receives automatic assignments or rebalanced work; their open work moves first in a rebalance."),
      list, form);
    if (focusId) document.getElementById(focusId)?.focus();
  };
  const change = async (timeOff, button, done, focusId) => {
    const stored = await act(button, { busy: "Saving time off…", done, failure: "Could not change the time off" },
      async () => remember(await patch(current, { timeOff })));
    if (stored) {
      current = stored;
      draw(focusId);
      onSaved?.(stored);
    }
  };
  draw();
  return section;
}
