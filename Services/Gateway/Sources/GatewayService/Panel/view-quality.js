// Quality: routing quality in production (GET /api/v1/projects/{key}/quality, from the decision log) beside the
// offline replay of the same project with its current weights, and whether the evidence says to turn auto-assign on
// (or off), with the numbers and the rule.

import { call, query } from "./api.js";
import { h, number, replace } from "./dom.js";
import { act, can, empty, heading, render, state, stat } from "./app.js";
import { weeklyLines } from "./charts.js";
import { percent, rate } from "./format.js";
import { replay, warningsBox } from "./view-whatif.js";

/** The rule, stated in the view and applied by `advise`. */
export const RULE = {
  minAssigned: 30, minTop1: 0.7, maxOverrides: 0.1, minAuto: 10, minKept: 0.8,
  text: "Turn auto-assign on when at least 30 tickets were assigned in the window, at least 70% of them to the first suggestion, "
    + "and at most 10% were overrides. Turn it off when at least 10 tickets were assigned automatically and fewer than 80% "
    + "of those were kept for 7 days.",
};

/** What the evidence says: `{verdict: "on" | "off" | "keep-on" | "keep-off" | "wait", text}`. */
export function advise(report, autoAssign) {
  const top1 = report.assigned ? report.acceptedTop1 / report.assigned : 0;
  const overrides = report.assigned ? report.overrides / report.assigned : 0;
  const accepted = `${report.acceptedTop1} of ${report.assigned} assignments (${percent(report.acceptedTop1, report.assigned)}) went to the `
    + `first suggestion and ${report.overrides} (${percent(report.overrides, report.assigned)}) were overrides`;
  if (!autoAssign) {
    if (report.assigned < RULE.minAssigned) {
      return { verdict: "wait", text: `Not enough evidence yet: ${report.assigned} assignments in the window, the rule needs ${RULE.minAssigned}.` };
    }
    if (top1 >= RULE.minTop1 && overrides <= RULE.maxOverrides) return { verdict: "on", text: `Turn auto-assign on: ${accepted}.` };
    return { verdict: "keep-off", text: `Keep auto-assign off: ${accepted} (on needs at least 70% and at most 10%).` };
  }
  if (report.autoAssigned < RULE.minAuto) {
    return { verdict: "wait", text: `Too few automatic assignments to judge: ${report.autoAssigned}, the rule needs ${RULE.minAuto}.` };
  }
  const kept = `${report.autoAssignedKept} of ${report.autoAssigned} automatic assignments (${percent(report.autoAssignedKept, report.autoAssigned)}) `
    + "were kept for 7 days";
  if (report.autoAssignedKept / report.autoAssigned < RULE.minKept) return { verdict: "off", text: `Turn auto-assign off: only ${kept}.` };
  return { verdict: "keep-on", text: `Keep auto-assign on: ${kept}.` };
}

export async function qualityView(params) {
  const project = state.project;
  const weeks = ["4", "8", "12", "26", "52"].includes(params.weeks) ? params.weeks : "12";
  const [report, settings] = await Promise.all([
    call("GET", `/api/v1/projects/${encodeURIComponent(project)}/quality` + query({ weeks })),
    call("GET", `/api/v1/projects/${encodeURIComponent(project)}/settings`),
  ]);
  const weeksSelect = h("select", { id: "quality-weeks" },
    ["4", "8", "12", "26", "52"].map((value) => h("option", { value, selected: value === weeks }, `${value} weeks`)));
  weeksSelect.addEventListener("change", () => { location.hash = "#/quality" + query({ project, weeks: weeksSelect.value }); });
  const head = heading("quality-title", `Quality · ${project}`,
    h("div", { class: "field inline" }, h("label", { for: "quality-weeks" }, "Over the last"), weeksSelect));
  const intro = h("p", { class: "help" }, "How recommendations fared in production, from the decision log: whether people took the first "
    + "suggestion, overrode it, and whether automatic assignments stuck, beside the offline replay of the project's history.");
  if (!report.recommended && !report.assigned) {
    return h("section", { "aria-labelledby": "quality-title" }, head, intro, h("div", { class: "card" },
      empty("no-quality", `No recommendations or assignments in ${project} in the last ${weeks} weeks.`,
        "Open a ticket from ", h("a", { href: "#/tickets" }, "Tickets"), " and assign it (or let auto-assign work): each decision counts here.")),
    adviceCard(project, report, settings));
  }
  const chartBox = h("div", { id: "quality-chart-box" });
  const replayBox = h("div", { class: "card replay", id: "replay", "aria-live": "polite" });
  const drawChart = (replayResult) => replace(chartBox, weeklyLines(
    report.byWeek.map((w) => ({ week: w.week, values: { top1: w.assigned ? w.acceptedTop1 / w.assigned : null,
      top3: w.assigned ? w.acceptedTop3 / w.assigned : null } })),
    [{ key: "top1", label: "Top-1 accepted", cls: "line-top1" }, { key: "top3", label: "Top-3 accepted", cls: "line-top3" }],
    replayResult ? [{ label: "replay top-1", value: replayResult.top1, cls: "line-top1" }, { label: "replay top-3", value: replayResult.top3, cls: "line-top3" }] : [],
    { id: "quality-chart", title: `Share of assignments to the first (top-3) suggestion per week, over ${weeks} weeks` }));
  drawChart(null);
  fillReplay(project, settings, replayBox, drawChart);
  return h("section", { "aria-labelledby": "quality-title" }, head, intro,
    h("div", { class: "stats", id: "quality-stats" },
      stat("Recommended", report.recommended, "rankings recorded"),
      stat("Assigned", report.assigned, "by people or automatically"),
      stat("Top-1 accepted", percent(report.acceptedTop1, report.assigned), `${report.acceptedTop1} of ${report.assigned}`),
      stat("Top-3 accepted", percent(report.acceptedTop3, report.assigned), `${report.acceptedTop3} of ${report.assigned}`),
      stat("Overrides", report.overrides, percent(report.overrides, report.assigned) + " of assignments"),
      stat("Auto-assigned kept", report.autoAssigned ? percent(report.autoAssignedKept, report.autoAssigned) : "–",
        `${report.autoAssignedKept} of ${report.autoAssigned} kept 7 days`),
      stat("Median time to assign", report.medianTimeToAssignHours === null ? "–" : `${number(report.medianTimeToAssignHours, 1)} h`,
        "first suggestion to assignment")),
    adviceCard(project, report, settings),
    h("div", { class: "quality-grid" },
      h("div", { class: "card" }, h("h2", {}, "Acceptance per week (online)"), chartBox,
        h("p", { class: "help" }, "A week without assignments has no point. Dashed: the replay's figures for the same weights.")),
      replayBox),
    h("details", { class: "card" }, h("summary", {}, "Show the weeks as a table"), weeksTable(report)));
}

function adviceCard(project, report, settings) {
  const advice = advise(report, settings.autoAssign);
  const admin = can("admin", project);
  const turn = (advice.verdict === "on" || advice.verdict === "off") && admin
    ? h("button", { type: "button", class: "button primary", id: "apply-advice" }, `Turn auto-assign ${advice.verdict}`) : null;
  turn?.addEventListener("click", async () => {
    const stored = await act(turn, { busy: "Saving…", done: `Auto-assign is now ${advice.verdict} in ${project}.`, failure: "Could not change auto-assign" },
      () => call("PUT", `/api/v1/projects/${encodeURIComponent(project)}/settings`, { body: { ...settings, autoAssign: advice.verdict === "on" } }));
    if (stored) await render();
  });
  return h("section", { class: `card advice advice-${advice.verdict}`, id: "advice", dataset: { verdict: advice.verdict }, "aria-labelledby": "advice-title" },
    h("h2", { id: "advice-title" }, `Auto-assign is ${settings.autoAssign ? "on" : "off"}`),
    h("p", { class: "advice-text", id: "advice-text" }, advice.text),
    turn,
    !admin && (advice.verdict === "on" || advice.verdict === "off") ? h("p", { class: "muted" }, "An admin of the project can change it in Settings.") : null,
    h("p", { class: "help", id: "advice-rule" }, "The rule: ", RULE.text));
}

async function fillReplay(project, settings, box, drawChart) {
  const title = h("h2", {}, "Replay (offline)");
  if (!can("member", project)) {
    replace(box, title, h("p", { class: "muted", id: "replay-figure" }, "The replay of the project's history needs the member role."));
    return;
  }
  replace(box, title, h("p", { class: "loading", id: "replay-loading" }, "Replaying the project's resolved tickets with its current weights…"));
  try {
    const answer = await replay(project, [settings.weights]);
    if (!box.isConnected) return;
    const result = answer.results[0];
    if (!result || !result.inPool) {
      replace(box, title, h("p", { class: "muted", id: "replay-figure" }, "No resolved, assigned tickets to replay in this project."),
        warningsBox(answer, "replay-warnings"));
      return;
    }
    replace(box, title,
      h("dl", { class: "replay-figures", id: "replay-figure" },
        h("div", {}, h("dt", {}, "Top-1"), h("dd", { id: "replay-top1" }, rate(result.top1, 1))),
        h("div", {}, h("dt", {}, "Top-3"), h("dd", { id: "replay-top3" }, rate(result.top3, 1))),
        h("div", {}, h("dt", {}, "Top-5"), h("dd", {}, rate(result.top5, 1))),
        h("div", {}, h("dt", {}, "MRR"), h("dd", {}, number(result.mrr, 3)))),
      h("p", { class: "help" }, `Over the ${result.inPool} test tickets (of ${result.testTickets} tested, from ${answer.tickets} resolved) whose `
        + "assignee was in the candidate pool, ranked in time order with the project's current weights: who really resolved each one "
        + "is what the ranking should have put first. ", h("a", { href: "#/whatif" }, "Compare other weights")),
      warningsBox(answer, "replay-warnings"));
    drawChart(result);
  } catch (error) {
    if (box.isConnected) replace(box, title, h("p", { class: "muted", id: "replay-figure" }, `The replay failed: ${error.readable || error.message}`));
  }
}

function weeksTable(report) {
  const columns = [["recommended", "Recommended"], ["assigned", "Assigned"], ["acceptedTop1", "Top-1"], ["acceptedTop3", "Top-3"],
    ["overrides", "Overrides"], ["autoAssigned", "Auto"], ["autoAssignedKept", "Auto kept"]];
  return h("div", { class: "table-wrap" }, h("table", { class: "plain", id: "quality-table" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Week of"), columns.map(([, label]) => h("th", { scope: "col" }, label)),
      h("th", { scope: "col" }, "Median to assign (h)"))),
    h("tbody", {}, [...report.byWeek].reverse().map((w) => h("tr", { dataset: { week: w.week } }, h("th", { scope: "row" }, w.week),
      columns.map(([key]) => h("td", {}, String(w[key]))), h("td", {}, number(w.medianTimeToAssignHours, 1)))))));
}
