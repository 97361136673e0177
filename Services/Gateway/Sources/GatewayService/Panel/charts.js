// Inline SVG charts (no library): load against capacity, weight sets side by side, acceptance per week.
// Colours come from panel.css classes; every chart has a title and a table or figures beside it.

import { h, number, svg } from "./dom.js";
import { loadFigure } from "./format.js";

/** Horizontal bars: open load per person, with a tick at the person's capacity. Rows: {id, name, openLoad, capacity, openTickets}. */
export function loadChart(rows, { id = "load-chart", unit = "points" } = {}) {
  const rowHeight = 30;
  const labelWidth = 170;
  const width = 640;
  const plot = width - labelWidth - 70;
  const scale = Math.max(1, ...rows.map((r) => Math.max(r.openLoad, r.capacity || 0)));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${rows.length * rowHeight + 8}`, class: "load-chart", id, role: "img",
    "aria-labelledby": `${id}-title` },
  svg("title", { id: `${id}-title` }, `Open load against capacity for ${rows.length} people`));
  rows.forEach((row, index) => {
    const y = index * rowHeight + 6;
    const over = row.capacity && row.openLoad > row.capacity;
    const name = row.name.length > 24 ? row.name.slice(0, 23) + "…" : row.name;
    chart.append(
      svg("g", { class: over ? "load-row over" : "load-row", "data-person": row.id },
        svg("title", {}, `${row.name}: load ${loadFigure(row.openLoad)} of capacity ${loadFigure(row.capacity)} (${row.openTickets} open tickets)`),
        svg("text", { x: labelWidth - 8, y: y + 15, "text-anchor": "end", class: "label" }, name),
        svg("rect", { x: labelWidth, y, width: plot, height: 20, rx: 4, class: "track" }),
        svg("rect", { x: labelWidth, y, width: Math.max(2, (row.openLoad / scale) * plot), height: 20, rx: 4, class: "load" }),
        row.capacity ? svg("line", { x1: labelWidth + (row.capacity / scale) * plot, x2: labelWidth + (row.capacity / scale) * plot,
          y1: y - 3, y2: y + 23, class: "capacity" }) : svg("g", {}),
        svg("text", { x: labelWidth + plot + 8, y: y + 15, class: "figure" }, `${loadFigure(row.openLoad)} / ${loadFigure(row.capacity)}`)));
  });
  const legend = h("p", { class: "legend muted" }, h("span", { class: "swatch load" }), ` open load (${unit}) `,
    h("span", { class: "swatch capacity" }), " weekly capacity ", h("span", { class: "swatch over" }), " over capacity");
  return h("div", { class: "chart-wrap" }, chart, legend);
}

/** A small bar of `value` against `capacity` for a table cell (CSSOM widths: the policy allows no style attributes). */
export function meter(value, capacity, label) {
  const track = h("span", { class: "meter", role: "img", "aria-label": label });
  const fill = h("span", { class: value > capacity ? "meter-fill over" : "meter-fill" });
  fill.style.width = `${Math.min(100, (value / Math.max(capacity, 0.0001)) * 100)}%`;
  track.append(fill);
  return track;
}

/**
 * Vertical bars grouped by metric, one bar per series: `metrics` [{key, label}], `series` [{name, values: {key: 0…1}}].
 * Values are rates from 0 to 1.
 */
export function groupedBars(metrics, series, { id, title }) {
  const width = 640;
  const height = 250;
  const left = 40;
  const bottom = 34;
  const top = 12;
  const plotHeight = height - bottom - top;
  const groupWidth = (width - left - 10) / metrics.length;
  const barWidth = Math.min(34, (groupWidth - 16) / series.length);
  const y = (value) => top + plotHeight * (1 - Math.max(0, Math.min(1, value)));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "bar-chart", id, role: "img", "aria-labelledby": `${id}-title` },
    svg("title", { id: `${id}-title` }, title));
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(svg("line", { x1: left, x2: width - 6, y1: y(tick), y2: y(tick), class: tick === 0 ? "axis" : "grid" }),
      svg("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, `${tick * 100}%`));
  }
  metrics.forEach((metric, group) => {
    const start = left + group * groupWidth + (groupWidth - barWidth * series.length) / 2;
    series.forEach((one, index) => {
      const value = one.values[metric.key] ?? 0;
      chart.append(svg("rect", { x: start + index * barWidth + 1, y: y(value), width: barWidth - 2, height: Math.max(1, y(0) - y(value)),
        class: `bar set-${index % 4}`, "data-metric": metric.key, "data-set": index },
      svg("title", {}, `${one.name}: ${metric.label} ${number(value * 100, 1)}%`)));
    });
    chart.append(svg("text", { x: left + group * groupWidth + groupWidth / 2, y: height - 12, "text-anchor": "middle", class: "label" }, metric.label));
  });
  const legend = h("p", { class: "legend muted" }, series.map((one, index) => [h("span", { class: `swatch set-${index % 4}` }), ` ${one.name} `]));
  return h("div", { class: "chart-wrap" }, chart, legend);
}

/**
 * Rates per week as lines: `weeks` [{week: "YYYY-MM-DD", values: {key: 0…1 or null}}], `lines` [{key, label, cls}],
 * `references` [{label, value, cls}] drawn as dashed horizontal lines (e.g. the offline replay's figures).
 */
export function weeklyLines(weeks, lines, references, { id, title }) {
  const width = 640;
  const height = 240;
  const left = 44;
  const right = 96;
  const top = 12;
  const bottom = 30;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const x = (index) => left + (weeks.length === 1 ? plotWidth / 2 : (index / (weeks.length - 1)) * plotWidth);
  const y = (value) => top + plotHeight * (1 - Math.max(0, Math.min(1, value)));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "line-chart", id, role: "img", "aria-labelledby": `${id}-title` },
    svg("title", { id: `${id}-title` }, title));
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(svg("line", { x1: left, x2: left + plotWidth, y1: y(tick), y2: y(tick), class: tick === 0 ? "axis" : "grid" }),
      svg("text", { x: left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, `${tick * 100}%`));
  }
  for (const reference of references) {
    chart.append(svg("g", { class: `reference ${reference.cls}` },
      svg("title", {}, `${reference.label}: ${number(reference.value * 100, 1)}%`),
      svg("line", { x1: left, x2: left + plotWidth, y1: y(reference.value), y2: y(reference.value) }),
      svg("text", { x: left + plotWidth + 6, y: y(reference.value) + 4, class: "label" }, reference.label)));
  }
  for (const line of lines) {
    // A week without assignments has no rate: the line breaks there.
    let path = "";
    let pen = false;
    weeks.forEach((week, index) => {
      const value = week.values[line.key];
      if (value === null || value === undefined) { pen = false; return; }
      path += `${pen ? "L" : "M"}${x(index).toFixed(1)},${y(value).toFixed(1)} `;
      pen = true;
    });
    const group = svg("g", { class: `series ${line.cls}`, "data-series": line.key });
    if (path) group.append(svg("path", { d: path.trim() }));
    weeks.forEach((week, index) => {
      const value = week.values[line.key];
      if (value === null || value === undefined) return;
      group.append(svg("circle", { cx: x(index), cy: y(value), r: 3.5, "data-week": week.week },
        svg("title", {}, `Week of ${week.week}: ${line.label} ${number(value * 100, 1)}%`)));
    });
    chart.append(group);
  }
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 6));
  weeks.forEach((week, index) => {
    if ((weeks.length - 1 - index) % labelEvery !== 0) return; // counted back from the current week, which is always labelled
    chart.append(svg("text", { x: x(index), y: height - 10, "text-anchor": "middle", class: "tick" }, week.week.slice(5)));
  });
  const legend = h("p", { class: "legend muted" },
    lines.map((line) => [h("span", { class: `swatch ${line.cls}` }), ` ${line.label} `]),
    references.map((reference) => [h("span", { class: `swatch dashed ${reference.cls}` }), ` ${reference.label} `]));
  return h("div", { class: "chart-wrap" }, chart, legend);
}
