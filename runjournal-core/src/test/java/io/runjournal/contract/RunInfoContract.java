package io.runjournal.contract;

import static io.runjournal.contract.Contracts.journalOrder;
import static io.runjournal.contract.Contracts.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.RunInfo;
import io.runjournal.SequenceConflictException;
import io.runjournal.VerifyReport;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a journal says about one run without a query: heads, info, the last event, the size, every
 * event in append order, the stored lines, and the strict check.
 */
interface RunInfoContract extends JournalFixture {

  /** Run {@code r}: main a, side b, main c (with id and meta), side d; clock ticks 1 s each. */
  private Journal twoBranches(ManualClock clock) {
    Journal journal = freshJournal(JournalOptions.defaults().withClock(clock));
    journal.append("r", NewEvent.of("a", "{\"n\":1}"));
    clock.advance(Duration.ofSeconds(1));
    journal.append("r", AppendRequest.of(NewEvent.of("b")).onBranch("side"));
    clock.advance(Duration.ofSeconds(1));
    journal.append("r", NewEvent.of("c", "[1]").withId("c-1").withMeta("{\"agent\":\"x\"}"));
    clock.advance(Duration.ofSeconds(1));
    journal.append("r", AppendRequest.of(NewEvent.of("d", "\"é\"")).onBranch("side"));
    return journal;
  }

  @Test
  default void head_isTheLastSeqOfTheBranch_andZeroWithoutEvents() {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));

    assertThat(journal.head("r", "main")).isEqualTo(2);
    assertThat(journal.head("r", "side")).isEqualTo(2);
    assertThat(journal.head("r", "none")).isZero();
    assertThat(journal.head("missing", "main")).isZero();
  }

  @Test
  default void heads_listsEveryBranchWithEvents_andNothingForARunWithout() {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));
    journal.create("created");

    assertThat(journal.heads("r")).isEqualTo(Map.of("main", 2L, "side", 2L));
    assertThat(journal.heads("created")).isEmpty();
    assertThat(journal.heads("missing")).isEmpty();
  }

  @Test
  default void info_ofAnOpenRun_hasItsHeads_noEnd_andTheTsOfItsLastEventOfAnyBranch() {
    Journal journal = twoBranches(new ManualClock("2026-03-04T05:06:07.089Z"));

    RunInfo info = journal.info("r");

    assertThat(info.run()).isEqualTo("r");
    assertThat(info.heads()).isEqualTo(Map.of("main", 2L, "side", 2L));
    assertThat(info.eventCount()).isEqualTo(4);
    assertThat(info.endedBy()).isNull();
    assertThat(info.lastEventAt()).isEqualTo(Instant.parse("2026-03-04T05:06:10.089Z"));
  }

  @Test
  default void info_ofAMissingOrEmptyRun_hasNoHeadsNoEndAndNoLastEvent() {
    Journal journal = journal();
    journal.create("created");

    for (String run : List.of("missing", "created")) {
      RunInfo info = journal.info(run);
      assertThat(info.run()).isEqualTo(run);
      assertThat(info.heads()).as(run).isEmpty();
      assertThat(info.endedBy()).as(run).isNull();
      assertThat(info.lastEventAt()).as(run).isNull();
    }
  }

  @Test
  default void lastEvent_isTheEventAppendedLast_onWhicheverBranch() {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));

    Event last = readAll(journal, "r", "side").getLast();

    assertThat(journal.lastEvent("r")).contains(last);
    journal.append("r", AppendRequest.of(NewEvent.of("x"), NewEvent.of("y")));
    assertThat(journal.lastEvent("r")).contains(readAll(journal, "r").getLast());
    assertThat(journal.lastEvent("r").orElseThrow().type()).isEqualTo("y");
  }

  @Test
  default void lastEvent_ofAMissingOrEmptyRun_isEmpty() {
    Journal journal = journal();
    journal.create("created");

    assertThat(journal.lastEvent("missing")).isEmpty();
    assertThat(journal.lastEvent("created")).isEmpty();
  }

  @Test
  default void size_isZeroWithoutEvents_positiveAfterAnAppend_andGrowsWithEachAppend() {
    Journal journal = journal();
    journal.create("created");
    assertThat(journal.size("missing")).isZero();
    assertThat(journal.size("created")).isZero();

    journal.append("r", NewEvent.of("a"));
    long one = journal.size("r");
    journal.append("r", AppendRequest.of(NewEvent.of("b")).onBranch("side"));
    long two = journal.size("r");

    assertThat(one).isPositive();
    assertThat(two).isGreaterThan(one);
  }

  @Test
  default void size_doesNotChangeForADuplicateOrARefusedAppend() {
    Journal journal = journal();
    journal.append("r", NewEvent.of("a").withId("one"));
    long size = journal.size("r");

    journal.append("r", NewEvent.of("a").withId("one"));
    assertThatThrownBy(() -> journal.append("r", AppendRequest.of(NewEvent.of("b")).expecting(0)))
        .isInstanceOf(SequenceConflictException.class);

    assertThat(journal.size("r")).isEqualTo(size);
  }

  @Test
  default void forEachEvent_givesEveryBranchInAppendOrder_andCountsThem() {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));
    List<Event> events = new ArrayList<>();

    long count = journal.forEachEvent("r", Long.MAX_VALUE, events::add);

    assertThat(count).isEqualTo(4);
    assertThat(events)
        .extracting(event -> event.branch() + ":" + event.seq() + ":" + event.type())
        .containsExactly("main:1:a", "side:1:b", "main:2:c", "side:2:d");
    assertThat(events.get(2)).isEqualTo(readAll(journal, "r").get(1));
  }

  @Test
  default void forEachEvent_stopsAfterMaxEvents_andGivesNothingForAMissingRun() {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));
    List<Event> firstThree = new ArrayList<>();

    long count = journal.forEachEvent("r", 3, firstThree::add);

    assertThat(count).isEqualTo(3);
    assertThat(firstThree).isEqualTo(journalOrder(journal, "r").subList(0, 3));
    assertThat(journal.forEachEvent("missing", 10, firstThree::add)).isZero();
    assertThat(firstThree).hasSize(3);
  }

  @Test
  default void copyJournal_writesOneCanonicalLinePerEvent_inAppendOrder() throws Exception {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));
    String expected =
        journalOrder(journal, "r").stream()
            .map(event -> event.line() + "\n")
            .collect(Collectors.joining());
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    long bytes = journal.copyJournal("r", Long.MAX_VALUE, out);

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(bytes).isEqualTo(out.size()).isEqualTo(Contracts.utf8Bytes(expected));
    assertThat(expected.lines())
        .hasSize(4)
        .allSatisfy(line -> assertThat(line).startsWith("{\"seq\":").endsWith("}"));
  }

  @Test
  default void copyJournal_withMaxLines_writesTheFirstLines_andNothingForAMissingRun()
      throws Exception {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));
    List<Event> events = journalOrder(journal, "r");
    ByteArrayOutputStream firstTwo = new ByteArrayOutputStream();
    ByteArrayOutputStream missing = new ByteArrayOutputStream();

    journal.copyJournal("r", 2, firstTwo);

    assertThat(firstTwo.toString(StandardCharsets.UTF_8))
        .isEqualTo(events.get(0).line() + "\n" + events.get(1).line() + "\n");
    assertThat(journal.copyJournal("missing", 10, missing)).isZero();
    assertThat(missing.size()).isZero();
  }

  @Test
  default void verify_ofAHealthyRun_reportsEveryEventAndNoProblem() {
    Journal journal = twoBranches(new ManualClock(AppendContract.START));
    journal.append("r", NewEvent.of("run.completed"));

    VerifyReport report = journal.verify("r");

    assertThat(report.ok()).isTrue();
    assertThat(report.problems()).isEmpty();
    assertThat(report.tornBytes()).isZero();
    assertThat(report.lines()).isEqualTo(5);
    assertThat(report.events()).isEqualTo(5);
  }

  @Test
  default void verify_ofAMissingRun_reportsNothingAndNoProblem() {
    VerifyReport report = journal().verify("missing");

    assertThat(report.ok()).isTrue();
    assertThat(report.lines()).isZero();
    assertThat(report.events()).isZero();
  }
}
