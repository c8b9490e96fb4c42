package io.runjournal.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.RunNotFoundException;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.SpanClose;
import io.runjournal.logging.SpanLink;
import io.runjournal.logging.SpanOpen;
import io.runjournal.logging.SpanStatus;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TracesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String RUN = "agent-run-7";

  @TempDir Path data;
  private Journal journal;

  @BeforeEach
  void open() {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  private static SpanOpen open(String spanId, String name, long at, String parent) {
    return new SpanOpen(spanId, name, at(at), "agent", parent, List.of(), Map.of(), null);
  }

  private static SpanClose close(String spanId, String name, long at, long durationMs) {
    return new SpanClose(spanId, name, at(at), durationMs, SpanStatus.OK, "agent", null, Map.of());
  }

  private static LogEntry log(String msg, long at, String spanId) {
    return new LogEntry(Level.INFO, msg, at(at), "agent", spanId, Map.of());
  }

  private static NewEvent event(LogRecord record) {
    return NewEvent.of(record.eventType(), RecordCodec.toJson(record));
  }

  private void append(String branch, LogRecord... records) {
    List<NewEvent> events = new ArrayList<>();
    for (LogRecord record : records) {
      events.add(event(record));
    }
    journal.append(RUN, AppendRequest.of(events).onBranch(branch));
  }

  private void append(LogRecord... records) {
    append("main", records);
  }

  private Trace trace() {
    return Traces.read(journal, RUN, "main");
  }

  private static List<String> names(List<TraceSpan> spans) {
    return spans.stream().map(TraceSpan::name).toList();
  }

  @Test
  void read_nestedSpansOnThreeLevels_buildsTheTreeOrderedByStartThenSeq() {
    append(
        open("a000000000000001", "agent.run", 0, null),
        open("a000000000000002", "tool.call", 10, "a000000000000001"),
        open("a000000000000003", "http.get", 12, "a000000000000002"),
        close("a000000000000003", "http.get", 40, 28),
        // opened later in the journal but earlier on the clock: ordered before tool.call
        open("a000000000000004", "plan", 5, "a000000000000001"),
        close("a000000000000004", "plan", 9, 4),
        // same start as plan, later seq: after it
        open("a000000000000005", "think", 5, "a000000000000001"),
        close("a000000000000002", "tool.call", 50, 40),
        close("a000000000000001", "agent.run", 60, 60));

    Trace trace = trace();

    assertThat(names(trace.roots())).containsExactly("agent.run");
    TraceSpan root = trace.roots().getFirst();
    assertThat(names(root.children())).containsExactly("plan", "think", "tool.call");
    TraceSpan toolCall = root.children().get(2);
    assertThat(names(toolCall.children())).containsExactly("http.get");
    TraceSpan httpGet = toolCall.children().getFirst();
    assertThat(httpGet.parentSpanId()).isEqualTo("a000000000000002");
    assertThat(httpGet.start()).isEqualTo(at(12));
    assertThat(httpGet.end()).isEqualTo(at(40));
    assertThat(httpGet.durationMs()).isEqualTo(28);
    assertThat(httpGet.status()).isEqualTo(SpanStatus.OK);
    assertThat(httpGet.finished()).isTrue();
    assertThat(httpGet.openSeq()).isEqualTo(3);
    assertThat(httpGet.closeSeq()).isEqualTo(4);
    assertThat(trace.spanCount()).isEqualTo(5);
    assertThat(trace.unfinishedCount()).isEqualTo(1); // think
    assertThat(trace.traceId()).isEqualTo(Trace.traceIdOf(RUN));
  }

  @Test
  void read_closedSpan_mergesOpenAndCloseAttributesLinksBodyAndError() {
    append(
        new SpanOpen(
            "b000000000000001",
            "tool.call",
            at(0),
            "agent",
            null,
            List.of(SpanLink.to("b000000000000009"), new SpanLink("c000000000000001", "other")),
            Attributes.of("tool", "search", "attempt", 1),
            "{\"query\": \"weather\"}"),
        new SpanClose(
            "b000000000000001",
            "tool.call",
            at(30),
            30,
            SpanStatus.ERROR,
            "agent",
            "timeout",
            Attributes.of("attempt", 2, "bytes", null)));

    TraceSpan span = trace().roots().getFirst();

    assertThat(span.attributes())
        .containsExactly(entry("tool", "search"), entry("attempt", 2L), entry("bytes", null));
    assertThat(span.links())
        .containsExactly(
            SpanLink.to("b000000000000009"), new SpanLink("c000000000000001", "other"));
    assertThat(span.body()).isEqualTo("{\"query\":\"weather\"}");
    assertThat(span.status()).isEqualTo(SpanStatus.ERROR);
    assertThat(span.error()).isEqualTo("timeout");
  }

  @Test
  void read_spanOpenedAndNeverClosed_isUnfinishedAndTheRunsLastEventIsNow() {
    append(
        open("c000000000000001", "agent.run", 0, null),
        open("c000000000000002", "tool.call", 10, "c000000000000001"),
        close("c000000000000002", "tool.call", 20, 10));
    journal.append(RUN, NewEvent.of("progress.reported"));

    Trace trace = trace();

    TraceSpan root = trace.roots().getFirst();
    assertThat(root.finished()).isFalse();
    assertThat(root.end()).isNull();
    assertThat(root.durationMs()).isNull();
    assertThat(root.status()).isNull();
    assertThat(root.closeSeq()).isNull();
    assertThat(root.children().getFirst().finished()).isTrue();
    assertThat(trace.unfinishedCount()).isEqualTo(1);
    assertThat(trace.lastEventAt()).isEqualTo(journal.info(RUN).lastEventAt()).isNotNull();
  }

  @Test
  void read_logs_goToTheirSpansInSeqOrder_andTheRestAreUnattached() {
    append(
        log("before any span", 0, null),
        open("d000000000000001", "agent.run", 1, null),
        log("first", 2, "d000000000000001"),
        log("for a span never seen", 3, "d0000000000000ff"),
        log("second", 4, "d000000000000001"),
        close("d000000000000001", "agent.run", 5, 4));

    Trace trace = trace();

    assertThat(trace.roots().getFirst().logs())
        .extracting(LogEntry::msg)
        .containsExactly("first", "second");
    assertThat(trace.logs())
        .extracting(LogEntry::msg)
        .containsExactly("before any span", "for a span never seen");
    assertThat(trace.logCount()).isEqualTo(4);
  }

  @Test
  void read_logBeforeItsSpansOpenInTheJournal_isStillAttached() {
    append(log("early", 0, "e000000000000001"), open("e000000000000001", "agent.run", 0, null));

    assertThat(trace().roots().getFirst().logs())
        .extracting(LogEntry::msg)
        .containsExactly("early");
  }

  @Test
  void read_closeWithoutOpen_isAFinishedRootStartingItsDurationBeforeItsClose() {
    append(
        new SpanClose(
            "f000000000000001",
            "lost.open",
            at(500),
            120,
            SpanStatus.OK,
            "worker",
            null,
            Attributes.of("k", "v")),
        log("inside", 450, "f000000000000001"));

    Trace trace = trace();

    TraceSpan span = trace.roots().getFirst();
    assertThat(span.name()).isEqualTo("lost.open");
    assertThat(span.source()).isEqualTo("worker");
    assertThat(span.start()).isEqualTo(at(380));
    assertThat(span.end()).isEqualTo(at(500));
    assertThat(span.finished()).isTrue();
    assertThat(span.openSeq()).isNull();
    assertThat(span.closeSeq()).isEqualTo(1);
    assertThat(span.parentSpanId()).isNull();
    assertThat(span.attributes()).containsExactly(entry("k", "v"));
    assertThat(span.logs()).extracting(LogEntry::msg).containsExactly("inside");
  }

  @Test
  void read_spanWhoseParentIsUnknown_isARootThatKeepsItsParentId() {
    append(
        open("a100000000000001", "agent.run", 0, null),
        open("a100000000000002", "orphan", 10, "0000000000000bad"));

    Trace trace = trace();

    assertThat(names(trace.roots())).containsExactly("agent.run", "orphan");
    assertThat(trace.roots().get(1).parentSpanId()).isEqualTo("0000000000000bad");
  }

  @Test
  void read_parentsInACycle_areCutIntoATree() {
    append(
        open("a200000000000001", "one", 0, "a200000000000002"),
        open("a200000000000002", "two", 1, "a200000000000001"),
        open("a200000000000003", "self", 2, "a200000000000003"));

    Trace trace = trace();

    assertThat(names(trace.roots())).containsExactly("one", "self");
    assertThat(names(trace.roots().getFirst().children())).containsExactly("two");
    assertThat(trace.spanCount()).isEqualTo(3);
  }

  @Test
  void read_duplicateOpensAndCloses_theFirstOfEachWins() {
    append(
        open("a300000000000001", "first", 0, null),
        open("a300000000000001", "second", 5, null),
        close("a300000000000001", "first", 10, 10),
        close("a300000000000001", "first", 20, 20));

    Trace trace = trace();

    assertThat(trace.roots()).hasSize(1);
    TraceSpan span = trace.roots().getFirst();
    assertThat(span.name()).isEqualTo("first");
    assertThat(span.openSeq()).isEqualTo(1);
    assertThat(span.durationMs()).isEqualTo(10);
    assertThat(span.closeSeq()).isEqualTo(3);
  }

  @Test
  void read_malformedRecordData_isCountedAndLeftOut() {
    journal.append(
        RUN,
        AppendRequest.of(
            NewEvent.of("log", "{\"kind\":\"log\",\"msg\":\"no level\"}"),
            NewEvent.of("span.open", "[1,2]"),
            NewEvent.of("span.close"), // no data
            NewEvent.of("span.open", RecordCodec.toJson(log("a log as an open", 0, null))),
            NewEvent.of("log", "\"text\""),
            NewEvent.of("note", "{\"kind\":\"log\"}"), // not a record type: not counted
            event(open("a400000000000001", "good", 0, null))));

    Trace trace = trace();

    assertThat(trace.malformedRecords()).isEqualTo(5);
    assertThat(names(trace.roots())).containsExactly("good");
    assertThat(trace.logs()).isEmpty();
    assertThat(trace.logCount()).isZero();
  }

  @Test
  void read_branchOtherThanMain_readsOnlyThatBranch() {
    append("main", open("a500000000000001", "main.span", 0, null), log("main log", 1, null));
    append(
        "retry",
        open("a500000000000002", "retry.span", 0, null),
        log("retry log", 1, "a500000000000002"));

    Trace retry = Traces.read(journal, RUN, "retry");

    assertThat(retry.branch()).isEqualTo("retry");
    assertThat(names(retry.roots())).containsExactly("retry.span");
    assertThat(retry.roots().getFirst().logs())
        .extracting(LogEntry::msg)
        .containsExactly("retry log");
    assertThat(retry.logs()).isEmpty();
    assertThat(names(trace().roots())).containsExactly("main.span");
  }

  @Test
  void read_archivedRun_readsTheArchive() {
    append(
        open("a600000000000001", "agent.run", 0, null),
        close("a600000000000001", "agent.run", 5, 5));
    journal.append(RUN, NewEvent.of("run.completed"));
    journal.archive(RUN);
    assertThat(journal.isArchived(RUN)).isTrue();

    try (Journal reopened = Journal.open(data)) {
      Trace trace = Traces.read(reopened, RUN, "main");

      assertThat(names(trace.roots())).containsExactly("agent.run");
      assertThat(trace.roots().getFirst().finished()).isTrue();
    }
  }

  @Test
  void read_runWithoutRecords_isAnEmptyTrace() {
    journal.create("empty-run");

    Trace trace = Traces.read(journal, "empty-run", "main");

    assertThat(trace.roots()).isEmpty();
    assertThat(trace.logs()).isEmpty();
    assertThat(trace.spanCount()).isZero();
    assertThat(trace.lastEventAt()).isNull();
  }

  @Test
  void read_missingRun_throwsRunNotFound() {
    assertThatThrownBy(() -> Traces.read(journal, "no-such-run", "main"))
        .isInstanceOf(RunNotFoundException.class)
        .hasMessageContaining("no-such-run");
  }

  @Test
  void read_chainOfTenThousandNestedSpans_buildsWithoutOverflowingTheStack() {
    int depth = 10_000;
    List<NewEvent> events = new ArrayList<>();
    for (int level = 0; level < depth; level++) {
      String parent = level == 0 ? null : "span-" + (level - 1);
      events.add(event(open("span-" + level, "level " + level, level, parent)));
    }
    journal.append(RUN, AppendRequest.of(events));

    Trace trace = trace();

    TraceSpan span = trace.roots().getFirst();
    int levels = 1;
    while (!span.children().isEmpty()) {
      span = span.children().getFirst();
      levels++;
    }
    assertThat(levels).isEqualTo(depth);
    assertThat(trace.unfinishedCount()).isEqualTo(depth);
  }

  @Test
  void traceIdOf_isTheFirstSixteenBytesOfTheSha256OfTheRunId() {
    // python3 -c "import hashlib; print(hashlib.sha256(b'agent-run-7').hexdigest()[:32])"
    assertThat(Trace.traceIdOf("agent-run-7")).isEqualTo("ea2ec8221df74a473185490ec026e68c");
    assertThat(Trace.traceIdOf("agent-run-8"))
        .matches("[0-9a-f]{32}")
        .isNotEqualTo(Trace.traceIdOf("agent-run-7"));
  }
}
