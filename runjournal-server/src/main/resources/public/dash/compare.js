// The compare view (#/compare?left=A&right=B): a form for the two run ids, then POST
// /v1/runs/compare (DESIGN §8) with both summaries side by side, every field of the diff in one
// table, and the events of both runs around the first divergence (position N of the main branch's
// type sequence is seq N: seqs are dense per branch), highlighted and labelled.
import { api, ApiError } from "./api.js";
import { el, duration, time } from "./dom.js";
import { useStyle } from "./style.js";

const AROUND = 3;

export async function render(root, params) {
  await useStyle("/dash/compare.css");
  const left = (params.left || "").trim();
  const right = (params.right || "").trim();
  const result = el("div", { class: "compare-result", "aria-live": "polite" });
  root.replaceChildren(el("h1", { text: "Compare two runs" }), form(root, left, right), result);
  publish({ left, right, loaded: false });
  if (!left || !right) {
    result.append(el("p", { class: "muted", text: "Enter two run ids to compare them." }));
    publish({ left, right, loaded: true });
    return;
  }
  result.append(el("p", { class: "muted", text: "Comparing " + left + " with " + right + "…" }));
  let diff;
  try {
    diff = await api.post("/v1/runs/compare", { left, right });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      const text = refusal(error, left, right);
      result.replaceChildren(el("p", { class: "error", role: "alert", id: "compare-error", text }));
      markInvalid(root, error.problem);
      publish({ left, right, loaded: true, error: text });
      return;
    }
    throw error;
  }
  const [leftRun, rightRun, around] = await Promise.all([
    api.get(api.run(left)),
    api.get(api.run(right)),
    divergenceWindow(diff),
  ]);
  result.replaceChildren(
    sideBySide(leftRun, rightRun),
    diffTable(diff, leftRun, rightRun),
    divergence(diff, around)
  );
  publish({ left, right, loaded: true, firstDivergence: diff.firstDivergence });
}

function publish(state) {
  window.runjournalDashboard = window.runjournalDashboard || {};
  window.runjournalDashboard.compare = state;
}

function form(root, left, right) {
  const field = (name, value) =>
    el(
      "label",
      {},
      name === "left" ? "Left run" : "Right run",
      el("input", { name, id: "compare-" + name, value, required: true, autocomplete: "off", spellcheck: "false" })
    );
  const node = el(
    "form",
    { class: "toolbar compare-form", role: "search", "aria-label": "Runs to compare" },
    field("left", left),
    field("right", right),
    el("button", { type: "submit", text: "Compare" })
  );
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(node);
    const hash =
      "#/compare?left=" + encodeURIComponent(String(data.get("left")).trim()) + "&right=" + encodeURIComponent(String(data.get("right")).trim());
    if (location.hash === hash) render(root, { left: data.get("left"), right: data.get("right") });
    else location.hash = hash;
  });
  return node;
}

/** A 404 names the missing side (the problem carries "left" or "right"); a 400 says what is wrong. */
function refusal(error, left, right) {
  const problem = error.problem || {};
  if (error.status === 404) {
    if (problem.left !== undefined) return "The left run " + problem.left + " does not exist.";
    if (problem.right !== undefined) return "The right run " + problem.right + " does not exist.";
    return error.message;
  }
  return "Cannot compare " + left + " with " + right + ": " + error.message;
}

function markInvalid(root, problem) {
  for (const side of ["left", "right"]) {
    const input = root.querySelector("#compare-" + side);
    if (input && problem && problem[side] !== undefined) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", "compare-error");
    }
  }
}

function sideBySide(leftRun, rightRun) {
  return el(
    "section",
    { class: "sides", "aria-label": "The two runs" },
    summaryCard("Left", leftRun),
    summaryCard("Right", rightRun)
  );
}

function summaryCard(side, run) {
  const facts = [
    ["status", el("span", { class: "status-" + run.status, text: run.status })],
    ["duration", duration(run.durationMs)],
    ["events", String(run.eventCount)],
    ["progress", progress(run.progress)],
    ["participants", (run.participants || []).join(", ") || "–"],
    ["signals", counts(run.signals)],
    ["confidence", run.confidence === undefined ? "–" : String(run.confidence)],
    ["created", time(run.createdAt)],
    ["started", time(run.startedAt)],
    ["ended", time(run.endedAt) + (run.endedBy ? " (" + run.endedBy + ")" : "")],
    ["last event", time(run.lastEventAt)],
  ];
  if (run.error !== undefined) facts.push(["error", typeof run.error === "string" ? run.error : JSON.stringify(run.error)]);
  if (run.malformedLines) facts.push(["malformed lines", String(run.malformedLines)]);
  return el(
    "article",
    { class: "side", "data-side": side.toLowerCase(), "aria-label": side + " run " + run.id },
    el("h2", {}, side + ": ", el("a", { href: "#/runs/" + encodeURIComponent(run.id), class: "mono", text: run.id })),
    el("dl", { class: "facts" }, facts.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", {}, value)]))
  );
}

function progress(value) {
  if (!value) return "–";
  if (value.percent !== undefined) return value.percent + " %";
  if (value.completed !== undefined) return value.completed + (value.total !== undefined ? " / " + value.total : "");
  return JSON.stringify(value);
}

function counts(map) {
  const entries = Object.entries(map || {});
  return entries.length ? entries.map(([name, count]) => name + " × " + count).join(", ") : "–";
}

function signed(value, format) {
  if (value === null || value === undefined) return "–";
  const text = format ? format(Math.abs(value)) : String(Math.round(Math.abs(value) * 1e6) / 1e6);
  return (value > 0 ? "+" : value < 0 ? "−" : "±") + text;
}

function verdict(equal) {
  return el("span", { class: equal ? "same" : "differs", text: equal ? "equal" : "different" });
}

function list(values) {
  return values && values.length ? values.join(", ") : "–";
}

/** Every field of the comparison: the known ones in words, anything newer as JSON. */
function diffTable(diff, leftRun, rightRun) {
  const rows = [];
  const row = (field, left, right, change, equal) =>
    rows.push(
      el(
        "tr",
        { class: equal ? "" : "is-different", "data-field": field },
        el("th", { scope: "row", text: field }),
        el("td", {}, left),
        el("td", {}, right),
        el("td", {}, change),
        el("td", {}, verdict(equal))
      )
    );
  row("status", diff.status.left, diff.status.right, diff.statusMatch ? "same status" : "status differs", diff.statusMatch);
  row("durationMs", duration(diff.durationMs.left), duration(diff.durationMs.right), signed(diff.durationDeltaMs, duration), diff.durationDeltaMs === 0);
  row(
    "confidence",
    leftRun.confidence === undefined ? "–" : String(leftRun.confidence),
    rightRun.confidence === undefined ? "–" : String(rightRun.confidence),
    signed(diff.confidenceDelta),
    diff.confidenceDelta === null ? leftRun.confidence === rightRun.confidence : diff.confidenceDelta === 0
  );
  row(
    "progress",
    progress(leftRun.progress),
    progress(rightRun.progress),
    diff.progressDelta === null ? "–" : signed(diff.progressDelta) + " points",
    diff.progressDelta === null ? progress(leftRun.progress) === progress(rightRun.progress) : diff.progressDelta === 0
  );
  for (const [field, name] of [["participantsDiff", "participants"], ["signalsDiff", "signals"]]) {
    const set = diff[field];
    row(
      name,
      "only here: " + list(set.removed),
      "only here: " + list(set.added),
      "in both: " + list(set.common),
      !set.added.length && !set.removed.length
    );
  }
  const types = Object.entries(diff.countsByTypeDiff || {});
  const countsEqual = types.every(([, count]) => count.delta === 0);
  row("countsByType", plural(types.length, "type"), "", countsEqual ? "same counts" : types.filter(([, c]) => c.delta !== 0).length + " differ", countsEqual);
  const position = diff.firstDivergence ? diff.firstDivergence.position : null;
  row(
    "firstDivergence",
    position === null ? "–" : typeOrEnd(diff.firstDivergence.leftType),
    position === null ? "–" : typeOrEnd(diff.firstDivergence.rightType),
    position === null ? "the same sequence of event types" : "at position " + position,
    position === null
  );
  const known = new Set([
    "left", "right", "statusMatch", "status", "durationMs", "durationDeltaMs", "confidenceDelta", "progressDelta",
    "participantsDiff", "signalsDiff", "countsByTypeDiff", "firstDivergence",
  ]);
  for (const [field, value] of Object.entries(diff)) {
    if (!known.has(field)) rows.push(el("tr", {}, el("th", { scope: "row", text: field }), el("td", { colspan: 4, class: "mono", text: JSON.stringify(value) })));
  }
  return el(
    "section",
    { "aria-labelledby": "diff-title" },
    el("h2", { id: "diff-title", text: "Differences" }),
    el(
      "div",
      { class: "table-box" },
      el(
        "table",
        { class: "diff" },
        el("thead", {}, el("tr", {}, ["Field", "Left", "Right", "Change (right − left)", ""].map((name) => el("th", { scope: "col", text: name })))),
        el("tbody", {}, rows)
      )
    ),
    countsTable(types)
  );
}

function typeOrEnd(type) {
  return type === null || type === undefined ? "(no more events)" : type;
}

function plural(count, noun) {
  return count + " " + noun + (count === 1 ? "" : "s");
}

function countsTable(types) {
  if (!types.length) return null;
  return el(
    "div",
    { class: "table-box" },
    el(
      "table",
      { class: "diff counts", "aria-label": "Events by type" },
      el("caption", { text: "Events by type" }),
      el("thead", {}, el("tr", {}, ["Type", "Left", "Right", "Δ", ""].map((name) => el("th", { scope: "col", text: name })))),
      el(
        "tbody",
        {},
        types.map(([type, count]) =>
          el(
            "tr",
            { class: count.delta ? "is-different" : "", "data-type": type },
            el("th", { scope: "row", class: "mono", text: type }),
            el("td", { text: String(count.left) }),
            el("td", { text: String(count.right) }),
            el("td", { text: signed(count.delta) }),
            el("td", {}, verdict(count.delta === 0))
          )
        )
      )
    )
  );
}

/** Both runs' events from a few before the divergence to a few after it. */
async function divergenceWindow(diff) {
  if (!diff.firstDivergence) return null;
  const position = diff.firstDivergence.position;
  const after = Math.max(0, position - 1 - AROUND);
  const read = (run) => api.get(api.run(run) + "/events?afterSeq=" + after + "&limit=" + (2 * AROUND + 1)).then((page) => page.events || []);
  const [left, right] = await Promise.all([read(diff.left), read(diff.right)]);
  return { position, left, right };
}

function divergence(diff, around) {
  const section = el("section", { class: "divergence", "aria-labelledby": "divergence-title" }, el("h2", { id: "divergence-title", text: "First divergence" }));
  if (!around) {
    section.append(el("p", { text: "None: both runs have the same sequence of event types." }));
    return section;
  }
  const { position } = around;
  section.append(
    el(
      "p",
      {},
      "The sequences of event types first differ at position " + position + ": ",
      el("code", { text: typeOrEnd(diff.firstDivergence.leftType) }),
      " on the left, ",
      el("code", { text: typeOrEnd(diff.firstDivergence.rightType) }),
      " on the right."
    ),
    el("div", { class: "sides" }, eventList("Left", diff.left, around.left, position), eventList("Right", diff.right, around.right, position))
  );
  return section;
}

function eventList(side, run, events, position) {
  const items = events.map((event) =>
    el(
      "li",
      { class: event.seq === position ? "diverges" : "", "data-seq": event.seq, "aria-current": event.seq === position ? "true" : null },
      el("span", { class: "seq mono", text: "#" + event.seq }),
      el("span", { class: "type mono", text: event.type }),
      el("span", { class: "ts muted", text: time(event.ts) }),
      event.seq === position ? el("strong", { class: "marker", text: "first divergence" }) : null
    )
  );
  if (!events.some((event) => event.seq === position)) {
    items.push(
      el(
        "li",
        { class: "diverges", "data-seq": position },
        el("span", { class: "seq mono", text: "#" + position }),
        el("span", { class: "type", text: "(no event: the run ends at #" + (position - 1) + ")" }),
        el("strong", { class: "marker", text: "first divergence" })
      )
    );
  }
  return el(
    "article",
    { class: "side", "data-side": side.toLowerCase() },
    el("h3", {}, side + ": ", el("span", { class: "mono", text: run })),
    el("ol", { class: "events", "aria-label": side + " run events around the first divergence" }, items)
  );
}
