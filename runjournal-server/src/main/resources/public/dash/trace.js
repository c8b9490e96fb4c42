// The trace view (#/runs/ID/trace, optional ?branch=): the span waterfall of GET /v1/runs/ID/trace.
// One row per span in tree order, indented by depth, with a bar on a time axis from the earliest
// start to the latest end; an unfinished span (opened, never closed) runs to the run's last event
// and says "unfinished". A row's button opens its details (logs, attributes, links, body); the
// triangle folds its subtree. Keys on a row: ↑/↓ or k/j move, → unfolds or goes to the first
// child, ← folds or goes to the parent, Home/End, Enter/Space open the details.
import { api, ApiError } from "./api.js";
import { el, duration, time, message } from "./dom.js";
import { useStyle } from "./style.js";

export async function render(root, params) {
  await useStyle("/dash/trace.css");
  const run = params.run;
  const branch = params.branch || null;
  const query = branch ? "?branch=" + encodeURIComponent(branch) : "";
  publish({ run, branch, loaded: false });
  message(root, "Loading the trace of " + run + "…");
  let trace;
  try {
    trace = await api.get(api.run(run) + "/trace" + query);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      const text = error.status === 404 ? "There is no run " + run + "." : error.message;
      root.replaceChildren(
        header(run, branch, () => render(root, params)),
        el("p", { class: "error", role: "alert", text })
      );
      publish({ run, branch, loaded: true, error: text });
      return;
    }
    throw error;
  }
  const rows = flatten(trace.roots || []);
  const axis = timeAxis(rows, trace.lastEventAt);
  const unattached = trace.unattachedLogs || [];
  root.replaceChildren(
    header(run, branch, () => render(root, params)),
    summary(trace, unattached.length),
    rows.length ? waterfall(rows, axis) : el("p", { class: "muted", text: "No spans in this run." }),
    unattachedLogs(unattached, axis)
  );
  publish({
    run,
    branch,
    loaded: true,
    spans: trace.spans,
    unfinished: trace.unfinished,
    logs: trace.logs,
    rows: rows.map((row) => ({
      spanId: row.span.spanId,
      name: row.span.name,
      depth: row.depth,
      finished: row.span.finished !== false,
    })),
  });
}

function publish(state) {
  window.runjournalDashboard = window.runjournalDashboard || {};
  window.runjournalDashboard.trace = state;
}

function header(run, branch, reload) {
  const otlp = api.run(run) + "/trace?format=otlp" + (branch ? "&branch=" + encodeURIComponent(branch) : "");
  return el(
    "div",
    { class: "trace-head" },
    el("h1", {}, "Trace of ", el("span", { class: "mono", text: run }), branch ? " (branch " + branch + ")" : ""),
    el(
      "p",
      { class: "toolbar" },
      el("a", { href: "#/runs/" + encodeURIComponent(run), text: "← Run " + run }),
      el("a", { href: otlp, type: "application/json", text: "OTLP JSON" }),
      el("button", { type: "button", onclick: reload, text: "Reload" })
    )
  );
}

function summary(trace, unattached) {
  const parts = [
    plural(trace.spans, "span"),
    trace.unfinished + " unfinished",
    plural(trace.logs, "log") + (unattached ? " (" + unattached + " outside any span)" : ""),
  ];
  if (trace.malformedRecords) parts.push(plural(trace.malformedRecords, "malformed record") + " left out");
  parts.push("last event " + time(trace.lastEventAt));
  return el("p", { class: "trace-summary", id: "trace-summary", text: parts.join(" · ") });
}

function plural(count, noun) {
  return count + " " + noun + (count === 1 ? "" : "s");
}

/** The tree in display order: each row knows its depth, parent and children. */
function flatten(roots) {
  const rows = [];
  const walk = (span, depth, parent) => {
    const row = { span, depth, parent, children: [], folded: false, index: rows.length };
    rows.push(row);
    if (parent) parent.children.push(row);
    for (const child of span.children || []) walk(child, depth + 1, row);
  };
  roots.forEach((span) => walk(span, 0, null));
  return rows;
}

function millis(ts) {
  const value = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(value) ? null : value;
}

/** Where each span starts and ends on the axis; unfinished spans end at the run's last event. */
function timeAxis(rows, lastEventAt) {
  const last = millis(lastEventAt);
  let from = Infinity;
  let to = -Infinity;
  for (const row of rows) {
    const start = millis(row.span.start);
    let end = row.span.finished === false ? last : millis(row.span.end);
    if (start === null) continue;
    if (end === null || end < start) end = start;
    row.start = start;
    row.end = end;
    from = Math.min(from, start);
    to = Math.max(to, end);
  }
  if (from === Infinity) {
    from = last || 0;
    to = from;
  }
  return { from, to, width: Math.max(1, to - from) };
}

function waterfall(rows, axis) {
  const list = el("ol", { class: "waterfall", "aria-label": "Spans in tree order" });
  list.append(axisRow(axis));
  for (const row of rows) {
    row.node = spanRow(row, axis);
    list.append(row.node);
  }
  list.addEventListener("keydown", (event) => onKey(event, rows));
  return el("div", { class: "waterfall-box" }, list);
}

function axisRow(axis) {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) =>
    styled(el("span", { class: "tick", text: duration(Math.round(axis.width * fraction)) }), { left: fraction * 100 + "%" })
  );
  return el(
    "li",
    { class: "span-line axis", "aria-hidden": "true" },
    el("span", { class: "col-name", text: "Span" }),
    el("span", { class: "track" }, ticks),
    el("span", { class: "col-duration", text: "Duration" }),
    el("span", { class: "col-status", text: "Status" }),
    el("span", { class: "col-logs", text: "Logs" })
  );
}

function spanRow(row, axis) {
  const span = row.span;
  const unfinished = span.finished === false;
  const detailsId = "span-details-" + row.index;
  const toggle = el("button", {
    type: "button",
    class: "span-toggle",
    "aria-expanded": "false",
    "aria-controls": detailsId,
    title: "Show the logs and attributes of " + span.name,
    onclick: () => toggleDetails(row, axis),
  });
  toggle.append(el("span", { class: "span-name", text: span.name }));
  if (span.source) toggle.append(el("span", { class: "span-source", text: span.source }));
  row.toggle = toggle;
  const fold = row.children.length
    ? el("button", {
        type: "button",
        class: "fold",
        "aria-expanded": "true",
        "aria-label": "Fold the " + plural(row.children.length, "child span") + " of " + span.name,
        onclick: () => setFolded(row, !row.folded),
        text: "▾",
      })
    : el("span", { class: "fold-none", "aria-hidden": "true" });
  row.fold = fold;
  const logs = span.logs || [];
  const status = unfinished
    ? el("span", { class: "badge unfinished", text: "unfinished" })
    : span.status === "error"
      ? el("span", { class: "status-error", title: span.error || "" }, el("strong", { text: "error" }), span.error ? ": " + span.error : "")
      : el("span", { class: "status-" + (span.status || "ok"), text: span.status || "ok" });
  const line = el(
    "div",
    { class: "span-line" },
    styled(el("span", { class: "col-name" }, fold, toggle), { paddingLeft: Math.min(row.depth, 24) * 1.1 + "rem" }),
    bar(row, axis, unfinished),
    el("span", { class: "col-duration", text: spanDuration(row, unfinished) }),
    el("span", { class: "col-status" }, status),
    el("span", { class: "col-logs", text: logs.length ? plural(logs.length, "log") : "" })
  );
  return el(
    "li",
    {
      class: "span-row" + (unfinished ? " is-unfinished" : "") + (span.status === "error" ? " is-error" : ""),
      "data-depth": row.depth,
      "data-span-id": span.spanId,
    },
    line,
    el("div", { class: "span-details", id: detailsId, hidden: true })
  );
}

function spanDuration(row, unfinished) {
  if (unfinished) return row.start === undefined ? "–" : "≥ " + duration(row.end - row.start) + " (so far)";
  return duration(row.span.durationMs);
}

function bar(row, axis, unfinished) {
  if (row.start === undefined) return el("span", { class: "track" });
  const left = ((row.start - axis.from) / axis.width) * 100;
  const width = ((row.end - row.start) / axis.width) * 100;
  const kind = unfinished ? " bar-unfinished" : row.span.status === "error" ? " bar-error" : "";
  const label = unfinished
    ? row.span.name + ": unfinished, open for at least " + duration(row.end - row.start)
    : row.span.name + ": " + duration(row.span.durationMs);
  return el(
    "span",
    { class: "track" },
    styled(el("span", { class: "bar" + kind, title: label }), { left: left + "%", width: width + "%" })
  );
}

// Through the CSSOM, not a style attribute, so a strict Content-Security-Policy would not block it.
function styled(node, properties) {
  Object.assign(node.style, properties);
  return node;
}

function setFolded(row, folded) {
  row.folded = folded;
  row.fold.textContent = folded ? "▸" : "▾";
  row.fold.setAttribute("aria-expanded", String(!folded));
  row.fold.setAttribute(
    "aria-label",
    (folded ? "Unfold the " : "Fold the ") + plural(row.children.length, "child span") + " of " + row.span.name
  );
  const hide = (children, hidden) => {
    for (const child of children) {
      child.node.hidden = hidden;
      hide(child.children, hidden || child.folded);
    }
  };
  hide(row.children, folded || isHidden(row));
}

function isHidden(row) {
  for (let parent = row.parent; parent; parent = parent.parent) if (parent.folded) return true;
  return false;
}

function toggleDetails(row, axis) {
  const details = row.node.querySelector(".span-details");
  const open = details.hidden;
  if (open && !details.hasChildNodes()) details.append(...spanDetails(row.span, axis));
  details.hidden = !open;
  row.toggle.setAttribute("aria-expanded", String(open));
}

function spanDetails(span, axis) {
  const facts = [
    ["span id", span.spanId],
    ["parent", span.parentSpanId],
    ["source", span.source],
    ["start", time(span.start)],
    ["end", span.finished === false ? "unfinished (never closed)" : time(span.end)],
    ["status", span.status],
    ["error", span.error],
  ].filter(([, value]) => value !== undefined && value !== null);
  const parts = [
    el("dl", { class: "facts" }, facts.flatMap(([name, value]) => [el("dt", { text: name }), el("dd", { text: String(value) })])),
  ];
  const attributes = Object.entries(span.attributes || {});
  if (attributes.length) parts.push(el("h3", { text: "Attributes" }), attributeTable(attributes));
  if (span.links && span.links.length) {
    parts.push(
      el("h3", { text: "Links" }),
      el("ul", {}, span.links.map((link) => el("li", { class: "mono", text: link.spanId + (link.run ? " in run " + link.run : "") })))
    );
  }
  if (span.body !== undefined) parts.push(el("h3", { text: "Body" }), el("pre", { text: pretty(span.body) }));
  const logs = span.logs || [];
  parts.push(el("h3", { text: logs.length ? plural(logs.length, "log") : "No logs" }));
  if (logs.length) parts.push(logList(logs, millis(span.start)));
  return parts;
}

function pretty(value) {
  if (typeof value === "string") {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch (e) {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}

function attributeTable(entries) {
  return el(
    "table",
    { class: "attributes" },
    el("tbody", {}, entries.map(([key, value]) => el("tr", {}, el("th", { scope: "row", class: "mono", text: key }), el("td", { class: "mono", text: show(value) }))))
  );
}

function show(value) {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function logList(logs, since) {
  return el(
    "ol",
    { class: "log-list" },
    logs.map((log) => {
      const at = millis(log.timestamp);
      const offset = since !== null && at !== null ? "+" + duration(at - since) : time(log.timestamp);
      const attributes = Object.entries(log.attributes || {});
      return el(
        "li",
        { class: "log level-" + log.level },
        el("span", { class: "log-at mono", title: time(log.timestamp), text: offset }),
        el("span", { class: "log-level", text: log.level }),
        el("span", { class: "log-msg", text: log.msg }),
        attributes.length
          ? el("span", { class: "log-attrs mono", text: attributes.map(([key, value]) => key + "=" + show(value)).join(" ") })
          : null
      );
    })
  );
}

function unattachedLogs(logs, axis) {
  if (!logs.length) return el("p", { class: "muted", text: "Every log belongs to a span." });
  return el(
    "section",
    { class: "unattached", "aria-labelledby": "unattached-title" },
    el("h2", { id: "unattached-title", text: "Logs outside any span (" + logs.length + ")" }),
    el(
      "table",
      {},
      el("thead", {}, el("tr", {}, ["Time", "Level", "Source", "Message", "Attributes"].map((name) => el("th", { text: name })))),
      el(
        "tbody",
        {},
        logs.map((log) =>
          el(
            "tr",
            { class: "log level-" + log.level },
            el("td", { class: "mono", text: time(log.timestamp) }),
            el("td", { class: "log-level", text: log.level }),
            el("td", { text: log.source || "" }),
            el("td", { text: log.msg + (log.spanId ? " (span " + log.spanId + " is not in this trace)" : "") }),
            el("td", { class: "mono", text: Object.entries(log.attributes || {}).map(([key, value]) => key + "=" + show(value)).join(" ") })
          )
        )
      )
    )
  );
}

function visibleRows(rows) {
  return rows.filter((row) => !row.node.hidden);
}

function onKey(event, rows) {
  const item = event.target.closest(".span-row");
  if (!item) return;
  const row = rows.find((candidate) => candidate.node === item);
  const visible = visibleRows(rows);
  const at = visible.indexOf(row);
  let next = null;
  switch (event.key) {
    case "ArrowDown":
    case "j":
      next = visible[at + 1];
      break;
    case "ArrowUp":
    case "k":
      next = visible[at - 1];
      break;
    case "Home":
      next = visible[0];
      break;
    case "End":
      next = visible[visible.length - 1];
      break;
    case "ArrowRight":
      if (row.children.length && row.folded) setFolded(row, false);
      else next = row.children[0];
      break;
    case "ArrowLeft":
      if (row.children.length && !row.folded) setFolded(row, true);
      else next = row.parent;
      break;
    default:
      return;
  }
  event.preventDefault();
  if (next) next.toggle.focus();
}
