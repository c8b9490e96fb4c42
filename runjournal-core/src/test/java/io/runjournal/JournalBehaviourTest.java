package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalBehaviourTest {
  @TempDir Path data;
  Journal journal;

  @BeforeEach
  void open() {
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  @Test
  void append_twoEvents_readBackInOrder() {
    journal.append("run-1", NewEvent.of("node.started", "{\"n\": 1}"));
    journal.append("run-1", NewEvent.of("node.finished", "{\"n\":2}"));

    List<Event> events = journal.read("run-1", ReadQuery.all()).events();

    assertThat(events).extracting(Event::seq).containsExactly(1L, 2L);
    assertThat(events).extracting(Event::type).containsExactly("node.started", "node.finished");
    assertThat(events.get(0).data()).isEqualTo("{\"n\":1}");
    assertThat(events.get(0).line())
        .matches(
            "\\{\"seq\":1,\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",\"run\":\"run-1\","
                + "\"branch\":\"main\",\"type\":\"node.started\",\"data\":\\{\"n\":1\\}\\}");
  }

  @Test
  void read_runWithNoJournal_isEmpty() {
    ReadResult result = journal.read("never-written", ReadQuery.all());

    assertThat(result.events()).isEmpty();
    assertThat(result.head()).isZero();
  }

  @Test
  void read_malformedLine_skippedWhenTolerant_reportedWithLineNumberWhenStrict() throws Exception {
    journal.append("run-1", NewEvent.of("a"));
    Path file = data.resolve("runs/run-1/events.jsonl");
    Files.writeString(file, "this is not json\n", StandardOpenOption.APPEND);
    journal.append("run-1", NewEvent.of("b"));

    assertThat(journal.read("run-1", ReadQuery.all()).events())
        .extracting(Event::type)
        .containsExactly("a", "b");
    assertThatThrownBy(() -> journal.read("run-1", ReadQuery.all().failOnMalformed()))
        .isInstanceOfSatisfying(
            MalformedEventException.class, e -> assertThat(e.line()).isEqualTo(2))
        .hasMessageStartingWith(file + ":2: invalid JSON");
  }

  @Test
  void read_corruptedMiddleLine_laterEventsStillServed_andAppendsContinueAfterTheHead()
      throws Exception {
    for (String type : List.of("a", "b", "c", "d")) {
      journal.append("run-1", NewEvent.of(type));
    }
    journal.close();
    Path file = data.resolve("runs/run-1/events.jsonl");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    lines.set(1, "x".repeat(lines.get(1).length())); // seq 2 destroyed in place
    Files.write(file, lines, StandardCharsets.UTF_8);
    journal = Journal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE));

    assertThat(journal.read("run-1", ReadQuery.all()).events())
        .extracting(Event::seq)
        .containsExactly(1L, 3L, 4L);
    assertThat(journal.read("run-1", ReadQuery.all().afterSeq(1)).events())
        .extracting(Event::seq)
        .containsExactly(3L, 4L);
    assertThat(journal.head("run-1", "main")).isEqualTo(4);
    assertThat(journal.append("run-1", NewEvent.of("e")).first()).isEqualTo(5);
    assertThat(journal.read("run-1", ReadQuery.all().afterSeq(3)).events())
        .extracting(Event::type)
        .containsExactly("d", "e");
    assertThatThrownBy(() -> journal.read("run-1", ReadQuery.all().failOnMalformed()))
        .isInstanceOfSatisfying(
            MalformedEventException.class, e -> assertThat(e.line()).isEqualTo(2));
  }

  @Test
  void append_unpairedSurrogate_inDataMetaOrId_isRefusedAndNothingWritten() {
    assertThatThrownBy(() -> journal.append("run-1", NewEvent.of("a", "\"x\uD800\"")))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("unpaired UTF-16 surrogate (\\uD800)");
    assertThatThrownBy(() -> journal.append("run-1", NewEvent.of("a", "{\"k\": \"\\udc00\"}")))
        .hasMessageContaining("data holds an unpaired UTF-16 surrogate (\\uDC00)");
    assertThatThrownBy(
            () -> journal.append("run-1", NewEvent.of("a").withMeta("{\"k\":\"\uDBFF\"}")))
        .hasMessageContaining("meta holds an unpaired UTF-16 surrogate");
    assertThatThrownBy(() -> journal.append("run-1", NewEvent.of("a").withId("id-\uD800")))
        .isInstanceOf(InvalidIdentifierException.class);

    journal.append("run-1", NewEvent.of("a", "\"emoji \uD83D\uDE00\"").withId("\uD83D\uDE00"));

    List<Event> events = journal.read("run-1", ReadQuery.all()).events();
    assertThat(events).hasSize(1);
    assertThat(events.getFirst().data()).isEqualTo("\"emoji \uD83D\uDE00\"");
  }

  @Test
  void append_createsDirectoriesOnFirstAppend() {
    assertThat(data.resolve("runs")).doesNotExist();

    journal.append("fresh", NewEvent.of("x"));

    assertThat(data.resolve("runs/fresh/events.jsonl")).isRegularFile();
    assertThat(data.resolve("active/fresh")).isRegularFile();
  }

  @Test
  void append_hundredSequential_givesHundredLinesInOrder() throws Exception {
    for (int i = 0; i < 100; i++) {
      journal.append("r", NewEvent.of("tick", Integer.toString(i)));
    }

    List<String> lines =
        Files.readAllLines(data.resolve("runs/r/events.jsonl"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(lines.get(i))
          .startsWith("{\"seq\":" + (i + 1) + ",")
          .endsWith("\"data\":" + i + "}");
    }
  }

  @Test
  void listRuns_isSortedAndIncludesRunWithoutJournal() {
    journal.append("b-run", NewEvent.of("x"));
    journal.append("a-run", NewEvent.of("x"));
    assertThat(journal.create("c-empty")).isTrue();
    assertThat(journal.create("c-empty")).isFalse();

    assertThat(journal.listRuns()).containsExactly("a-run", "b-run", "c-empty");
  }

  @Test
  void exists_trueForCreatedRuns_falseOtherwise() {
    journal.append("there", NewEvent.of("x"));

    assertThat(journal.exists("there")).isTrue();
    assertThat(journal.exists("not-there")).isFalse();
  }

  @Test
  void append_explicitSeqOneTwice_failsExpected2Got1() {
    journal.append("r", NewEvent.of("x").withSeq(1));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("y").withSeq(1)))
        .isInstanceOfSatisfying(
            SequenceConflictException.class,
            e -> {
              assertThat(e.expected()).isEqualTo(2);
              assertThat(e.actual()).isEqualTo(1);
            })
        .hasMessageContaining("expected 2, got 1");
  }

  @Test
  void append_explicitSeqThreeAfterOne_failsExpected2Got3() {
    journal.append("r", NewEvent.of("x").withSeq(1));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("y").withSeq(3)))
        .isInstanceOf(SequenceConflictException.class)
        .hasMessageContaining("expected 2, got 3");
    assertThat(journal.head("r", "main")).isEqualTo(1);
  }

  @Test
  void append_staleExpectedSeq_failsWithBothNumbers() {
    journal.append("r", NewEvent.of("x"));
    journal.append("r", NewEvent.of("x"));

    assertThatThrownBy(() -> journal.append("r", AppendRequest.of(NewEvent.of("y")).expecting(1)))
        .isInstanceOf(SequenceConflictException.class)
        .hasMessageContaining("expected 2, got 1");
  }

  @Test
  void branches_mainAndFeature_eachStartAtOne() {
    AppendResult main = journal.append("r", AppendRequest.of(NewEvent.of("x")));
    AppendResult feature =
        journal.append("r", AppendRequest.of(NewEvent.of("x")).onBranch("feature-x"));
    journal.append("r", AppendRequest.of(NewEvent.of("y")).onBranch("feature-x"));

    assertThat(main.first()).isEqualTo(1);
    assertThat(feature.first()).isEqualTo(1);
    assertThat(journal.heads("r")).containsEntry("main", 1L).containsEntry("feature-x", 2L);
    assertThat(journal.read("r", ReadQuery.all().branch("feature-x")).events())
        .extracting(Event::seq)
        .containsExactly(1L, 2L);
  }

  @Test
  void append_idempotentRetry_returnsOriginalSeq() {
    journal.append("r", NewEvent.of("x"));
    AppendResult first = journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1"));
    journal.append("r", NewEvent.of("x"));

    AppendResult retry = journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1"));

    assertThat(first.first()).isEqualTo(2);
    assertThat(retry.first()).isEqualTo(2);
    assertThat(retry.allDuplicates()).isTrue();
    assertThat(journal.head("r", "main")).isEqualTo(3);
  }

  @Test
  void append_sameIdOtherContent_conflicts() {
    journal.append("r", NewEvent.of("call", "{\"a\":1}").withId("ev-1"));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("call", "{\"a\":2}").withId("ev-1")))
        .isInstanceOfSatisfying(
            IdConflictException.class, e -> assertThat(e.originalSeq()).isEqualTo(1))
        .hasMessageContaining("ev-1");
  }

  @Test
  void append_afterRunCompleted_failsRunEnded() {
    journal.append("r", NewEvent.of("x"));
    journal.append("r", NewEvent.of("run.completed"));

    assertThatThrownBy(() -> journal.append("r", NewEvent.of("late")))
        .isInstanceOf(RunEndedException.class)
        .hasMessageContaining("run.completed");
    assertThat(data.resolve("active/r")).doesNotExist();
  }

  @Test
  void bestEffort_afterClose_doesNothingAndDoesNotThrow() {
    BestEffortAppender appender = journal.bestEffort();
    appender.close();

    assertThat(appender.append("r", NewEvent.of("x"))).isEqualTo(-1);
    assertThat(journal.exists("r")).isFalse();
  }

  @Test
  void state_rebuiltByAnotherInstance_continuesSequences() {
    journal.append("r", NewEvent.of("x").withId("a"));
    journal.append("r", NewEvent.of("x"));
    try (Journal other = Journal.open(data, JournalOptions.defaults())) {
      assertThat(other.append("r", NewEvent.of("y")).first()).isEqualTo(3);
      assertThat(other.append("r", NewEvent.of("x").withId("a")).allDuplicates()).isTrue();
    }
    assertThat(journal.append("r", NewEvent.of("z")).first()).isEqualTo(4);
  }
}
