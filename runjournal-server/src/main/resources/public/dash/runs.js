// The runs view (#/runs?status=&prefix=&order=): a live list of run summaries, polled every two
// seconds while the page is visible, paged with the listing's cursor. Filters live in the hash
// query (replaceState, so changing them does not rebuild the view); the user's place — page,
// focused row, scroll — survives every refresh because rows are updated in place, keyed by run id.
import { api, ApiError } from "./api.js";
import { el, duration, time } from "./dom.js";
import { STATUSES, progress, participants, status, eventCount } from "./summary.js";

export const PAGE_SIZE = 50;
const POLL_MS = 2000;

export async function render(root, params) {
  const view = new RunsView(root, params);
  try {
    await view.load(/* initial= */ true);
  } catch (error) {
    view.stop();
    throw error; // app.js sends a 401 to the login page
  }
  return () => view.stop();
}

class RunsView {
  constructor(root, params) {
    this.filters = {
      status: STATUSES.includes(params.status) ? params.status : "",
      prefix: params.prefix || "",
      order: params.order === "id" ? "id" : "recent",
    };
    this.cursors = [null];
    this.page = 0;
    this.next = null;
    this.generation = 0;
    this.stopped = false;
    this.timer = null;
    this.rows = new Map();
    this.cells = new WeakMap();
    this.state = (window.runjournalDashboard.runs = { polls: 0, page: 1, runs: [], next: null });
    this.build(root);
    this.onVisibility = () => {
      if (document.visibilityState === "visible") this.schedule(0);
    };
    document.addEventListener("visibilitychange", this.onVisibility);
  }

  build(root) {
    const statusSelect = el(
      "select",
      { id: "runs-status", onchange: (e) => this.setFilter("status", e.target.value) },
      el("option", { value: "", text: "any" }),
      STATUSES.map((name) => el("option", { value: name, text: name }))
    );
    statusSelect.value = this.filters.status;
    let debounce = null;
    const prefixInput = el("input", {
      id: "runs-prefix",
      type: "search",
      value: this.filters.prefix,
      placeholder: "e.g. pipe-",
      autocomplete: "off",
      spellcheck: "false",
      oninput: (e) => {
        clearTimeout(debounce);
        debounce = setTimeout(() => this.setFilter("prefix", e.target.value.trim()), 250);
      },
    });
    const orderSelect = el(
      "select",
      { id: "runs-order", onchange: (e) => this.setFilter("order", e.target.value) },
      el("option", { value: "recent", text: "latest activity first" }),
      el("option", { value: "id", text: "by id" })
    );
    orderSelect.value = this.filters.order;
    this.stateText = el("span", { id: "runs-state", class: "muted", "aria-live": "polite" });
    this.errorText = el("p", { id: "runs-error", class: "error", role: "alert", hidden: true });
    this.body = el("tbody", { id: "runs-rows", onkeydown: (e) => this.onKey(e) });
    this.table = el(
      "table",
      { id: "runs-table", class: "runs" },
      el(
        "thead",
        null,
        el(
          "tr",
          null,
          el("th", { scope: "col", text: "Run" }),
          el("th", { scope: "col", text: "Status" }),
          el("th", { scope: "col", text: "Progress" }),
          el("th", { scope: "col", class: "hide-narrow", text: "Duration" }),
          el("th", { scope: "col", class: "hide-narrow", text: "Participants" }),
          el("th", { scope: "col", class: "hide-narrow", text: "Events" }),
          el("th", { scope: "col", text: "Last event" })
        )
      ),
      this.body
    );
    this.empty = el("p", { id: "runs-empty", class: "muted", hidden: true });
    this.previous = el("button", { id: "runs-previous", type: "button", onclick: () => this.turn(-1) }, "← Previous");
    this.nextButton = el("button", { id: "runs-next", type: "button", onclick: () => this.turn(1) }, "Next →");
    this.pageText = el("span", { id: "runs-page", class: "muted" });
    root.replaceChildren(
      el("h1", { text: "Runs" }),
      el(
        "div",
        { class: "toolbar", role: "search" },
        el("label", null, "Status", statusSelect),
        el("label", null, "Id prefix", prefixInput),
        el("label", null, "Order", orderSelect),
        this.stateText
      ),
      this.errorText,
      el("div", { class: "table-scroll" }, this.table),
      this.empty,
      el("nav", { class: "pager", "aria-label": "Pages" }, this.previous, this.pageText, this.nextButton),
      el("p", { class: "muted hint", text: "Keys: j/k or ↑/↓ move between runs, Enter opens one." })
    );
  }

  setFilter(name, value) {
    if (this.filters[name] === value) return;
    this.filters[name] = value;
    const query = new URLSearchParams();
    if (this.filters.status) query.set("status", this.filters.status);
    if (this.filters.prefix) query.set("prefix", this.filters.prefix);
    if (this.filters.order !== "recent") query.set("order", this.filters.order);
    const hash = "#/runs" + (query.toString() ? "?" + query : "");
    history.replaceState(null, "", hash);
    this.cursors = [null];
    this.page = 0;
    this.load();
  }

  turn(step) {
    if (step > 0 && this.next) {
      this.cursors[this.page + 1] = this.next;
      this.page++;
    } else if (step < 0 && this.page > 0) {
      this.page--;
    } else {
      return;
    }
    this.cursors.length = this.page + 1;
    this.load().then(() => {
      const first = this.body.querySelector("tr");
      if (first) this.focusRow(first);
    });
  }

  async load(initial) {
    const generation = ++this.generation;
    clearTimeout(this.timer);
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), order: this.filters.order });
    if (this.filters.status) query.set("status", this.filters.status);
    if (this.filters.prefix) query.set("prefix", this.filters.prefix);
    if (this.cursors[this.page]) query.set("cursor", this.cursors[this.page]);
    try {
      const listing = await api.get("/v1/runs?" + query);
      if (this.stopped || generation !== this.generation) return;
      this.errorText.hidden = true;
      this.show(listing.runs || [], listing.next || null);
    } catch (error) {
      if (this.stopped || generation !== this.generation) return;
      if (error instanceof ApiError && error.status === 401) {
        if (initial) throw error;
        this.stop();
        location.hash = "#/login?next=" + encodeURIComponent(location.hash || "#/runs");
        return;
      }
      this.errorText.textContent = "Could not list runs: " + error.message;
      this.errorText.hidden = false;
    }
    this.schedule(POLL_MS);
  }

  schedule(delay) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (document.visibilityState === "visible") this.load();
      else this.schedule(POLL_MS);
    }, delay);
  }

  show(runs, next) {
    this.next = next;
    this.state.polls++;
    this.state.page = this.page + 1;
    this.state.next = next;
    this.state.runs = runs.map((run) => run.id);
    const focused = document.activeElement && document.activeElement.closest("#runs-rows tr");
    const focusedId = focused ? focused.dataset.run : null;
    const wanted = runs.map((run) => this.row(run));
    const current = Array.from(this.body.children);
    const sameOrder = current.length === wanted.length && current.every((row, index) => row === wanted[index]);
    if (!sameOrder) {
      this.body.replaceChildren(...wanted);
      for (const [id, row] of this.rows) if (!wanted.includes(row)) this.rows.delete(id);
    }
    if (!wanted.some((row) => row.tabIndex === 0) && wanted.length) wanted[0].tabIndex = 0;
    if (focusedId && this.rows.has(focusedId) && document.activeElement !== this.rows.get(focusedId)) {
      this.focusRow(this.rows.get(focusedId));
    }
    this.table.hidden = runs.length === 0;
    this.empty.hidden = runs.length > 0;
    const filtered = this.filters.status || this.filters.prefix;
    this.empty.textContent = filtered
      ? "No runs match these filters."
      : "No runs yet. Runs appear here as soon as they are created.";
    this.previous.disabled = this.page === 0;
    this.nextButton.disabled = !next;
    this.pageText.textContent = "Page " + (this.page + 1);
    this.stateText.textContent = "updated " + new Date().toLocaleTimeString();
  }

  row(summary) {
    let row = this.rows.get(summary.id);
    if (!row) {
      const link = el("a", { href: "#/runs/" + encodeURIComponent(summary.id), tabindex: "-1", class: "mono" }, summary.id);
      row = el("tr", { "data-run": summary.id, tabindex: "-1", onclick: (e) => this.onClick(e, row) });
      const cells = {
        id: el("td", null, link),
        status: el("td"),
        progress: el("td"),
        duration: el("td", { class: "hide-narrow" }),
        participants: el("td", { class: "hide-narrow" }),
        events: el("td", { class: "hide-narrow" }),
        last: el("td"),
      };
      row.append(...Object.values(cells));
      this.cells.set(row, cells);
      this.rows.set(summary.id, row);
    }
    const cells = this.cells.get(row);
    cells.status.replaceChildren(status(summary));
    cells.progress.textContent = progress(summary);
    cells.duration.textContent = duration(summary.durationMs);
    cells.participants.textContent = participants(summary);
    cells.events.textContent = eventCount(summary);
    this.lastEvent(summary, cells.last);
    row.setAttribute("aria-label", summary.id + ", " + (summary.status || "pending"));
    return row;
  }

  // The summary carries the latest event's time and type (lastEventType; endedBy for runs whose
  // snapshot predates that field).
  lastEvent(summary, cell) {
    const type = summary.lastEventType || summary.endedBy;
    cell.replaceChildren(
      el("span", { class: "mono", text: time(summary.lastEventAt) }),
      type ? el("span", { class: "last-type", text: " " + type }) : null
    );
  }

  onClick(event, row) {
    if (event.target.closest("a")) return;
    this.focusRow(row);
    location.hash = "#/runs/" + encodeURIComponent(row.dataset.run);
  }

  focusRow(row) {
    for (const other of this.body.children) other.tabIndex = other === row ? 0 : -1;
    row.focus();
  }

  onKey(event) {
    const row = event.target.closest("tr");
    if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
    let target = null;
    if (event.key === "j" || event.key === "ArrowDown") target = row.nextElementSibling;
    else if (event.key === "k" || event.key === "ArrowUp") target = row.previousElementSibling;
    else if (event.key === "Home") target = this.body.firstElementChild;
    else if (event.key === "End") target = this.body.lastElementChild;
    else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      location.hash = "#/runs/" + encodeURIComponent(row.dataset.run);
      return;
    } else return;
    event.preventDefault();
    if (target) this.focusRow(target);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener("visibilitychange", this.onVisibility);
  }
}
