#!/usr/bin/env bash
# Builds the JMH benchmarks and runs the RunJournal performance targets (B1, B2, B3), writing one
# JMH JSON file per group and printing a summary with each figure beside its baseline and whether
# each target is met.
#
# Usage: runjournal-bench/run-benchmarks.sh [options] [RESULTS_DIR]
#
#   RESULTS_DIR        where the JSON results, the log and the summary go
#                      (default: runjournal-bench/target/benchmark-results/<date-time>)
#   --standard         one fork, -f 1 -wi 3 -w 3s -i 5 -r 5s: about 12 minutes for b1 b2 b3
#                      (what BENCHMARKS.md was measured with)
#   --quick            short runs for a smoke test or a busy machine:
#                        -f 1 -wi 2 -w 2s -i 3 -r 3s
#                      (default, for the published figures:
#                        -f 2 -wi 3 -w 5s -i 5 -r 10s; about 30 minutes for b1 b2 b3,
#                        10 more with --all)
#   --only GROUPS      comma-separated groups to run (default: b1,b2,b3):
#                        b1           AppendBenchmark         page-cache append vs raw write and the
#                                                             baselines users would otherwise write
#                        b2           DurableAppendBenchmark  fsync always, 1/8/64 platform and 1/64
#                                                             virtual-thread writers on one run,
#                                                             vs single-thread write+fdatasync
#                        b3           ReplayBenchmark         full replay and resume read of a
#                                                             1,000,000-event run
#                        breakdown    BreakdownBenchmark      each step of one append alone (ns/op)
#                        groupcommit  GroupCommitBenchmark    64-writer model of two group-commit
#                                                             protocols
#                        b6           StartupBenchmark        start-up to ready with 100,000 runs of
#                                                             which 1,000 active, and listing them all
#                                                             (a main class, not JMH: 1 round with
#                                                             --quick, 3 with --standard, else 5;
#                                                             its data, ~1.2 GB, is kept in
#                                                             DATA_DIR/runjournal-b6 for the next run)
#                        b7           LoggingBenchmark        Logger.info with attributes into the
#                                                             file sink (healthy, stuck and full
#                                                             disk) vs logback's AsyncAppender
#                        b8           PgAppendBenchmark       batched appends into the PostgreSQL
#                                                             store vs COPY BINARY of the same rows
#                                                             (a real PostgreSQL 17, default
#                                                             durability), then CrossNodeSseBenchmark
#                                                             (a main class): SSE delivery on another
#                                                             node at 1,000 events/s vs the same node
#   --all              every group (b1,b2,b3,breakdown,groupcommit,b6,b7,b8)
#   --data-dir DIR     where benchmark files are written (default: /tmp); put it on the disk you
#                      want to measure. Each benchmark deletes what it wrote.
#   --no-build         use the existing runjournal-bench/target/benchmarks.jar
#   --profile PROF     add a JMH profiler to every run (e.g. gc, or 'stack:lines=3;top=20')
#
# Environment: JMH_JAVA (default: $JAVA_HOME/bin/java if it is JDK >= 21, else
# /usr/lib/jvm/temurin-25-jdk-amd64/bin/java) runs the benchmarks; MVN (default: mvn) builds.
#
# Settings and why:
#   - One writer thread (B1, B3) and @Threads(1/8/64) (B2) are fixed in the benchmark classes; do
#     not pass -t.
#   - Forks 2 (default) so a bad JIT or page-cache layout in one JVM shows up as spread; warm-up 3 x
#     5 s reaches C2 steady state for every path (the append path compiles in well under a second).
#   - Measurement 5 x 10 s: long enough that a full replay of 1,000,000 events (about a second)
#     runs several times per iteration and that fdatasync rates (hundreds to thousands per second)
#     are counted in the tens of thousands.
#   - Heap -Xms1g -Xmx1g in every fork, fixed so that GC sizing is the same in every run.
#   - Page-cache benchmarks move to a fresh file every 2^20 events (about 300 MiB) and delete each
#     iteration's directory, so the disk never fills; B3 builds its run once per fork (fsync none).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_dir=$(cd "$script_dir/.." && pwd)
jar="$script_dir/target/benchmarks.jar"

quick=false
standard=false
build=true
groups="b1,b2,b3"
data_dir=/tmp
profile=""
results_dir=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true ;;
    --standard) standard=true ;;
    --no-build) build=false ;;
    --only) groups="$2"; shift ;;
    --all) groups="b1,b2,b3,breakdown,groupcommit,b6,b7,b8" ;;
    --data-dir) data_dir="$2"; shift ;;
    --profile) profile="$2"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    *) results_dir="$1" ;;
  esac
  shift
done

results_dir=${results_dir:-"$script_dir/target/benchmark-results/$(date +%Y%m%d-%H%M%S)"}
mkdir -p "$results_dir" "$data_dir"
results_dir=$(cd "$results_dir" && pwd)
data_dir=$(cd "$data_dir" && pwd)

pick_java() {
  if [[ -n "${JMH_JAVA:-}" ]]; then
    echo "$JMH_JAVA"
    return
  fi
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    local major
    major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      echo "$JAVA_HOME/bin/java"
      return
    fi
  fi
  echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
}
java_bin=$(pick_java)

if $build; then
  echo "==> building $jar"
  (cd "$repo_dir" && "${MVN:-mvn}" -q -B -DskipTests package -pl runjournal-bench -am)
fi
[[ -f "$jar" ]] || { echo "missing $jar (build without --no-build)" >&2; exit 1; }

if $standard; then
  b6_rounds=3
  settings=(-f 1 -wi 3 -w 3s -i 5 -r 5s)
  breakdown_settings=(-f 1 -wi 3 -w 3s -i 5 -r 3s)
elif $quick; then
  b6_rounds=1
  settings=(-f 1 -wi 2 -w 2s -i 3 -r 3s)
  breakdown_settings=(-f 1 -wi 2 -w 2s -i 3 -r 2s)
else
  b6_rounds=5
  settings=(-f 2 -wi 3 -w 5s -i 5 -r 10s)
  breakdown_settings=(-f 1 -wi 3 -w 3s -i 5 -r 3s)
fi
jvm_args="-Xms1g -Xmx1g -Drunjournal.bench.dir=$data_dir"

# Machine facts, for the report.
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host: $(uname -srm)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "java: $("$java_bin" -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "data dir: $data_dir"
  echo "filesystem: $(df -hT "$data_dir" | awk 'NR == 2 {print $1 " " $2 ", " $3 " total, " $5 " free"}')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "mode: $($standard && echo standard || ($quick && echo quick || echo full)) (${settings[*]})"
} | tee "$results_dir/machine.txt"

run_group() {
  local name=$1 pattern=$2
  shift 2
  local extra=()
  if [[ -n "$profile" ]]; then
    extra=(-prof "$profile")
  fi
  echo "==> $name: $pattern $*"
  "$java_bin" -jar "$jar" "$pattern" "$@" "${extra[@]}" -jvmArgsAppend "$jvm_args" \
    -rf json -rff "$results_dir/$name.json" 2>&1 | tee "$results_dir/$name.log"
}

IFS=, read -r -a selected <<<"$groups"
for group in "${selected[@]}"; do
  case "$group" in
    b1) run_group b1 '^io\.runjournal\.bench\.AppendBenchmark\.' "${settings[@]}" ;;
    b2) run_group b2 '^io\.runjournal\.bench\.DurableAppendBenchmark\.' "${settings[@]}" ;;
    b3) run_group b3 '^io\.runjournal\.bench\.ReplayBenchmark\.' "${settings[@]}" ;;
    breakdown) run_group breakdown '^io\.runjournal\.bench\.BreakdownBenchmark\.' \
      "${breakdown_settings[@]}" -prof gc ;;
    b7) run_group b7 '^io\.runjournal\.bench\.LoggingBenchmark\.' "${settings[@]}" ;;
    b8)
      run_group b8 '^io\.runjournal\.bench\.PgAppendBenchmark\.' "${settings[@]}"
      echo "==> b8: io.runjournal.bench.CrossNodeSseBenchmark"
      "$java_bin" -Xms1g -Xmx1g -cp "$jar" io.runjournal.bench.CrossNodeSseBenchmark \
        --out "$results_dir/b8-sse.md" 2>&1 | tee "$results_dir/b8-sse.log" ;;
    groupcommit) run_group group-commit '^io\.runjournal\.bench\.GroupCommitBenchmark\.' \
      "${settings[@]}" ;;
    b6)
      echo "==> b6: io.runjournal.bench.StartupBenchmark, $b6_rounds round(s)"
      "$java_bin" -Xms1g -Xmx1g -cp "$jar" io.runjournal.bench.StartupBenchmark \
        --dir "$data_dir/runjournal-b6" --rounds "$b6_rounds" --out "$results_dir/b6.md" 2>&1 \
        | tee "$results_dir/b6.log" ;;
    *) echo "unknown group: $group" >&2; exit 2 ;;
  esac
done

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results_dir/machine.txt"
echo
"$java_bin" -cp "$jar" io.runjournal.bench.ResultSummary "$results_dir" | tee "$results_dir/summary.md"
for extra in b6.md b8-sse.md; do
  if [[ -f "$results_dir/$extra" ]]; then
    { echo; cat "$results_dir/$extra"; } | tee -a "$results_dir/summary.md"
  fi
done
echo "results: $results_dir"
