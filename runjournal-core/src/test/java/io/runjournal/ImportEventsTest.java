package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Journal#importEvents} (DESIGN §8): a run exported as events and imported elsewhere has the
 * same journal, byte for byte; a re-import changes nothing; anything else is refused and writes
 * nothing. Also {@link Journal#forEachEvent} and {@link Journal#copyJournal}, which exports use.
 */
class ImportEventsTest {
  private static final String RUN = "source-1";

  @TempDir Path sourceDir;
  @TempDir Path targetDir;
  private Journal source;
  private Journal target;

  @BeforeEach
  void open() {
    source = Journal.open(sourceDir); // fsync always: the real thing
    target = Journal.open(targetDir);
  }

  @AfterEach
  void close() {
    source.close();
    target.close();
  }

  /** A run with two branches, ids, every kind of data, meta, and a terminal event. */
  private List<Event> writeSourceRun() {
    source.append(
        RUN,
        NewEvent.of("run.created")
            .withMeta("{\"agent\":\"planner\",\"labels\":{\"team\":\"é ✓\"}}")
            .withId("ev-0"));
    source.append(RUN, NewEvent.of("node.started", "{\"n\": 1, \"f\": 1.50, \"e\": 1E+5}"));
    source.append(
        RUN,
        AppendRequest.of(
                NewEvent.of("tool.called", "\"text with \\\"quotes\\\" and \\u0007 and 😀\""),
                NewEvent.of("progress.reported", "{\"completed\":1,\"total\":3}").withId("p-1"))
            .onBranch("retry-1"));
    source.append(RUN, NewEvent.of("decision.made", "[1,2,{\"x\":null}]").withId("ev-\"q\""));
    source.append(RUN, AppendRequest.of(NewEvent.of("log", "42")).onBranch("retry-1"));
    source.append(RUN, NewEvent.of("run.completed", "{\"ok\":true}").withMeta("{}"));
    return exported(source, RUN);
  }

  private static List<Event> exported(Journal journal, String run) {
    List<Event> events = new ArrayList<>();
    journal.forEachEvent(run, Long.MAX_VALUE, events::add);
    return events;
  }

  private Path journalFile(Path data, String run) {
    return data.resolve("runs").resolve(run).resolve("events.jsonl");
  }

  @Test
  void import_ofAnExportedRun_reproducesItsJournalByteForByte() throws Exception {
    List<Event> events = writeSourceRun();

    ImportResult result = target.importEvents(RUN, events);

    assertThat(result.created()).isTrue();
    assertThat(result.events()).isEqualTo(7);
    assertThat(result.heads()).isEqualTo(Map.of("main", 4L, "retry-1", 3L));
    byte[] original = Files.readAllBytes(journalFile(sourceDir, RUN));
    assertThat(Files.readAllBytes(journalFile(targetDir, RUN))).isEqualTo(original);
    assertThat(result.bytes()).isEqualTo(original.length);
    assertThat(exported(target, RUN)).isEqualTo(events);
  }

  @Test
  void import_keepsTheStateConsistent_appendsAndReadsContinueFromTheImportedEvents() {
    List<Event> events = new ArrayList<>(writeSourceRun());
    events.removeLast(); // without the terminal event: the run is open

    target.importEvents(RUN, events);

    assertThat(target.heads(RUN)).isEqualTo(Map.of("main", 3L, "retry-1", 3L));
    assertThat(target.read(RUN, ReadQuery.all().branch("retry-1")).events())
        .isEqualTo(events.stream().filter(e -> e.branch().equals("retry-1")).toList());
    AppendResult retry = target.append(RUN, NewEvent.of("run.created").withId("ev-0"));
    assertThat(retry.allDuplicates()).isTrue();
    assertThat(retry.first()).isEqualTo(1);
    AppendResult next = target.append(RUN, NewEvent.of("run.completed"));
    assertThat(next.first()).isEqualTo(4);
    assertThat(target.info(RUN).lastEventAt()).isAfterOrEqualTo(events.getLast().ts());
  }

  @Test
  void import_ofAnEndedRun_endsIt_andLeavesNoActiveMarker() {
    List<Event> events = writeSourceRun();

    target.importEvents(RUN, events);

    assertThat(target.info(RUN).endedBy()).isEqualTo("run.completed");
    assertThatThrownBy(() -> target.append(RUN, NewEvent.of("late")))
        .isInstanceOf(RunEndedException.class);
    assertThat(targetDir.resolve("active").resolve(RUN)).doesNotExist();
  }

  @Test
  void import_ofAnOpenRun_writesTheActiveMarker() {
    List<Event> events = new ArrayList<>(writeSourceRun());
    events.removeLast();

    target.importEvents(RUN, events);

    assertThat(targetDir.resolve("active").resolve(RUN)).exists();
  }

  @Test
  void import_isSeenByAnotherJournalOnTheSameDirectory() {
    List<Event> events = writeSourceRun();
    try (Journal other = Journal.open(targetDir)) {
      assertThat(other.heads(RUN)).isEmpty(); // it knows the run as empty before the import

      target.importEvents(RUN, events);

      assertThat(other.heads(RUN)).isEqualTo(Map.of("main", 4L, "retry-1", 3L));
      assertThat(exported(other, RUN)).isEqualTo(events);
    }
  }

  @Test
  void reimport_ofTheSameEvents_changesNothing_andSaysSo() throws Exception {
    List<Event> events = writeSourceRun();
    target.importEvents(RUN, events);
    Path file = journalFile(targetDir, RUN);
    byte[] before = Files.readAllBytes(file);
    FileTime modified = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(file, modified);

    ImportResult again = target.importEvents(RUN, events);
    ImportResult fromAnotherJournal;
    try (Journal other = Journal.open(targetDir)) {
      fromAnotherJournal = other.importEvents(RUN, events);
    }

    assertThat(again.created()).isFalse();
    assertThat(fromAnotherJournal.created()).isFalse();
    assertThat(again.heads()).isEqualTo(Map.of("main", 4L, "retry-1", 3L));
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
  }

  @Test
  void import_intoARunWithOtherEvents_failsRunExists_namingTheLine_andChangesNothing()
      throws Exception {
    List<Event> events = writeSourceRun();
    target.append(RUN, NewEvent.of("run.created").withId("ev-0"));
    target.append(RUN, NewEvent.of("something.else"));
    byte[] before = Files.readAllBytes(journalFile(targetDir, RUN));

    assertThatThrownBy(() -> target.importEvents(RUN, events))
        .isInstanceOfSatisfying(
            RunExistsException.class,
            e -> {
              assertThat(e.code()).isEqualTo("run-exists");
              assertThat(e.run()).isEqualTo(RUN);
              assertThat(e.line()).isEqualTo(1); // its ts differs from the source's
            })
        .hasMessageContaining("line 1 of its journal differs from event 1");
    assertThat(Files.readAllBytes(journalFile(targetDir, RUN))).isEqualTo(before);
  }

  @Test
  void import_intoARunHoldingAPrefixOfTheEvents_failsRunExists_sayingSo() {
    List<Event> events = writeSourceRun();
    target.importEvents(RUN, events.subList(0, 3));

    assertThatThrownBy(() -> target.importEvents(RUN, events))
        .isInstanceOfSatisfying(RunExistsException.class, e -> assertThat(e.line()).isEqualTo(4))
        .hasMessageContaining("holds the first 3 of the 7 events imported");
  }

  @Test
  void import_ofAPrefix_intoARunHoldingMore_failsRunExists() {
    List<Event> events = writeSourceRun();
    target.importEvents(RUN, events);

    assertThatThrownBy(() -> target.importEvents(RUN, events.subList(0, 3)))
        .isInstanceOfSatisfying(RunExistsException.class, e -> assertThat(e.line()).isEqualTo(4))
        .hasMessageContaining("has more than the 3 events imported");
  }

  @Test
  void import_ofNoEvents_makesTheRunExist_once_andConflictsWithARunThatHasEvents() {
    ImportResult first = target.importEvents("empty", List.of());
    ImportResult second = target.importEvents("empty", List.of());

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(target.exists("empty")).isTrue();
    assertThat(target.heads("empty")).isEmpty();
    target.append("full", NewEvent.of("a"));
    assertThatThrownBy(() -> target.importEvents("full", List.of()))
        .isInstanceOf(RunExistsException.class);
  }

  @Test
  void import_intoAnExistingRunWithoutEvents_writesThem() throws Exception {
    List<Event> events = writeSourceRun();
    target.create(RUN);

    assertThat(target.importEvents(RUN, events).created()).isTrue();
    assertThat(Files.readAllBytes(journalFile(targetDir, RUN)))
        .isEqualTo(Files.readAllBytes(journalFile(sourceDir, RUN)));
  }

  static Stream<Arguments> badImports() {
    return Stream.of(
        bad(
            "another run",
            3,
            e -> copy(e, e.seq(), e.tsMillis(), "other", e.branch(), e.data(), null),
            "event 3 belongs to run \"other\", not \"source-1\""),
        bad(
            "a seq gap",
            2,
            e -> copy(e, e.seq() + 1, e.tsMillis(), e.run(), e.branch(), e.data(), null),
            "event 2 has seq 3 on branch \"main\", expected 2"),
        bad(
            "a branch not starting at 1",
            3,
            e -> copy(e, 2, e.tsMillis(), e.run(), e.branch(), e.data(), null),
            "event 3 has seq 2 on branch \"retry-1\", expected 1"),
        bad(
            "a ts going back",
            5,
            e -> copy(e, e.seq(), e.tsMillis() - 86_400_000, e.run(), e.branch(), e.data(), null),
            "event 5 has ts"),
        bad(
            "a repeated id",
            5,
            e -> withId(e, "ev-0"),
            "event 5 repeats the id \"ev-0\" of event 1"),
        bad(
            "data not canonical",
            2,
            e -> copy(e, e.seq(), e.tsMillis(), e.run(), e.branch(), "{\"n\": 1}", null),
            "event 2 has data that is not in the journal's canonical form"),
        bad(
            "data not JSON",
            2,
            e -> copy(e, e.seq(), e.tsMillis(), e.run(), e.branch(), "{\"n\":1", null),
            "event 2 is invalid: data is not valid JSON"),
        bad(
            "data smuggling a field",
            2,
            e -> copy(e, e.seq(), e.tsMillis(), e.run(), e.branch(), "1,\"seq\":9", null),
            "event 2 is invalid: data "),
        bad(
            "a bad branch",
            3,
            e -> copy(e, e.seq(), e.tsMillis(), e.run(), "no branch", e.data(), null),
            "event 3 has an invalid branch"),
        bad(
            "a line that is not the canonical line of its fields",
            2,
            e -> copy(e, e.seq(), e.tsMillis(), e.run(), e.branch(), e.data(), e.line() + " "),
            "event 2 is not written as the journal writes it"));
  }

  private static Arguments bad(
      String name, int position, UnaryOperator<Event> change, String message) {
    return Arguments.of(name, position, change, message);
  }

  private static Event copy(
      Event e, long seq, long ts, String run, String branch, String data, String line) {
    return new Event(seq, ts, run, branch, e.type(), e.id(), data, e.meta(), line);
  }

  private static Event withId(Event e, String id) {
    return new Event(
        e.seq(), e.tsMillis(), e.run(), e.branch(), e.type(), id, e.data(), e.meta(), null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badImports")
  void import_ofABadEvent_isRefusedNamingItsPosition_andWritesNothing(
      String name, int position, UnaryOperator<Event> change, String message) {
    List<Event> events = new ArrayList<>(writeSourceRun());
    events.set(position - 1, change.apply(events.get(position - 1)));

    assertThatThrownBy(() -> target.importEvents(RUN, events))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid-event");
              assertThat(e.position()).isEqualTo(position);
            })
        .hasMessageStartingWith(message);
    assertThat(targetDir.resolve("runs")).doesNotExist();
    assertThat(targetDir.resolve("active")).doesNotExist();
  }

  @Test
  void import_ofAnEventAfterTheTerminalEvent_isRefused() {
    List<Event> events = new ArrayList<>(writeSourceRun());
    Event last = events.getLast();
    events.add(new Event(6, last.tsMillis(), RUN, "main", "late", null, null, null, null));

    assertThatThrownBy(() -> target.importEvents(RUN, events))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage(
            "event 8 follows the terminal event 7 (run.completed): a run takes no events after"
                + " its end");
    assertThat(target.exists(RUN)).isFalse();
  }

  @Test
  void import_ofAnEventOverTheSizeLimit_isRefusedAsTooLarge() {
    List<Event> events = new ArrayList<>(writeSourceRun());
    Event second = events.get(1);
    String big = "\"" + "x".repeat(300) + "\"";
    events.set(1, copy(second, 2, second.tsMillis(), RUN, "main", big, null));
    try (Journal small =
        Journal.open(targetDir, JournalOptions.defaults().withMaxEventBytes(256))) {
      assertThatThrownBy(() -> small.importEvents(RUN, events))
          .isInstanceOfSatisfying(
              EventTooLargeException.class, e -> assertThat(e.max()).isEqualTo(256));
    }
    assertThat(target.exists(RUN)).isFalse();
  }

  @Test
  void forEachEvent_givesEveryBranchInJournalOrder_upToTheLimit() {
    List<Event> events = writeSourceRun();

    List<Event> firstFour = new ArrayList<>();
    long delivered = source.forEachEvent(RUN, 4, firstFour::add);

    assertThat(events)
        .extracting(e -> e.branch() + ":" + e.seq())
        .containsExactly(
            "main:1", "main:2", "retry-1:1", "retry-1:2", "main:3", "retry-1:3", "main:4");
    assertThat(delivered).isEqualTo(4);
    assertThat(firstFour).isEqualTo(events.subList(0, 4));
    assertThat(source.forEachEvent("never-written", 10, firstFour::add)).isZero();
  }

  @Test
  void copyJournal_writesTheStoredBytes_orItsFirstLines() throws Exception {
    writeSourceRun();
    byte[] file = Files.readAllBytes(journalFile(sourceDir, RUN));

    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    ByteArrayOutputStream firstTwo = new ByteArrayOutputStream();
    long copied = source.copyJournal(RUN, Long.MAX_VALUE, whole);
    source.copyJournal(RUN, 2, firstTwo);

    assertThat(whole.toByteArray()).isEqualTo(file);
    assertThat(copied).isEqualTo(file.length);
    String text = new String(file, java.nio.charset.StandardCharsets.UTF_8);
    int secondNewline = text.indexOf('\n', text.indexOf('\n') + 1);
    assertThat(firstTwo.toString(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(text.substring(0, secondNewline + 1));
  }
}
