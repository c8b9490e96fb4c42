// How a run summary (the projection of DESIGN §8) reads on the runs and run pages.
import { el } from "./dom.js";

export const STATUSES = ["pending", "running", "succeeded", "failed", "cancelled", "interrupted"];

export function progress(summary) {
  const value = summary && summary.progress;
  if (!value) return "–";
  if (typeof value.completed === "number" && typeof value.total === "number" && value.total > 0) {
    return value.completed + " / " + value.total + " (" + round((100 * value.completed) / value.total) + " %)";
  }
  if (typeof value.percent === "number") return round(value.percent) + " %";
  if (typeof value.completed === "number") return String(value.completed);
  return JSON.stringify(value);
}

function round(number) {
  return Math.round(number * 10) / 10;
}

export function participants(summary) {
  const list = (summary && summary.participants) || [];
  return list.length ? list.join(", ") : "–";
}

export function status(summary) {
  const value = (summary && summary.status) || "pending";
  return el("span", { class: "status status-" + value, text: value });
}

export function eventCount(summary) {
  return summary && typeof summary.eventCount === "number" ? summary.eventCount.toLocaleString("en") : "–";
}
