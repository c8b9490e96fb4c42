#!/usr/bin/env bash
# HTTP append load: starts `runjournal serve` on a temporary data directory and drives
# POST /v1/runs/{run}/events with wrk (a second process on loopback; Debian package `wrk`),
# one 300-byte event per request, for each fsync policy: 1 connection, then 64 connections on one
# run. Prints requests/s, latency and the group-commit batch the server's /metrics report.
#
# Usage: runjournal-bench/http-load.sh [SECONDS]   (default 10 s per measurement, after 5 s warm-up)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-10}
command -v wrk >/dev/null || { echo "http-load: wrk is needed (apt-get install -y wrk)" >&2; exit 1; }
java=$(ls -d /usr/lib/jvm/*/bin/java | while read -r j; do
  v=$("$j" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1)
  [[ -n "$v" && "$v" -ge 21 ]] && { echo "$j"; break; }; done)
[[ -n "$java" ]] || { echo "http-load: no JDK >= 21 under /usr/lib/jvm" >&2; exit 1; }
jar=runjournal-server/target/runjournal.jar
[[ -f "$jar" ]] || mvn -B -q -o package -DskipTests -pl runjournal-server -am

script=$(mktemp)
cat >"$script" <<'LUA'
wrk.method = "POST"
wrk.body = '{"type":"node.output","data":{"node":"plan","tokens":123,"text":"lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum dolor sit amet lorem ipsum"}}'
wrk.headers["Content-Type"] = "application/json"
LUA

for fsync in none always; do
  data=$(mktemp -d)
  port=$((20000 + RANDOM % 20000))
  "$java" -Xms1g -Xmx1g -jar "$jar" serve --data "$data" --port "$port" --fsync "$fsync" \
    >"$data.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "localhost:$port/readyz" >/dev/null && break; sleep 0.1; done
  url="http://127.0.0.1:$port/v1/runs/load-$fsync/events"
  wrk -t2 -c64 -d5s -s "$script" "$url" >/dev/null # warm-up
  for connections in 1 64; do
    threads=$((connections < 2 ? 1 : 2))
    result=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$script" "$url")
    rps=$(sed -n 's/^Requests\/sec: *//p' <<<"$result")
    p50=$(awk '$1=="50%"{print $2}' <<<"$result")
    p99=$(awk '$1=="99%"{print $2}' <<<"$result")
    errors=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' <<<"$result")
    echo "fsync=$fsync connections=$connections requests/s=$rps p50=$p50 p99=$p99 non-2xx=${errors:-0}"
  done
  metrics=$(curl -s "localhost:$port/metrics")
  events=$(awk '/^runjournal_group_commit_batch_events_sum/{print $2}' <<<"$metrics")
  syncs=$(awk '/^runjournal_group_commit_batch_events_count/{print $2}' <<<"$metrics")
  if [[ "$fsync" == always && -n "$syncs" && "$syncs" != 0* ]]; then
    echo "fsync=always: $events events in $syncs fdatasyncs (whole run incl. warm-up)"
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$data.log"
done
rm -f "$script"
