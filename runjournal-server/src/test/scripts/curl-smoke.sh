#!/usr/bin/env bash
# Smoke test of the HTTP API with nothing but curl and grep: appends (an object, an atomic batch,
# NDJSON, an idempotent retry), replays (JSON and NDJSON), then follows the run with `curl -N`
# while the last events are appended, until the server sends the `end` frame and closes.
# Exits non-zero, printing what it saw, on the first mismatch.
#
# usage: curl-smoke.sh BASE_URL        e.g. curl-smoke.sh http://127.0.0.1:7070
set -euo pipefail

base=${1:?usage: curl-smoke.sh BASE_URL}
base=${base%/}
run="curl-smoke-$$-$RANDOM"
events="$base/v1/runs/$run/events"
work=$(mktemp -d)
follower=
cleanup() {
  [[ -n $follower ]] && kill "$follower" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
checks=0

fail() {
  echo "curl-smoke: FAIL: $*" >&2
  exit 1
}

# expect FILE EXTENDED-REGEX WHAT: the file has a line matching the pattern.
expect() {
  checks=$((checks + 1))
  if ! grep -Eq -- "$2" "$1"; then
    echo "--- $1:" >&2
    cat "$1" >&2
    fail "$3: no line matches $2"
  fi
}

# equal ACTUAL EXPECTED WHAT
equal() {
  checks=$((checks + 1))
  [[ $1 == "$2" ]] || fail "$3: expected '$2', got '$1'"
}

# post NAME CONTENT-TYPE BODY: appends; the body goes to $work/NAME, the status is printed.
post() {
  curl -sS --max-time 30 -o "$work/$1" -w '%{http_code}' -X POST -H "Content-Type: $2" \
    --data-binary "$3" "$events"
}

# 1. Appends.
equal "$(post object application/json '{"type":"run.started","id":"s-1","data":{"goal":"smoke"}}')" \
  201 "append one object"
expect "$work/object" '"first":1,"last":1,"head":1' "the object got seq 1"

equal "$(post batch application/json '[{"type":"step","data":{"n":1}},{"type":"step","data":{"n":2}}]')" \
  201 "append a batch"
expect "$work/batch" '"first":2,"last":3,"head":3' "the batch got seqs 2-3"

equal "$(post ndjson application/x-ndjson $'{"type":"note","data":"é ✓"}\n{"type":"note","meta":{"agent":"curl"}}\n')" \
  201 "append NDJSON"
expect "$work/ndjson" '"first":4,"last":5,"head":5' "the NDJSON lines got seqs 4-5"

equal "$(post retry application/json '{"type":"run.started","id":"s-1","data":{"goal":"smoke"}}')" \
  200 "retry of an appended event id"
expect "$work/retry" '"first":1,.*"duplicates":\[1\]' "the retry answers the original seq as a duplicate"

# 2. Replays.
equal "$(curl -sS --max-time 30 -o "$work/replay.json" -w '%{http_code}' "$events")" 200 "replay"
expect "$work/replay.json" '"head":5' "replay reports the head"
expect "$work/replay.json" '"events":\[\{"seq":1,.*\{"seq":5,' "replay has seqs 1 to 5"

curl -sS --max-time 30 -H 'Accept: application/x-ndjson' "$events" >"$work/replay.ndjson"
equal "$(wc -l <"$work/replay.ndjson" | tr -d ' ')" 5 "NDJSON replay lines"
equal "$(grep -o '^{"seq":[0-9]*' "$work/replay.ndjson" | cut -d: -f2 | paste -sd,)" \
  1,2,3,4,5 "NDJSON replay seqs"
expect "$work/replay.ndjson" '"type":"note","data":"é ✓"' "NDJSON replay keeps UTF-8 data"

# 3. Follow with curl -N from the start; append the rest while it is connected.
curl -sS -N --max-time 60 -H 'Accept: text/event-stream' "$base/v1/runs/$run/stream" \
  >"$work/stream.txt" 2>"$work/stream.err" &
follower=$!
for _ in $(seq 1 300); do
  grep -q '^id: 5$' "$work/stream.txt" && break
  sleep 0.1
done
expect "$work/stream.txt" '^id: 5$' "the stream replayed the first five events"

equal "$(post live application/json '{"type":"step","data":{"n":3}}')" 201 "append while followed"
equal "$(post end application/json '{"type":"run.completed","data":{"ok":true}}')" 201 \
  "append the terminal event"

status=0
wait "$follower" || status=$?
follower=
equal "$status" 0 "curl -N exit status (the server closes after the end frame; stderr: $(cat "$work/stream.err"))"

stream="$work/stream.txt"
expect "$stream" '^retry: [0-9]+$' "the retry frame"
equal "$(head -n 1 "$stream")" "$(grep -m 1 '^retry: ' "$stream")" "retry is the first line"
equal "$(grep '^id: ' "$stream" | cut -d' ' -f2 | paste -sd,)" 1,2,3,4,5,6,7 "streamed ids"
equal "$(grep -c '^event: ' "$stream")" 1 "event fields: only the end frame has one"
expect "$stream" '^event: end$' "the end frame"
equal "$(grep -A1 '^event: end$' "$stream" | tail -n 1 | grep -o '"status":"[a-z]*"')" \
  '"status":"succeeded"' "the end frame's summary"
equal "$(grep -A1 '^event: end$' "$stream" | tail -n 1 | grep -o '"endedBy":"[a-z.]*"')" \
  '"endedBy":"run.completed"' "the end frame names the terminal event"
equal "$(tail -n 2 "$stream" | head -n 1 | cut -c1-6)" 'data: ' "the end frame is the last frame"

# Every data line of an event is the journal line itself, as the NDJSON replay gives it.
curl -sS --max-time 30 -H 'Accept: application/x-ndjson' "$events" >"$work/all.ndjson"
grep '^data: {"seq":' "$stream" | cut -c7- >"$work/streamed.ndjson"
checks=$((checks + 1))
diff "$work/all.ndjson" "$work/streamed.ndjson" >&2 || fail "streamed data lines differ from the replay"

# 4. A reconnect from the terminal event gets 204: EventSource stops.
equal "$(curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -H 'Last-Event-ID: 7' \
  "$base/v1/runs/$run/stream")" 204 "reconnect after the end"

echo "curl-smoke: ok, $checks checks on run $run"
