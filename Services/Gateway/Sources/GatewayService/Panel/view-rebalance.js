// Rebalance: an admin makes a plan for the project's open backlog (work of people away moves first, then people over
// capacity shed unstarted work), reviews each move with its reasons, applies it, and can undo it. What Jira refused
// is listed. A plan is kept by the server; its link (#/rebalance?plan=ID) opens it again, for viewers too.

import { call, query } from "./api.js";
import { h, replace, when } from "./dom.js";
import { act, can, empty, heading, navigate, personLink, state, ticketLink } from "./app.js";

const STATUS = { proposed: "Proposed: not applied yet", applied: "Applied", undone: "Undone" };

function rememberedPlan(project) {
  return sessionStorage.getItem(`smartTicket.plan.${project}`);
}

function remember(plan) {
  sessionStorage.setItem(`smartTicket.plan.${plan.project}`, plan.id);
}

function planPath(project, id, action = "") {
  return `/api/v1/projects/${encodeURIComponent(project)}/rebalance${id ? "/" + encodeURIComponent(id) : ""}${action}`;
}

export async function rebalanceView(params) {
  const project = state.project;
  const admin = can("admin", project);
  const id = params.plan || rememberedPlan(project);
  let plan = null;
  if (id) {
    try {
      plan = await call("GET", planPath(project, id));
    } catch (error) {
      if (error.status !== 404) throw error;
      sessionStorage.removeItem(`smartTicket.plan.${project}`);
    }
  }
  const make = h("button", { type: "button", class: plan ? "button" : "button primary", id: "make-plan" }, plan ? "Make a new plan" : "Make a plan");
  make.addEventListener("click", async () => {
    const made = await act(make, { busy: `Planning moves for ${project}…`, done: (p) => `Plan ${p.id}: ${p.moves.length} moves proposed.`,
      failure: "Could not make a plan" }, () => call("POST", planPath(project)));
    if (!made) return;
    remember(made);
    navigate("#/rebalance" + query({ project, plan: made.id }));
  });
  const intro = h("p", { class: "help" }, "A plan moves open work away from people who are away or inactive, then from people over capacity "
    + "(unstarted work first). Nobody away, inactive or opted out receives work, and nobody is pushed over capacity. "
    + "Nothing changes until an admin applies the plan; an applied plan can be undone.");
  const head = heading("rebalance-title", `Rebalance · ${project}`, admin ? make : null);
  if (!plan) {
    return h("section", { "aria-labelledby": "rebalance-title" }, head, h("div", { class: "card" }, intro,
      admin ? empty("no-plan", "No plan yet for this project.", "Make a plan to see which moves it proposes; nothing is changed until you apply it.")
        : empty("no-plan", "No plan to show.", "Only admins of this project make plans. An admin can send you a plan's link to review it.")));
  }
  return h("section", { "aria-labelledby": "rebalance-title" }, head, intro, planCard(plan, admin));
}

function planCard(plan, admin) {
  const card = h("div", { class: "card", id: "plan", dataset: { plan: plan.id, status: plan.status } });
  const apply = h("button", { type: "button", class: "button primary", id: "apply-plan" }, `Apply ${plan.moves.length} moves`);
  const undo = h("button", { type: "button", class: "button", id: "undo-plan" }, "Undo this plan");
  const run = async (button, action, verb) => {
    const changed = await act(button, { busy: `${verb}…`, failure: `Could not ${verb.toLowerCase()} the plan`,
      done: (p) => summary(p) }, () => call("POST", planPath(plan.project, plan.id, action)));
    if (changed) card.replaceWith(planCard(changed, admin));
  };
  apply.addEventListener("click", () => run(apply, "/apply", "Applying"));
  undo.addEventListener("click", () => run(undo, "/undo", "Undoing"));
  const actions = admin && plan.status === "proposed" && plan.moves.length ? apply : admin && plan.status === "applied" ? undo : null;
  replace(card,
    h("div", { class: "plan-head" },
      h("h2", {}, `Plan ${plan.id}`),
      h("span", { class: `pill plan-${plan.status}`, id: "plan-status" }, STATUS[plan.status] || plan.status)),
    h("p", { class: "muted small" }, `Made by ${plan.createdBy} on ${when(plan.createdAt)}`,
      plan.appliedAt ? ` · applied ${when(plan.appliedAt)}` : "", plan.undoneAt ? ` · undone ${when(plan.undoneAt)}` : ""),
    plan.moves.length ? movesTable(plan) : empty("no-moves", "Nothing to move: nobody is away, inactive or over capacity with work that can go elsewhere."),
    plan.unresolved.length ? h("div", { class: "subsection" }, h("h3", {}, "Left as they are"),
      h("ul", { class: "plain-list", id: "unresolved" }, plan.unresolved.map((u) => h("li", {},
        u.ticket ? [ticketLink(u.ticket), " of "] : null, personLink(u.from.id, u.from.name), `: ${u.reason}`)))) : null,
    refusedList("refused", "Jira refused these moves (not applied: make a new plan once Jira allows them)", plan.refused),
    plan.undo ? undoReport(plan.undo) : null,
    actions ? h("div", { class: "actions" }, actions) : null,
    !admin && plan.status === "proposed" ? h("p", { class: "muted" }, "Only admins of this project can apply a plan.") : null);
  return card;
}

function movesTable(plan) {
  const refused = new Set((plan.refused || []).map((r) => r.ticket));
  return h("table", { class: "stacked", id: "moves" },
    h("caption", { class: "visually-hidden" }, `${plan.moves.length} proposed moves`),
    h("thead", {}, h("tr", {}, ["Ticket", "From", "To", "Why"].map((n) => h("th", { scope: "col" }, n)))),
    h("tbody", {}, plan.moves.map((move) => h("tr", { dataset: { ticket: move.ticket }, class: refused.has(move.ticket) ? "refused" : "" },
      h("td", { "data-label": "Ticket" }, ticketLink(move.ticket), refused.has(move.ticket) ? h("span", { class: "pill warn" }, "refused") : null),
      h("td", { "data-label": "From" }, personLink(move.from.id, move.from.name)),
      h("td", { "data-label": "To" }, personLink(move.to.id, move.to.name)),
      h("td", { "data-label": "Why" }, h("ul", { class: "reasons" }, move.reasons.map((reason) => h("li", {}, reason))))))));
}

function refusedList(id, title, refused) {
  if (!refused || !refused.length) return null;
  return h("div", { class: "subsection warn-box", id },
    h("h3", {}, title),
    h("ul", { class: "plain-list" }, refused.map((r) => h("li", { dataset: { ticket: r.ticket } }, ticketLink(r.ticket),
      ` — HTTP ${r.status}: ${r.reason}`))));
}

function undoReport(undo) {
  return h("div", { class: "subsection", id: "undo-report" },
    h("h3", {}, "Undo"),
    h("p", {}, undo.restored.length ? ["Given back: ", undo.restored.map((key, index) => [index ? ", " : "", ticketLink(key)])]
      : "No ticket was given back."),
    undo.skipped.length ? h("ul", { class: "plain-list" }, undo.skipped.map((s) => h("li", {}, ticketLink(s.ticket), `: ${s.reason}`))) : null,
    refusedList("undo-refused", "Jira refused these restoring moves (the tickets stay where the plan put them)", undo.refused));
}

function summary(plan) {
  if (plan.status === "applied") {
    const refused = (plan.refused || []).length;
    return `Plan applied: ${plan.moves.length - refused} moves made${refused ? `, ${refused} refused by Jira` : ""}.`;
  }
  if (plan.status === "undone") return `Plan undone: ${plan.undo.restored.length} tickets given back.`;
  return "";
}
