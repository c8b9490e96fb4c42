package io.runjournal.contract;

import static io.runjournal.contract.Contracts.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.EventTooLargeException;
import io.runjournal.InvalidEventException;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Appends (DESIGN §2, §4): dense seqs per (run, branch), atomic batches, timestamps from the clock
 * that never go back within a run, the canonical line, and the size limit.
 */
interface AppendContract extends JournalFixture {
  String START = "2026-03-04T05:06:07.089Z";

  @Test
  default void append_firstEventsOfARun_getDenseSeqsFromOne() {
    Journal journal = journal();

    AppendResult first = journal.append("run-1", NewEvent.of("a"));
    AppendResult second = journal.append("run-1", NewEvent.of("b"));
    AppendResult third = journal.append("run-1", NewEvent.of("c"));

    assertThat(first).isEqualTo(new AppendResult("run-1", "main", List.of(1L), List.of(false), 1));
    assertThat(second.seqs()).containsExactly(2L);
    assertThat(third).isEqualTo(new AppendResult("run-1", "main", List.of(3L), List.of(false), 3));
    assertThat(readAll(journal, "run-1"))
        .extracting(Event::seq, Event::type)
        .containsExactly(tuple(1L, "a"), tuple(2L, "b"), tuple(3L, "c"));
  }

  @Test
  default void append_toTwoBranchesAndTwoRuns_eachCountsFromOne() {
    Journal journal = journal();

    journal.append("run-1", NewEvent.of("a"));
    AppendResult feature =
        journal.append("run-1", AppendRequest.of(NewEvent.of("b")).onBranch("feature-x"));
    journal.append("run-1", NewEvent.of("c"));
    AppendResult otherRun = journal.append("run-2", NewEvent.of("d"));

    assertThat(feature)
        .isEqualTo(new AppendResult("run-1", "feature-x", List.of(1L), List.of(false), 1));
    assertThat(otherRun.first()).isEqualTo(1);
    assertThat(journal.heads("run-1"))
        .containsExactlyInAnyOrderEntriesOf(Map.of("main", 2L, "feature-x", 1L));
    assertThat(readAll(journal, "run-1", "feature-x"))
        .extracting(Event::seq, Event::type, Event::branch)
        .containsExactly(tuple(1L, "b", "feature-x"));
  }

  @Test
  default void append_batch_getsContiguousSeqsInRequestOrder() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("before"));

    AppendResult batch =
        journal.append("r", AppendRequest.of(NewEvent.of("x"), NewEvent.of("y"), NewEvent.of("z")));

    assertThat(batch)
        .isEqualTo(
            new AppendResult("r", "main", List.of(2L, 3L, 4L), List.of(false, false, false), 4));
    assertThat(readAll(journal, "r"))
        .extracting(Event::seq, Event::type)
        .containsExactly(tuple(1L, "before"), tuple(2L, "x"), tuple(3L, "y"), tuple(4L, "z"));
  }

  @Test
  default void append_batchWithOneInvalidEvent_writesNothingOfIt() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("kept"));
    long size = journal.size("r");

    assertThatThrownBy(
            () ->
                journal.append(
                    "r",
                    AppendRequest.of(
                        NewEvent.of("fine"),
                        NewEvent.of("broken", "{\"a\":"),
                        NewEvent.of("fine"))))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("data is not valid JSON");

    assertThat(journal.head("r", "main")).isEqualTo(1);
    assertThat(journal.size("r")).isEqualTo(size);
    assertThat(readAll(journal, "r")).extracting(Event::type).containsExactly("kept");
    assertThat(journal.append("r", NewEvent.of("next")).first()).isEqualTo(2);
  }

  @Test
  default void append_assignsTsFromTheClock_inUtcMilliseconds() {
    ManualClock clock = new ManualClock("2026-03-04T05:06:07.089765432Z");
    Journal journal = freshJournal(JournalOptions.defaults().withClock(clock));

    journal.append("r", NewEvent.of("a"));

    Event event = readAll(journal, "r").getFirst();
    assertThat(event.ts()).isEqualTo(Instant.parse("2026-03-04T05:06:07.089Z"));
    assertThat(event.tsMillis())
        .isEqualTo(Instant.parse("2026-03-04T05:06:07.089Z").toEpochMilli());
    assertThat(event.line()).contains("\"ts\":\"2026-03-04T05:06:07.089Z\"");
  }

  @Test
  default void append_whenTheClockStepsBack_tsOfTheRunNeverDecreases() {
    ManualClock clock = new ManualClock("2026-03-04T10:00:00.500Z");
    Journal journal = freshJournal(JournalOptions.defaults().withClock(clock));

    journal.append("r", NewEvent.of("a"));
    clock.set("2026-03-04T09:00:00.000Z");
    journal.append("r", NewEvent.of("b"));
    journal.append("r", AppendRequest.of(NewEvent.of("c")).onBranch("side"));
    clock.set("2026-03-04T10:00:01.000Z");
    journal.append("r", NewEvent.of("d"));

    assertThat(readAll(journal, "r"))
        .extracting(Event::type, Event::ts)
        .containsExactly(
            tuple("a", Instant.parse("2026-03-04T10:00:00.500Z")),
            tuple("b", Instant.parse("2026-03-04T10:00:00.500Z")),
            tuple("d", Instant.parse("2026-03-04T10:00:01.000Z")));
    assertThat(readAll(journal, "r", "side").getFirst().ts())
        .isEqualTo(Instant.parse("2026-03-04T10:00:00.500Z"));
  }

  @Test
  default void append_whenTheClockStepsBack_anotherRunGetsTheClocksTime() {
    ManualClock clock = new ManualClock("2026-03-04T10:00:00.500Z");
    Journal journal = freshJournal(JournalOptions.defaults().withClock(clock));
    journal.append("late", NewEvent.of("a"));
    clock.set("2026-03-04T09:00:00.000Z");

    journal.append("early", NewEvent.of("b"));

    assertThat(readAll(journal, "early").getFirst().ts())
        .isEqualTo(Instant.parse("2026-03-04T09:00:00.000Z"));
  }

  @Test
  default void append_fillsRunAndBranch_andOmitsAbsentFields() {
    Journal journal = freshJournal(JournalOptions.defaults().withClock(new ManualClock(START)));

    journal.append("run-7", AppendRequest.of(NewEvent.of("bare")).onBranch("b-1"));

    Event event = readAll(journal, "run-7", "b-1").getFirst();
    assertThat(event.run()).isEqualTo("run-7");
    assertThat(event.branch()).isEqualTo("b-1");
    assertThat(event.id()).isNull();
    assertThat(event.data()).isNull();
    assertThat(event.meta()).isNull();
    assertThat(event.line())
        .isEqualTo(
            "{\"seq\":1,\"ts\":\"2026-03-04T05:06:07.089Z\",\"run\":\"run-7\",\"branch\":\"b-1\","
                + "\"type\":\"bare\"}");
  }

  @Test
  default void append_writesTheCanonicalLine_fieldsInOrder_dataAndMetaCompacted() {
    Journal journal = freshJournal(JournalOptions.defaults().withClock(new ManualClock(START)));

    journal.append(
        "pipe-01",
        NewEvent.of("node.started", "{ \"b\" : [1, 2 ,{\"c\":null}], \"a\" : \"x\" }")
            .withId("ev-0007")
            .withMeta("{ \"agent\" : \"planner\", \"traceId\": \"t-1\" }"));

    Event event = readAll(journal, "pipe-01").getFirst();
    assertThat(event.line())
        .isEqualTo(
            "{\"seq\":1,\"ts\":\"2026-03-04T05:06:07.089Z\",\"run\":\"pipe-01\",\"branch\":\"main\","
                + "\"type\":\"node.started\",\"id\":\"ev-0007\","
                + "\"data\":{\"b\":[1,2,{\"c\":null}],\"a\":\"x\"},"
                + "\"meta\":{\"agent\":\"planner\",\"traceId\":\"t-1\"}}");
    assertThat(event.data()).isEqualTo("{\"b\":[1,2,{\"c\":null}],\"a\":\"x\"}");
    assertThat(event.meta()).isEqualTo("{\"agent\":\"planner\",\"traceId\":\"t-1\"}");
  }

  /**
   * Whitespace goes, key order and every digit of a number stay (no float rounding, no big-integer
   * truncation, trailing zeros kept). A number with an exponent is spelled as Java's {@code
   * BigDecimal} spells its value and scale: {@code 1E+5} stays, {@code 2.0e-3} becomes {@code
   * 0.0020}.
   */
  @Test
  default void append_data_keepsKeyOrderAndEveryDigit_andReadsBackExactly() {
    Journal journal = journal();
    List<String> sent =
        List.of(
            "{\"z\": 1.50, \"a\": 1E+5, \"m\": 123456789012345678901234567890, \"e\": 2.0e-3}",
            " \"text with \\\"quotes\\\" \\t tab and caf\\u00e9 \\/ 😀\" ",
            "12.50",
            "true",
            "null",
            "[ ]",
            "{}");
    List<String> stored =
        List.of(
            "{\"z\":1.50,\"a\":1E+5,\"m\":123456789012345678901234567890,\"e\":0.0020}",
            "\"text with \\\"quotes\\\" \\t tab and café / 😀\"",
            "12.50",
            "true",
            "null",
            "[]",
            "{}");

    for (String data : sent) {
      journal.append("r", NewEvent.of("value", data));
    }

    assertThat(readAll(journal, "r")).extracting(Event::data).containsExactlyElementsOf(stored);
    assertThat(journal.read("r", ReadQuery.all().newestFirst()).events())
        .extracting(Event::data)
        .containsExactlyElementsOf(stored.reversed());
  }

  @Test
  default void append_invalidDataOrMeta_isRefusedAsInvalidEvent_andWritesNothing() {
    Journal journal = journal();

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x", "{\"a\":")))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.code()).isEqualTo("invalid-event"))
        .hasMessageStartingWith("data is not valid JSON");
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x", "{\"a\":1,\"a\":2}")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("Duplicate field 'a'");
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x", "{} {}")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("trailing content");
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x").withMeta("[1]")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("meta must be a JSON object, got an array");

    assertThat(journal.exists("r")).isFalse();
    assertThat(journal.head("r", "main")).isZero();
  }

  @Test
  default void append_eventOverTheSizeLimit_failsEventTooLarge_andWritesNothing() {
    Journal journal = freshJournal(JournalOptions.defaults().withMaxEventBytes(1024));

    assertThatThrownBy(
            () -> journal.append("r", NewEvent.of("big", "\"" + "x".repeat(2000) + "\"")))
        .isInstanceOfSatisfying(
            EventTooLargeException.class,
            e -> {
              assertThat(e.code()).isEqualTo("payload-too-large");
              assertThat(e.max()).isEqualTo(1024);
              assertThat(e.size()).isGreaterThan(2000);
            })
        .hasMessageContaining("\"big\"")
        .hasMessageContaining("run \"r\"")
        .hasMessageContaining("over the maximum of 1024 bytes");

    assertThat(journal.exists("r")).isFalse();
    assertThat(journal.head("r", "main")).isZero();
  }

  /** The size of an event is its canonical line in UTF-8 with its newline (DESIGN §2). */
  @Test
  default void append_eventOfExactlyTheSizeLimit_isAccepted_oneByteMoreIsNot() {
    Journal journal =
        freshJournal(
            JournalOptions.defaults().withClock(new ManualClock(START)).withMaxEventBytes(1024));
    String empty =
        "{\"seq\":1,\"ts\":\""
            + START
            + "\",\"run\":\"r\",\"branch\":\"main\",\"type\":\"big\","
            + "\"data\":\"\"}\n";
    int fits = 1024 - empty.length() - 2; // a 2-byte character fills the last byte over
    String atLimit = "\"" + "x".repeat(fits) + "é\"";
    String overLimit = "\"" + "x".repeat(fits + 1) + "é\"";

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("big", overLimit)))
        .isInstanceOfSatisfying(
            EventTooLargeException.class,
            e -> {
              assertThat(e.size()).isEqualTo(1025);
              assertThat(e.max()).isEqualTo(1024);
            });
    assertThat(journal.append("r", NewEvent.of("big", atLimit)).first()).isEqualTo(1);
    assertThat(Contracts.utf8Bytes(readAll(journal, "r").getFirst().line() + "\n")).isEqualTo(1024);
  }
}
