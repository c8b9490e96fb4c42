package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendRefusalTest {
  @TempDir Path data;
  Journal journal;

  @BeforeEach
  void open() {
    journal =
        Journal.open(
            data,
            JournalOptions.defaults()
                .withFsync(FsyncPolicy.NONE)
                .withMaxEventBytes(1024)
                .withLockTimeout(Duration.ofMillis(200)));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  @Test
  void append_malformedData_failsWithParserPosition_andWritesNothing() {
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x", "{\"a\":")))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.code()).isEqualTo("invalid-event"))
        .hasMessageStartingWith("data is not valid JSON");
    assertThat(journal.exists("r")).isFalse();
  }

  @Test
  void append_dataWithTrailingContentOrDuplicateKeys_isRejected() {
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x", "{} {}")))
        .hasMessageContaining("trailing content");
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x", "{\"a\":1,\"a\":2}")))
        .hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void append_metaThatIsNotAnObject_isRejected() {
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("x").withMeta("[1]")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("meta must be a JSON object, got an array");
  }

  @Test
  void append_dataOfAnyJsonValue_isKeptCanonically() {
    journal.append("r", NewEvent.of("s", " \"text\" "));
    journal.append("r", NewEvent.of("n", "12.50"));
    journal.append("r", NewEvent.of("o", "{ \"b\" : [1, 2 ,{\"c\":null}], \"a\":\"é\\n\" }"));
    journal.append("r", NewEvent.of("m").withMeta("{\"agent\": \"planner\"}"));

    List<Event> events = journal.read("r", ReadQuery.all()).events();

    assertThat(events)
        .extracting(Event::data)
        .containsExactly("\"text\"", "12.50", "{\"b\":[1,2,{\"c\":null}],\"a\":\"é\\n\"}", null);
    assertThat(events.get(3).meta()).isEqualTo("{\"agent\":\"planner\"}");
    assertThat(events.get(3).line()).doesNotContain("\"data\"").doesNotContain("null");
  }

  @Test
  void eventsServedFromMemory_haveTheExactLinesOfTheFile() {
    journal.append("r", NewEvent.of("a", "{\"é\":[1,-2,\"x\\ny\"]}").withId("id \"quoted\" é"));
    journal.append("r", NewEvent.of("b").withMeta("{\"agent\":\"p\"}"));
    journal.append("r", AppendRequest.of(NewEvent.of("c", "null")).onBranch("other"));

    List<Event> fromMemory = journal.read("r", ReadQuery.all()).events();
    List<Event> fromFile = journal.read("r", ReadQuery.all().failOnMalformed()).events();

    assertThat(fromMemory)
        .extracting(Event::line)
        .containsExactlyElementsOf(fromFile.stream().map(Event::line).toList());
    assertThat(fromMemory).isEqualTo(fromFile);
  }

  @Test
  void eventsNearTheSizeLimit_areMeasuredOnTheirEncodedBytes() {
    String tooBig = "\"" + "é".repeat(500) + "\""; // 1002 bytes of UTF-8 in 502 chars
    assertThatThrownBy(() -> journal.append("r", NewEvent.of("big", tooBig)))
        .isInstanceOf(EventTooLargeException.class);
    assertThat(journal.append("r", NewEvent.of("ok", "\"" + "é".repeat(300) + "\"")).first())
        .isOne();
  }

  @Test
  void append_eventOverMaxSize_failsPayloadTooLarge_andWritesNothing() {
    String big = "\"" + "x".repeat(2000) + "\"";

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("big", big)))
        .isInstanceOfSatisfying(
            EventTooLargeException.class,
            e -> {
              assertThat(e.code()).isEqualTo("payload-too-large");
              assertThat(e.max()).isEqualTo(1024);
              assertThat(e.size()).isGreaterThan(2000);
            })
        .hasMessageContaining("over the maximum of 1024 bytes");
    assertThat(journal.head("r", "main")).isZero();
  }

  @Test
  void batch_withOneRefusedEvent_writesNone() {
    journal.append("r", NewEvent.of("a").withId("one"));

    assertThatThrownBy(
            () ->
                journal.append(
                    "r",
                    AppendRequest.of(
                        NewEvent.of("b"), NewEvent.of("c"), NewEvent.of("other").withId("one"))))
        .isInstanceOf(IdConflictException.class);
    assertThat(journal.head("r", "main")).isEqualTo(1);
  }

  @Test
  void batch_getsContiguousSeqs_andDuplicatesInsideBatchAnswerTheFirst() {
    AppendResult result =
        journal.append(
            "r",
            AppendRequest.of(
                NewEvent.of("a").withId("x"), NewEvent.of("b"), NewEvent.of("a").withId("x")));

    assertThat(result.seqs()).containsExactly(1L, 2L, 1L);
    assertThat(result.duplicate()).containsExactly(false, false, true);
    assertThat(result.head()).isEqualTo(2);
  }

  @Test
  void retryOfWholeBatch_withStaleExpectedSeq_isAnsweredAsDuplicates() {
    AppendRequest batch =
        AppendRequest.of(NewEvent.of("a").withId("1"), NewEvent.of("b").withId("2")).expecting(0);
    journal.append("r", batch);

    AppendResult retry = journal.append("r", batch);

    assertThat(retry.allDuplicates()).isTrue();
    assertThat(retry.seqs()).containsExactly(1L, 2L);
  }

  @Test
  void terminalEventInsideBatch_refusesLaterEventsOfTheBatch() {
    assertThatThrownBy(
            () ->
                journal.append(
                    "r", AppendRequest.of(NewEvent.of("run.failed"), NewEvent.of("after"))))
        .isInstanceOf(RunEndedException.class);
    assertThat(journal.head("r", "main")).isZero();
  }

  @Test
  void retryOfTerminalEvent_afterRunEnded_isADuplicateNotAnError() {
    journal.append("r", NewEvent.of("run.completed").withId("done"));

    assertThat(journal.append("r", NewEvent.of("run.completed").withId("done")).allDuplicates())
        .isTrue();
  }

  @Test
  void append_whileAnotherHolderHasTheFileLock_failsLockTimeoutNamingTheFile() throws Exception {
    journal.append("r", NewEvent.of("a"));
    Path file = data.resolve("runs/r/events.jsonl.lock");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock held = LockFiles.takeAppendLock(channel)) {
      assertThat(held.isValid()).isTrue();
      assertThatThrownBy(() -> journal.append("r", NewEvent.of("b")))
          .isInstanceOfSatisfying(
              LockTimeoutException.class, e -> assertThat(e.path()).isEqualTo(file))
          .hasMessageContaining(file.toString());
    }
    assertThat(journal.append("r", NewEvent.of("b")).first()).isEqualTo(2);
  }

  @Test
  void closedJournal_refusesWork_andCloseIsIdempotent() {
    journal.close();
    journal.close();

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("a")))
        .isInstanceOf(JournalClosedException.class);
  }

  @Test
  void bestEffort_failure_isDroppedAndCounted_neverThrown() {
    BestEffortAppender appender = journal.bestEffort();
    journal.append("r", NewEvent.of("run.completed"));

    assertThat(appender.append("r", NewEvent.of("late"))).isEqualTo(-1);
    assertThat(appender.append("bad/run", NewEvent.of("x"))).isEqualTo(-1);
    assertThat(appender.dropped()).isEqualTo(2);
    assertThat(appender.append("r2", NewEvent.of("ok"))).isEqualTo(1);
  }
}
