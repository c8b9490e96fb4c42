// Follows one run over Server-Sent Events: /tail.html?run=ID[&afterSeq=N][&type=a,b][&branch=b].
// EventSource reconnects by itself and sends Last-Event-ID; the server resumes exactly after it.
// window.runjournalTail exposes what arrived, for people and for the browser tests.
(function () {
  const params = new URLSearchParams(location.search);
  const run = params.get("run");
  const state = document.getElementById("state");
  const list = document.getElementById("events");
  const tail = (window.runjournalTail = { seqs: [], opens: 0, errors: 0, resets: [], ended: false });
  document.getElementById("run").textContent = run || "(no run given)";
  if (!run) {
    state.textContent = "add ?run=ID to the address";
    return;
  }
  const query = new URLSearchParams();
  for (const name of ["afterSeq", "type", "branch"]) {
    if (params.get(name)) query.set(name, params.get(name));
  }
  const source = new EventSource("/v1/runs/" + encodeURIComponent(run) + "/stream?" + query);
  source.onopen = () => {
    tail.opens++;
    state.textContent = "live";
  };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    tail.seqs.push(event.seq);
    const item = document.createElement("li");
    item.value = event.seq;
    item.textContent = event.type + (event.data === undefined ? "" : " " + JSON.stringify(event.data));
    list.appendChild(item);
  };
  source.addEventListener("reset", (message) => {
    const reset = JSON.parse(message.data);
    tail.resets.push(reset);
    const item = document.createElement("li");
    item.className = "reset";
    item.textContent = "reset: resumed at " + reset.head + " (last id was " + reset.lastEventId + ")";
    list.appendChild(item);
  });
  source.addEventListener("end", (message) => {
    source.close();
    tail.ended = true;
    tail.summary = JSON.parse(message.data);
    state.textContent = "ended (" + tail.summary.status + ")";
  });
  source.onerror = () => {
    tail.errors++;
    if (source.readyState === EventSource.CLOSED) {
      // The server answered 204: the run has ended and everything was delivered.
      tail.ended = true;
      state.textContent = "ended";
    } else {
      state.textContent = "reconnecting";
    }
  };
})();
