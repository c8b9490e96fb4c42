// Follows one run over Server-Sent Events: /tail.html?run=ID[&afterSeq=N][&type=a,b][&branch=b].
// EventSource reconnects by itself and sends Last-Event-ID; the server resumes exactly after it.
// window.runjournalTail exposes what arrived, for people and for the browser tests.
(function () {
  const params = new URLSearchParams(location.search);
  const run = params.get("run");
  const state = document.getElementById("state");
  const list = document.getElementById("events");
  const tail = (window.runjournalTail = {
    seqs: [],
    opens: 0,
    errors: 0,
    resets: [],
    ended: false,
    refused: null,
    lastId: null,
  });
  document.getElementById("run").textContent = run || "(no run given)";
  if (!run) {
    state.textContent = "add ?run=ID to the address";
    return;
  }
  const query = new URLSearchParams();
  for (const name of ["afterSeq", "type", "branch"]) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  const path = "/v1/runs/" + encodeURIComponent(run) + "/stream";
  let source = null;

  function end(text) {
    tail.ended = true;
    state.textContent = text;
  }

  function connect() {
    source = new EventSource(path + "?" + query);
    source.onopen = () => {
      tail.opens++;
      state.textContent = "live";
    };
    source.onmessage = (message) => {
      const event = JSON.parse(message.data);
      tail.lastId = message.lastEventId;
      tail.seqs.push(event.seq);
      const item = document.createElement("li");
      item.value = event.seq;
      item.textContent = event.type + (event.data === undefined ? "" : " " + JSON.stringify(event.data));
      list.appendChild(item);
    };
    source.addEventListener("reset", (message) => {
      const reset = JSON.parse(message.data);
      tail.lastId = message.lastEventId;
      tail.resets.push(reset);
      const item = document.createElement("li");
      item.className = "reset";
      item.textContent = "reset: resumed at " + reset.head + " (last id was " + reset.lastEventId + ")";
      list.appendChild(item);
    });
    source.addEventListener("end", (message) => {
      source.close();
      tail.summary = JSON.parse(message.data);
      end("ended (" + tail.summary.status + ")");
    });
    source.onerror = () => {
      tail.errors++;
      if (source.readyState === EventSource.CLOSED) {
        explainClose();
      } else {
        state.textContent = "reconnecting";
      }
    };
  }

  // EventSource gives up for good on any answer but a 200 stream, and does not say which: a 204
  // (the run has ended and everything was delivered) or a refusal (429 too many subscribers, 503
  // the server is stopping). Ask the same question again with fetch to tell them apart.
  async function explainClose() {
    const headers = tail.lastId ? { "Last-Event-ID": tail.lastId } : {};
    const controller = new AbortController();
    let response;
    try {
      response = await fetch(path + "?" + query, { headers, signal: controller.signal });
    } catch (error) {
      state.textContent = "stopped: " + error.message + " (reload to retry)";
      tail.refused = { status: 0, detail: error.message };
      return;
    }
    if (response.status === 204) {
      end("ended");
      return;
    }
    if (response.ok || response.status === 503) {
      // The stream is there again (or the server restarts): follow on from the last id.
      controller.abort();
      if (tail.lastId) query.set("afterSeq", tail.lastId);
      state.textContent = "reconnecting";
      setTimeout(connect, response.ok ? 0 : 1000);
      return;
    }
    let problem = {};
    try {
      problem = await response.json();
    } catch (error) {
      // not a problem document
    }
    tail.refused = { status: response.status, type: problem.type, detail: problem.detail };
    state.textContent =
      "stopped: " + (problem.detail || "the server answered " + response.status) + " (reload to retry)";
  }

  connect();
})();
