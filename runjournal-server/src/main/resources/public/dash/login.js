// The login view (#/login?next=#/…): exchanges a token for the HttpOnly session cookie
// (POST /v1/auth/login), which EventSource and every fetch then send; shows who is signed in and
// logs out (POST /v1/auth/logout). A server without tokens needs none of it.
import { api, ApiError } from "./api.js";
import { el } from "./dom.js";

export async function render(root, params) {
  const next = safeNext(params.next);
  let me = null;
  try {
    me = await api.get("/v1/auth/me");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
  const heading = el("h1", { text: "Log in" });
  if (me && !me.authEnabled) {
    root.replaceChildren(
      heading,
      el("p", { id: "login-state", text: "This server has no tokens configured: the dashboard needs no login." }),
      el("p", null, el("a", { href: next }, "Continue to the dashboard"))
    );
    return undefined;
  }
  const parts = [heading];
  if (me) {
    parts.push(
      el(
        "p",
        { id: "login-state" },
        "Signed in as ",
        el("strong", { text: me.name }),
        " (scope " + me.scope + "). ",
        el("button", { type: "button", id: "logout", onclick: () => logout(root, params) }, "Log out")
      )
    );
  } else {
    parts.push(el("p", { id: "login-state", class: "muted", text: "Not signed in. Enter an API token to open a session in this browser." }));
  }
  parts.push(form(next, me !== null));
  root.replaceChildren(...parts);
  if (!me) root.querySelector("#login-token").focus();
  return undefined;
}

function form(next, signedIn) {
  const token = el("input", {
    id: "login-token",
    name: "token",
    type: "password",
    autocomplete: "current-password",
    required: true,
    spellcheck: "false",
  });
  const error = el("p", { id: "login-error", class: "error", role: "alert", hidden: true });
  const submit = el("button", { type: "submit", id: "login-submit" }, signedIn ? "Log in with another token" : "Log in");
  return el(
    "form",
    {
      id: "login-form",
      class: "login",
      onsubmit: async (event) => {
        event.preventDefault();
        error.hidden = true;
        submit.disabled = true;
        try {
          await api.post("/v1/auth/login", { token: token.value });
          token.value = "";
          await window.runjournalDashboard.whoami();
          location.hash = next;
        } catch (failure) {
          error.textContent =
            failure instanceof ApiError && failure.status === 401
              ? "That token is not valid."
              : "Could not log in: " + failure.message;
          error.hidden = false;
          token.select();
        } finally {
          submit.disabled = false;
        }
      },
    },
    el("label", null, "Token", token),
    " ",
    submit,
    error,
    el("p", { class: "muted hint", text: "The token is sent once; the server answers with a session cookie valid for 12 hours." })
  );
}

async function logout(root, params) {
  try {
    await api.post("/v1/auth/logout");
  } finally {
    await window.runjournalDashboard.whoami();
    await render(root, params);
  }
}

// Only a dashboard route may follow a login, and never the login page itself.
function safeNext(next) {
  return typeof next === "string" && next.startsWith("#/") && !next.startsWith("#/login") ? next : "#/runs";
}
