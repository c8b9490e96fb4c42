// A run's events in memory, keyed by seq, shown as a virtualised list: a fixed-height scroll
// container, a spacer as tall as all the rows, and only the rows in view (plus a few) in the DOM,
// each ROW_HEIGHT pixels high. A 100,000-event run is a few dozen elements. The selected event
// opens in a side panel as pretty-printed JSON, so row heights never change.
import { el, time } from "./dom.js";

export const ROW_HEIGHT = 28;
const OVERSCAN = 8;

export class Timeline {
  /** state: the object tests read (window.runjournalDashboard.timeline); seqs, gaps, duplicates. */
  constructor(state) {
    this.state = state;
    this.bySeq = new Map();
    this.seqs = state.seqs; // ascending, each once
    this.visible = this.seqs; // the seqs that pass the type filter
    this.type = "";
    this.types = new Set();
    this.active = -1; // index into visible
    this.detailSeq = null;
    this.follow = true;
    this.frame = 0;
    this.pool = [];
    this.listeners = { change: () => {}, follow: () => {} };

    this.spacer = el("div", { class: "timeline-spacer" });
    this.viewport = el(
      "div",
      {
        id: "timeline",
        class: "timeline",
        tabindex: "0",
        role: "listbox",
        "aria-label": "Events, oldest first. j/k or arrows move, Enter opens, Escape closes.",
        onscroll: () => this.onScroll(),
        onkeydown: (event) => this.onKey(event),
        onclick: (event) => this.onClick(event),
      },
      this.spacer
    );
    this.empty = el("p", { id: "timeline-empty", class: "muted", text: "No events yet." });
    this.detailTitle = el("h2", { id: "event-detail-title", text: "" });
    this.detailJson = el("pre", { id: "event-detail-json", tabindex: "0" });
    this.detail = el(
      "aside",
      { id: "event-detail", class: "event-detail", hidden: true, "aria-labelledby": "event-detail-title" },
      el(
        "div",
        { class: "event-detail-head" },
        this.detailTitle,
        el("button", { type: "button", id: "event-detail-close", onclick: () => this.closeDetail(true) }, "Close")
      ),
      this.detailJson
    );
    this.element = el("div", { class: "timeline-layout" }, el("div", { class: "timeline-main" }, this.viewport, this.empty), this.detail);
  }

  onChange(listener) {
    this.listeners.change = listener;
  }

  /** listener(follow) runs when scrolling turns following the tail on or off. */
  onFollow(listener) {
    this.listeners.follow = listener;
  }

  /** Adds events (any order, any overlap with what is held); returns how many were new. */
  add(events) {
    let added = 0;
    for (const event of events) {
      const seq = event.seq;
      if (typeof seq !== "number") continue;
      if (this.bySeq.has(seq)) {
        this.state.duplicates++;
        continue;
      }
      this.bySeq.set(seq, event);
      const last = this.seqs.length ? this.seqs[this.seqs.length - 1] : this.state.expectedAfter;
      if (seq > last) {
        if (seq !== last + 1) this.state.gaps.push({ after: last, next: seq });
        this.seqs.push(seq);
        if (this.visible !== this.seqs && this.matches(event)) this.visible.push(seq);
      } else {
        // Never expected from the server (it delivers in order); kept sorted all the same.
        this.seqs.splice(lowerBound(this.seqs, seq), 0, seq);
        if (this.visible !== this.seqs && this.matches(event)) this.visible.splice(lowerBound(this.visible, seq), 0, seq);
      }
      if (!this.types.has(event.type)) {
        this.types.add(event.type);
        this.state.types = Array.from(this.types).sort();
      }
      added++;
    }
    if (added) {
      this.listeners.change();
      this.schedule();
    }
    return added;
  }

  /** Forgets the events after seq (the server's journal no longer has them: a reset). */
  truncateAfter(seq) {
    while (this.seqs.length && this.seqs[this.seqs.length - 1] > seq) this.bySeq.delete(this.seqs.pop());
    if (this.visible !== this.seqs) {
      while (this.visible.length && this.visible[this.visible.length - 1] > seq) this.visible.pop();
    }
    this.state.expectedAfter = seq;
    this.active = Math.min(this.active, this.visible.length - 1);
    this.schedule();
  }

  last() {
    return this.seqs.length ? this.bySeq.get(this.seqs[this.seqs.length - 1]) : null;
  }

  lastSeq() {
    return this.seqs.length ? this.seqs[this.seqs.length - 1] : 0;
  }

  matches(event) {
    return !this.type || event.type === this.type;
  }

  setType(type) {
    const activeSeq = this.active >= 0 ? this.visible[this.active] : null;
    this.type = type;
    this.visible = type ? this.seqs.filter((seq) => this.bySeq.get(seq).type === type) : this.seqs;
    this.active = activeSeq === null ? -1 : this.visible.indexOf(activeSeq);
    this.render();
    if (this.follow) this.scrollToEnd();
    else if (this.active >= 0) this.reveal(this.active);
  }

  setFollow(follow) {
    this.follow = follow;
    this.state.follow = follow;
    if (follow) this.scrollToEnd();
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
      if (this.follow) this.scrollToEnd();
    });
  }

  scrollToEnd() {
    this.viewport.scrollTop = this.viewport.scrollHeight;
  }

  onScroll() {
    const viewport = this.viewport;
    const atEnd = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - ROW_HEIGHT / 2;
    if (atEnd !== this.follow) this.listeners.follow(atEnd);
    this.follow = atEnd;
    this.state.follow = atEnd;
    this.render();
  }

  render() {
    const count = this.visible.length;
    this.spacer.style.height = count * ROW_HEIGHT + "px";
    this.empty.hidden = count > 0;
    this.empty.textContent = this.seqs.length ? "No events of this type." : "No events yet.";
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const end = Math.min(count, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.max(0, end - first);
    while (this.pool.length < needed) this.pool.push(this.makeRow());
    const rows = this.pool.slice(0, needed);
    let activeId = null;
    rows.forEach((row, offset) => {
      const index = first + offset;
      const event = this.bySeq.get(this.visible[index]);
      this.fill(row, event, index);
      if (index === this.active) activeId = row.id;
    });
    this.spacer.replaceChildren(...rows);
    if (activeId) this.viewport.setAttribute("aria-activedescendant", activeId);
    else this.viewport.removeAttribute("aria-activedescendant");
    this.state.renderedRows = rows.length;
  }

  makeRow() {
    const row = el("div", { class: "timeline-row", role: "option" });
    row.append(
      el("span", { class: "seq mono" }),
      el("span", { class: "ts mono" }),
      el("span", { class: "type" }),
      el("span", { class: "data mono" })
    );
    return row;
  }

  fill(row, event, index) {
    row.id = "event-" + event.seq;
    row.dataset.seq = event.seq;
    row.dataset.index = index;
    row.style.top = index * ROW_HEIGHT + "px";
    const selected = index === this.active;
    row.classList.toggle("active", selected);
    row.classList.toggle("open", event.seq === this.detailSeq);
    row.setAttribute("aria-selected", selected ? "true" : "false");
    const [seq, ts, type, data] = row.children;
    seq.textContent = "#" + event.seq;
    ts.textContent = time(event.ts);
    type.textContent = event.type;
    data.textContent = event.data === undefined ? "" : preview(event.data);
  }

  onClick(event) {
    const row = event.target.closest(".timeline-row");
    if (!row) return;
    this.select(Number(row.dataset.index), /* open= */ true);
  }

  onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / ROW_HEIGHT) - 1);
    const last = this.visible.length - 1;
    const at = this.active < 0 ? this.firstInView() - 1 : this.active;
    const moves = {
      j: at + 1, ArrowDown: at + 1, k: at - 1, ArrowUp: at - 1,
      PageDown: at + page, PageUp: at - page, Home: 0, End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      this.select(Math.max(0, Math.min(last, moves[event.key])), this.detailSeq !== null);
    } else if ((event.key === "Enter" || event.key === " ") && this.active >= 0) {
      event.preventDefault();
      this.select(this.active, /* open= */ true);
    } else if (event.key === "Escape" && this.detailSeq !== null) {
      event.preventDefault();
      this.closeDetail(false);
    }
  }

  firstInView() {
    return Math.floor(this.viewport.scrollTop / ROW_HEIGHT);
  }

  select(index, open) {
    if (index < 0 || index >= this.visible.length) return;
    this.active = index;
    if (open) this.openDetail(this.visible[index]);
    this.reveal(index);
    this.render();
  }

  reveal(index) {
    const top = index * ROW_HEIGHT;
    const viewport = this.viewport;
    if (top < viewport.scrollTop) viewport.scrollTop = top;
    else if (top + ROW_HEIGHT > viewport.scrollTop + viewport.clientHeight) {
      viewport.scrollTop = top + ROW_HEIGHT - viewport.clientHeight;
    }
  }

  openDetail(seq) {
    const event = this.bySeq.get(seq);
    this.detailSeq = seq;
    this.state.detail = seq;
    this.detailTitle.textContent = "Event #" + seq + " · " + event.type;
    this.detailJson.textContent = JSON.stringify(event, null, 2);
    this.detail.hidden = false;
    this.element.classList.add("with-detail");
  }

  closeDetail(refocus) {
    this.detailSeq = null;
    this.state.detail = null;
    this.detail.hidden = true;
    this.element.classList.remove("with-detail");
    this.render();
    if (refocus) this.viewport.focus();
  }

  stop() {
    cancelAnimationFrame(this.frame);
  }
}

function preview(data) {
  const text = typeof data === "string" ? data : JSON.stringify(data);
  return text.length > 240 ? text.slice(0, 240) + "…" : text;
}

function lowerBound(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
