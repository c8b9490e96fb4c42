package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatCommandTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  private void append(String run, NewEvent... events) {
    try (Journal journal = Journal.open(data)) {
      journal.append(run, AppendRequest.of(events));
    }
  }

  private static List<Long> seqs(String jsonLines) {
    return jsonLines
        .lines()
        .map(line -> Long.parseLong(line.substring("{\"seq\":".length(), line.indexOf(','))))
        .toList();
  }

  @Test
  void cat_descLimitOneType_printsTheLatestEventOfThatType() {
    append(
        "run-1",
        NewEvent.of("session_id", "\"s-1\""),
        NewEvent.of("other"),
        NewEvent.of("session_id", "\"s-2\""),
        NewEvent.of("other"));

    var outcome = cli().inData("cat", "run-1", "--desc", "--limit", "1", "--type", "session_id");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out().lines()).hasSize(1);
    assertThat(outcome.out()).contains("\"seq\":3,").contains("\"data\":\"s-2\"");
  }

  @Test
  void cat_typeList_keepsOnlyThoseTypesInOrder() {
    append("run-1", NewEvent.of("a"), NewEvent.of("b"), NewEvent.of("c"), NewEvent.of("a"));

    var outcome = cli().inData("cat", "run-1", "--type", "a,c");

    assertThat(seqs(outcome.out())).containsExactly(1L, 3L, 4L);
  }

  @Test
  void cat_afterAndLimit_pageThroughMoreThanOneReadPage() {
    List<NewEvent> events = new ArrayList<>();
    IntStream.rangeClosed(1, 2500).forEach(i -> events.add(NewEvent.of("tick", "" + i)));
    append("big", events.toArray(NewEvent[]::new));

    var all = cli().inData("cat", "big");
    var window = cli().inData("cat", "big", "--after", "990", "--limit", "1200");
    var newest = cli().inData("cat", "big", "--desc", "--limit", "1500");

    assertThat(seqs(all.out())).hasSize(2500).startsWith(1L).endsWith(2500L);
    assertThat(seqs(window.out())).hasSize(1200).startsWith(991L).endsWith(2190L);
    assertThat(seqs(newest.out())).hasSize(1500).startsWith(2500L).endsWith(1001L);
  }

  @Test
  void cat_pretty_printsDateLineThenSeqTimeTypeIdDataMeta() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:15:30.123Z"), ZoneOffset.UTC);
    JournalOptions options = JournalOptions.defaults().withFsync(FsyncPolicy.NONE).withClock(clock);
    try (Journal journal = Journal.open(data, options)) {
      journal.append(
          "run-1",
          AppendRequest.of(
              NewEvent.of("node.started", "{\"n\":1}"),
              NewEvent.of("tool.called", "{\"tool\":\"grep\"}")
                  .withId("call-3")
                  .withMeta("{\"agent\":\"planner\"}"),
              NewEvent.of("tick")));
    }

    var outcome = cli().inData("cat", "run-1", "--pretty");

    assertThat(outcome.out())
        .isEqualTo(
            """
            -- 2026-11-21 (UTC) --
            #1  10:15:30.123  node.started  {"n":1}
            #2  10:15:30.123  tool.called  id=call-3  {"tool":"grep"}  meta={"agent":"planner"}
            #3  10:15:30.123  tick
            """);
  }

  @Test
  void cat_malformedLine_isSkippedTolerantlyAndFailsWithStrict() throws Exception {
    append("run-1", NewEvent.of("a"));
    Path journal = data.resolve("runs/run-1/events.jsonl");
    Files.writeString(journal, "not an event\n", StandardOpenOption.APPEND);

    var tolerant = cli().inData("cat", "run-1");
    var strict = cli().inData("cat", "run-1", "--strict");

    assertThat(tolerant.exitCode()).isZero();
    assertThat(seqs(tolerant.out())).containsExactly(1L);
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err()).startsWith("runjournal: malformed-event: " + journal + ":2: ");
  }

  @Test
  void cat_runThatDoesNotExist_exits5() {
    var outcome = cli().inData("cat", "missing");

    assertThat(outcome.exitCode()).isEqualTo(5);
    assertThat(outcome.err())
        .isEqualTo("runjournal: not-found: run \"missing\" does not exist in " + data + "\n");
  }

  @Test
  void read_isAnAliasOfCat() {
    append("run-1", NewEvent.of("a"));

    assertThat(cli().inData("read", "run-1").out()).isEqualTo(cli().inData("cat", "run-1").out());
  }

  @Test
  void cat_limitZero_isAUsageError() {
    append("run-1", NewEvent.of("a"));

    var outcome = cli().inData("cat", "run-1", "--limit", "0");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).startsWith("runjournal: usage: --limit must be >= 1, got 0");
  }
}
