// The dashboard shell: a hash router (#/runs, #/runs/ID, #/runs/ID/trace, #/compare?left=&right=,
// #/login). Each view module exports render(root, params) and may return a function that stops
// what it started (polling, EventSource) when the view is left.
import { api, ApiError } from "./api.js";
import { message } from "./dom.js";

const routes = [
  { pattern: /^\/runs\/?$/, nav: "runs", load: () => import("./runs.js") },
  { pattern: /^\/runs\/([^/]+)\/trace$/, nav: "runs", load: () => import("./trace.js"), keys: ["run"] },
  { pattern: /^\/runs\/([^/]+)$/, nav: "runs", load: () => import("./run.js"), keys: ["run"] },
  { pattern: /^\/compare$/, nav: "compare", load: () => import("./compare.js") },
  { pattern: /^\/login$/, nav: "login", load: () => import("./login.js") },
];

const main = document.getElementById("main");
let stop = null;
let shown = 0; // which show() is current: a view that finishes rendering after the next began is stopped

function parse(hash) {
  const raw = (hash || "").replace(/^#/, "") || "/runs";
  const [path, query] = raw.split("?");
  return { path, query: new URLSearchParams(query || "") };
}

async function show() {
  if (typeof stop === "function") stop();
  stop = null;
  const current = ++shown;
  const { path, query } = parse(location.hash);
  const route = routes.find((candidate) => candidate.pattern.test(path));
  document.querySelectorAll("[data-nav]").forEach((link) => {
    link.toggleAttribute("aria-current", route && link.dataset.nav === route.nav);
  });
  if (!route) {
    message(main, "No such page: " + path, "error");
    return;
  }
  const match = path.match(route.pattern);
  const params = Object.fromEntries(query);
  (route.keys || []).forEach((key, index) => (params[key] = decodeURIComponent(match[index + 1])));
  try {
    const view = await route.load();
    const stopView = await view.render(main, params);
    if (current === shown) stop = stopView;
    else if (typeof stopView === "function") stopView();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.hash = "#/login?next=" + encodeURIComponent(location.hash || "#/runs");
      return;
    }
    message(main, "Could not show this page: " + error.message, "error");
  }
}

async function whoami() {
  try {
    const me = await api.get("/v1/auth/me");
    const name = me && me.authEnabled !== false && (me.name || me.principal || me.token);
    document.getElementById("whoami").textContent = name ? "signed in as " + name : "";
  } catch (error) {
    document.getElementById("whoami").textContent = "";
  }
}

window.addEventListener("hashchange", show);
window.runjournalDashboard = { show, whoami };
whoami();
show();
