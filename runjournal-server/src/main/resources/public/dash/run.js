// The run view (#/runs/ID): the run's summary in a header, refreshed as events arrive, and its
// timeline of main-branch events. The timeline first reads the history in pages of 1,000
// (GET /events), then follows the live tail with EventSource from the last seq it holds. The
// browser reconnects with Last-Event-ID and the server resumes exactly after it (DESIGN §7); the
// page still keys events by seq, so a repeat is dropped, and it warns if a seq were ever skipped.
import { api, ApiError } from "./api.js";
import { el, duration, time } from "./dom.js";
import { progress, participants, status, eventCount } from "./summary.js";
import { Timeline } from "./timeline.js";

const HISTORY_PAGE = 1000;
const SUMMARY_REFRESH_MS = 1000;

export async function render(root, params) {
  const run = params.run;
  let summary;
  try {
    summary = await api.get(api.run(run));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      root.replaceChildren(
        el("h1", null, "Run ", el("span", { class: "mono", text: run })),
        el("p", { class: "muted", role: "alert", text: "There is no run " + run + " (it has no events yet, or was deleted)." }),
        el("p", null, el("a", { href: "#/runs" }, "All runs"))
      );
      return undefined;
    }
    throw error;
  }
  const view = new RunView(root, run, summary);
  view.start();
  return () => view.stop();
}

class RunView {
  constructor(root, run, summary) {
    this.run = run;
    this.summary = summary;
    this.stopped = false;
    this.source = null;
    this.timers = new Set();
    this.refreshing = null;
    this.retryDelay = 500;
    this.state = window.runjournalDashboard.timeline = {
      run,
      seqs: [],
      opens: 0,
      errors: 0,
      resets: [],
      gaps: [],
      duplicates: 0,
      expectedAfter: 0,
      historyPages: 0,
      live: false,
      ended: false,
      refused: null,
      follow: true,
      detail: null,
      renderedRows: 0,
      types: [],
    };
    this.timeline = new Timeline(this.state);
    this.build(root);
    this.showSummary();
  }

  build(root) {
    const path = api.run(this.run);
    const encoded = encodeURIComponent(this.run);
    this.statusBadge = el("span", { id: "run-status" });
    this.cards = el("div", { class: "cards", id: "run-cards" });
    this.liveState = el("span", { id: "timeline-state", class: "muted", "aria-live": "polite", text: "loading history…" });
    this.count = el("span", { id: "timeline-count", class: "muted" });
    this.warning = el("p", { id: "timeline-warning", class: "warning", role: "alert", hidden: true });
    this.typeSelect = el(
      "select",
      { id: "timeline-type", onchange: (e) => this.timeline.setType(e.target.value) },
      el("option", { value: "", text: "all types" })
    );
    this.followBox = el("input", {
      id: "timeline-follow",
      type: "checkbox",
      checked: true,
      onchange: (e) => this.timeline.setFollow(e.target.checked),
    });
    this.timeline.onFollow((follow) => (this.followBox.checked = follow));
    this.timeline.onChange(() => this.eventsArrived());
    root.replaceChildren(
      el(
        "div",
        { class: "run-head" },
        el("h1", null, "Run ", el("span", { class: "mono", text: this.run }), " ", this.statusBadge),
        el(
          "nav",
          { class: "run-links", "aria-label": "This run" },
          el("a", { href: "#/runs", id: "link-runs" }, "All runs"),
          el("a", { href: "#/runs/" + encoded + "/trace", id: "link-trace" }, "Trace"),
          el("a", { href: "#/compare?left=" + encoded, id: "link-compare" }, "Compare…"),
          el("a", { href: path + "/export", download: this.run + ".json", id: "link-export" }, "Export (bundle)"),
          el("a", { href: path + "/export?format=jsonl", download: this.run + ".jsonl", id: "link-export-jsonl" }, "Export (JSONL)")
        )
      ),
      this.cards,
      el("h2", { text: "Timeline (branch main)" }),
      el(
        "div",
        { class: "toolbar" },
        el("label", null, "Type", this.typeSelect),
        el("label", { class: "check" }, this.followBox, "Follow live tail"),
        this.liveState,
        this.count
      ),
      this.warning,
      this.timeline.element
    );
  }

  showSummary() {
    const summary = this.summary;
    this.statusBadge.replaceChildren(status(summary));
    const last = this.timeline.last();
    const lastEvent = time(summary.lastEventAt) + (last ? " · " + last.type : summary.endedBy ? " · " + summary.endedBy : "");
    const cards = [
      ["Status", summary.status || "pending"],
      ["Progress", progress(summary)],
      ["Duration", duration(summary.durationMs)],
      ["Participants", participants(summary)],
      ["Events", eventCount(summary)],
      ["Last event", lastEvent],
      ["Created", time(summary.createdAt)],
      ["Ended", summary.endedAt ? time(summary.endedAt) + (summary.endedBy ? " (" + summary.endedBy + ")" : "") : "–"],
    ];
    if (summary.error) cards.push(["Error", typeof summary.error === "string" ? summary.error : JSON.stringify(summary.error)]);
    this.cards.replaceChildren(
      ...cards.map(([label, value]) =>
        el("div", { class: "card", "data-field": label.toLowerCase().replace(" ", "-") },
          el("div", { class: "label", text: label }),
          el("div", { class: "value", text: value }))
      )
    );
  }

  async start() {
    try {
      await this.loadHistory();
    } catch (error) {
      if (this.stopped) return;
      if (error instanceof ApiError && error.status === 401) return this.toLogin();
      this.liveState.textContent = "could not read the history: " + error.message + " (reload to retry)";
      return;
    }
    if (this.stopped) return;
    this.showSummary();
    this.connect();
  }

  async loadHistory() {
    let after = 0;
    for (;;) {
      const page = await api.get(api.run(this.run) + "/events?afterSeq=" + after + "&limit=" + HISTORY_PAGE);
      if (this.stopped) return;
      this.state.historyPages++;
      this.timeline.add(page.events || []);
      if (page.next === null || page.next === undefined || !(page.events || []).length) return;
      after = page.next;
      this.liveState.textContent = "loading history… " + this.timeline.seqs.length.toLocaleString("en") + " of " + (page.head || "?").toLocaleString("en");
    }
  }

  streamUrl() {
    return api.run(this.run) + "/stream?afterSeq=" + this.timeline.lastSeq();
  }

  connect() {
    if (this.stopped) return;
    const source = (this.source = new EventSource(this.streamUrl()));
    source.onopen = () => {
      this.state.opens++;
      this.state.live = true;
      this.retryDelay = 500;
      this.liveState.textContent = "live";
    };
    source.onmessage = (message) => this.timeline.add([JSON.parse(message.data)]);
    source.addEventListener("reset", (message) => {
      const reset = JSON.parse(message.data);
      this.state.resets.push(reset);
      this.timeline.truncateAfter(reset.head);
      this.warn(
        "The server's journal ends at #" + reset.head + ", before the last event this page had (#" + reset.lastEventId +
          "): it was restored from an older copy. Events after #" + reset.head + " are shown as the server has them now."
      );
    });
    source.addEventListener("end", (message) => {
      source.close();
      this.summary = JSON.parse(message.data);
      this.ended();
    });
    source.onerror = () => {
      this.state.errors++;
      this.state.live = false;
      if (source.readyState === EventSource.CLOSED) this.explainClose();
      else this.liveState.textContent = "reconnecting…";
    };
  }

  // EventSource gives up for good on any answer but a 200 stream without saying which: a 204 (the
  // run ended and everything was delivered), a 503 (a server stopping) or a refusal. Ask again.
  async explainClose() {
    if (this.stopped) return;
    let response;
    const controller = new AbortController();
    try {
      response = await fetch(this.streamUrl(), { credentials: "same-origin", signal: controller.signal });
    } catch (error) {
      return this.retry("the server does not answer");
    }
    if (this.stopped) return controller.abort();
    if (response.status === 204) {
      this.ended();
      return;
    }
    if (response.ok || response.status === 503) {
      controller.abort();
      return response.ok ? this.connect() : this.retry("the server is restarting");
    }
    if (response.status === 401) return this.toLogin();
    let problem = {};
    try {
      problem = await response.json();
    } catch (error) {
      // not a problem document
    }
    this.state.refused = { status: response.status, type: problem.type, detail: problem.detail };
    this.liveState.textContent = "stopped: " + (problem.detail || "the server answered " + response.status) + " (reload to retry)";
  }

  retry(why) {
    this.liveState.textContent = "reconnecting… (" + why + ")";
    this.later(() => this.connect(), this.retryDelay);
    this.retryDelay = Math.min(5000, this.retryDelay * 2);
  }

  ended() {
    this.state.ended = true;
    this.state.live = false;
    this.liveState.textContent = "ended" + (this.summary.status ? " (" + this.summary.status + ")" : "");
    this.refreshSummary();
  }

  eventsArrived() {
    this.count.textContent = this.timeline.seqs.length.toLocaleString("en") + " events";
    const types = this.state.types;
    if (types.length !== this.typeSelect.options.length - 1) {
      const chosen = this.typeSelect.value;
      this.typeSelect.replaceChildren(el("option", { value: "", text: "all types" }), ...types.map((type) => el("option", { value: type, text: type })));
      this.typeSelect.value = chosen;
    }
    if (this.state.gaps.length) {
      const gap = this.state.gaps[this.state.gaps.length - 1];
      this.warn("Events #" + (gap.after + 1) + "–#" + (gap.next - 1) + " are missing from this page: reload it to read them again.");
    }
    if (this.state.live && !this.refreshing) {
      this.refreshing = this.later(() => this.refreshSummary(), SUMMARY_REFRESH_MS);
    }
  }

  async refreshSummary() {
    this.refreshing = null;
    try {
      this.summary = await api.get(api.run(this.run));
    } catch (error) {
      return; // the next events (or the end) refresh it again
    }
    if (!this.stopped) this.showSummary();
  }

  warn(text) {
    this.warning.textContent = text;
    this.warning.hidden = false;
  }

  toLogin() {
    location.hash = "#/login?next=" + encodeURIComponent(location.hash);
  }

  later(action, delay) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) action();
    }, delay);
    this.timers.add(timer);
    return timer;
  }

  stop() {
    this.stopped = true;
    if (this.source) this.source.close();
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timeline.stop();
  }
}
