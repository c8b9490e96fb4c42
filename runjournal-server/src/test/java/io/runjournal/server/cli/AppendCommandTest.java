package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppendCommandTest {
  @TempDir Path data;

  private CliRunner cli() {
    return new CliRunner(data);
  }

  private List<Event> events(String run) {
    try (Journal journal = Journal.open(data)) {
      return journal.read(run, ReadQuery.all()).events();
    }
  }

  @Test
  void append_thenCat_printsTheStoredLines() {
    var first = cli().inData("append", "demo-1", "run.started", "{\"goal\": \"hello\"}");
    var second = cli().inData("append", "demo-1", "node.started", "--id", "n-1", "--meta", "{}");

    var cat = cli().inData("cat", "demo-1");

    assertThat(first.exitCode()).isZero();
    assertThat(first.out())
        .isEqualTo(
            "{\"run\":\"demo-1\",\"branch\":\"main\",\"first\":1,\"last\":1,\"head\":1,"
                + "\"duplicates\":0}\n");
    assertThat(second.out()).contains("\"first\":2");
    assertThat(cat.exitCode()).isZero();
    assertThat(cat.out().lines().toList())
        .containsExactlyElementsOf(events("demo-1").stream().map(Event::line).toList());
    assertThat(cat.out())
        .contains("\"type\":\"run.started\",\"data\":{\"goal\":\"hello\"}}\n")
        .contains("\"type\":\"node.started\",\"id\":\"n-1\",\"meta\":{}}\n");
    assertThat(cat.err()).isEmpty();
  }

  @Test
  void append_withoutDataOption_usesTheDirectoryOfRunjournalData() {
    var cli = new CliRunner(data, Map.of(CliContext.DATA_ENV, data.toString()));

    var outcome = cli.execute("append", "from-env", "x");

    assertThat(outcome.exitCode()).isZero();
    assertThat(data.resolve("runs/from-env/events.jsonl")).isRegularFile();
  }

  @Test
  void append_ndjsonBatch_getsContiguousSeqsInOneResult() {
    String stdin =
        """
        {"type":"a","data":1.50}

        {"type":"b","id":"b-1","data":{"k":[1,2]},"meta":{"agent":"x"}}
        {"type":"c","seq":3}
        """;

    var outcome = cli().inDataWithStdin(stdin, "append", "batch", "--ndjson");

    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("\"first\":1,\"last\":3,\"head\":3,\"duplicates\":0");
    assertThat(events("batch"))
        .extracting(Event::type, Event::data, Event::meta)
        .containsExactly(
            tuple("a", "1.50", null),
            tuple("b", "{\"k\":[1,2]}", "{\"agent\":\"x\"}"),
            tuple("c", null, null));
  }

  @Test
  void append_ndjsonBatchWithOneBadLine_writesNothingAndExits2() {
    cli().inData("append", "batch", "before");
    String stdin = "{\"type\":\"a\"}\n{\"type\":\"b\",\"data\":{nope}\n{\"type\":\"c\"}\n";

    var outcome = cli().inDataWithStdin(stdin, "append", "batch", "-");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err())
        .startsWith("runjournal: invalid-event: stdin event 2 (line 2): invalid JSON");
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(events("batch")).extracting(Event::type).containsExactly("before");
  }

  @Test
  void append_ndjsonBatchRefusedByTheJournal_writesNothingAndExits3() {
    cli().inData("append", "batch", "a", "1", "--id", "one");
    String stdin = "{\"type\":\"b\"}\n{\"type\":\"a\",\"id\":\"one\",\"data\":2}\n";

    var outcome = cli().inDataWithStdin(stdin, "append", "batch", "--ndjson");

    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.err()).startsWith("runjournal: id-conflict: event id \"one\"");
    assertThat(events("batch")).hasSize(1);
  }

  @Test
  void append_staleExpectedSeq_exits3WithBothNumbers() {
    cli().inData("append", "run-1", "a");
    cli().inData("append", "run-1", "b");

    var outcome = cli().inData("append", "run-1", "c", "--expected-seq", "1");

    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.err())
        .startsWith("runjournal: sequence-conflict: ")
        .contains("expected 2, got 1")
        .doesNotContain("\tat ");
    assertThat(outcome.out()).isEmpty();
    assertThat(events("run-1")).hasSize(2);
  }

  @Test
  void append_matchingExpectedSeqAndSeq_succeed() {
    var first = cli().inData("append", "run-1", "a", "--expected-seq", "0");
    var second = cli().inData("append", "run-1", "b", "--seq", "2");
    var wrongSeq = cli().inData("append", "run-1", "c", "--seq", "2");

    assertThat(first.exitCode()).isZero();
    assertThat(second.exitCode()).isZero();
    assertThat(wrongSeq.exitCode()).isEqualTo(3);
    assertThat(wrongSeq.err()).contains("expected 3, got 2");
  }

  @Test
  void append_invalidRunId_exits2AndCreatesNothing() throws Exception {
    Path data = this.data.resolve("data");

    var outcome = new CliRunner(data).inData("append", "../etc", "x", "{}");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).startsWith("runjournal: invalid-run-id: invalid run id \"../etc\"");
    assertThat(data).doesNotExist();
    try (var entries = Files.list(this.data)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void append_invalidJsonData_exits2WithTheJournalsMessage() {
    var outcome = cli().inData("append", "run-1", "x", "{\"a\":");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).startsWith("runjournal: invalid-event: data is not valid JSON: ");
    assertThat(outcome.err().lines()).hasSize(1);
    assertThat(data.resolve("runs")).doesNotExist();
  }

  @Test
  void append_sameIdTwice_reportsADuplicateAndWritesOnce() {
    cli().inData("append", "run-1", "x", "{}", "--id", "e-1");

    var retry = cli().inData("append", "run-1", "x", "{}", "--id", "e-1");

    assertThat(retry.exitCode()).isZero();
    assertThat(retry.out()).contains("\"first\":1,\"last\":1,\"head\":1,\"duplicates\":1");
    assertThat(events("run-1")).hasSize(1);
  }

  @Test
  void append_afterRunCompleted_exits3RunEnded() {
    cli().inData("append", "run-1", "run.completed");

    var outcome = cli().inData("append", "run-1", "late");

    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.err()).startsWith("runjournal: run-ended: ");
  }

  @Test
  void append_withoutType_isAUsageError() {
    var outcome = cli().inData("append", "run-1");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).startsWith("runjournal: usage: Missing required parameter: 'TYPE'");
  }

  @Test
  void append_unknownFsyncPolicy_isAUsageError() {
    var outcome = cli().inData("append", "run-1", "x", "--fsync", "sometimes");

    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("unknown fsync policy \"sometimes\"");
  }

  @Test
  void append_withFsyncNone_isReadBack() {
    var outcome = cli().inData("append", "run-1", "x", "--fsync", "none", "--branch", "side");

    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).contains("\"branch\":\"side\"");
    assertThat(cli().inData("cat", "run-1", "--branch", "side").out()).contains("\"type\":\"x\"");
  }
}
