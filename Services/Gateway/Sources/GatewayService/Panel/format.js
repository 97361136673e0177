// Names and formats the views share.

import { number } from "./dom.js";

/** The scoring factors in the order the API explains them, with their labels. */
export const FACTORS = [
  ["skillFit", "Skill fit"],
  ["similarWork", "Similar work"],
  ["workload", "Workload"],
  ["availability", "Availability"],
  ["fairness", "Fairness"],
  ["recentActivity", "Recent activity"],
];

/** The default weights (`ScoringFactor.defaultWeights` in Shared/Model/ProjectSettings.swift). */
export const DEFAULT_WEIGHTS = { skillFit: 0.4, similarWork: 1.0, workload: 0.3, availability: 0.5, fairness: 0.2, recentActivity: 0.6 };

export const POOL_RULES = {
  recent: "Recent: resolved a ticket in the last 365 days, or declared skills",
  assignable: "Assignable in Jira",
  all: "All active people",
};

export const STATUS_NAMES = { todo: "To do", in_progress: "In progress", done: "Done" };

export const LEVELS = { 1: "1 · novice", 2: "2 · basic", 3: "3 · competent", 4: "4 · proficient", 5: "5 · expert" };

export const DAYS = [[1, "Mon"], [2, "Tue"], [3, "Wed"], [4, "Thu"], [5, "Fri"], [6, "Sat"], [7, "Sun"]];

/** Required skills as the forms write them: "kubernetes:4, css:3". */
export function requiredText(list) {
  return (list || []).map((r) => `${r.skill}:${r.minLevel}`).join(", ");
}

export function parseRequired(text) {
  return text.split(",").map((part) => part.trim()).filter(Boolean).map((part) => {
    const [skill, level] = part.split(":").map((s) => s.trim());
    return { skill, minLevel: Number(level || 1) };
  });
}

/**
 * A load or capacity as every view and the API's texts write it (`Workload.figure` in Shared/Model/Workload.swift, used by
 * the ranking's reasons and rebalance plans): rounded to a tenth, half up, no decimal for a whole number ("2.5", "10").
 */
export function loadFigure(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const tenths = Math.round(Math.max(0, value) * 10);
  return tenths % 10 === 0 ? String(tenths / 10) : `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** `part / whole` as a percentage ("–" when there is no whole). */
export function percent(part, whole, digits = 0) {
  if (!whole) return "–";
  return `${number((part / whole) * 100, digits)}%`;
}

/** A rate 0…1 as a percentage. */
export function rate(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return `${number(value * 100, digits)}%`;
}

/** Today as `YYYY-MM-DD` in the reader's time zone. */
export function today() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** The time-off range covering today, if any. */
export function awayNow(person) {
  const day = today();
  return (person?.timeOff || []).find((off) => off.start <= day && day <= off.end) || null;
}

/** A date `YYYY-MM-DD` readably ("12 Mar 2026"). */
export function day(text) {
  const date = new Date(`${text}T00:00:00`);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleDateString("en", { day: "numeric", month: "short", year: "numeric" });
}
