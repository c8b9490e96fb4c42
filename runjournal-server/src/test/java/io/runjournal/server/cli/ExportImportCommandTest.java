package io.runjournal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.AppendRequest;
import io.runjournal.Journal;
import io.runjournal.model.NewEvent;
import io.runjournal.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code runjournal export} and {@code import} on data directories and through servers: a run
 * exported and imported into another data directory has an identical journal file.
 */
class ExportImportCommandTest {
  private static final String RUN = "build-42";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path source;
  @TempDir Path target;
  @TempDir Path files;

  @BeforeEach
  void writeRun() {
    try (Journal journal = Journal.open(source)) {
      journal.append(
          RUN, NewEvent.of("run.created").withMeta("{\"agent\":\"ci\"}").withId("created"));
      journal.append(RUN, NewEvent.of("step.done", "{\"name\":\"compile ✓\",\"ms\":1.5e3}"));
      journal.append(
          RUN,
          AppendRequest.of(NewEvent.of("retry", "1"), NewEvent.of("retry", "2").withId("r-2"))
              .onBranch("flaky"));
      journal.append(RUN, NewEvent.of("run.completed", "{\"ok\":true}"));
    }
  }

  private CliRunner.Outcome at(Path data, String... args) {
    return new CliRunner(data).inData(args);
  }

  private static byte[] journal(Path data, String run) throws Exception {
    return Files.readAllBytes(data.resolve("runs").resolve(run).resolve("events.jsonl"));
  }

  @ParameterizedTest(name = "--format {0}")
  @ValueSource(strings = {"bundle", "jsonl"})
  void exportThenImport_intoAnotherDataDirectory_givesAnIdenticalJournal(String format)
      throws Exception {
    Path file = files.resolve("export." + format);

    var exported = at(source, "export", RUN, "--format", format, "-o", file.toString());
    var imported = at(target, "import", file.toString());

    assertThat(exported.exitCode()).as(exported.err()).isZero();
    assertThat(exported.out()).isEmpty();
    assertThat(exported.err()).as("no progress bar off a terminal").isEmpty();
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out())
        .isEqualTo(
            "{\"run\":\"build-42\",\"created\":true,\"events\":5,"
                + "\"heads\":{\"flaky\":2,\"main\":3}}\n");
    assertThat(imported.err()).isEmpty();
    assertThat(journal(target, RUN)).isEqualTo(journal(source, RUN));
    assertThat(files.toFile().list()).containsExactly("export." + format);
  }

  @Test
  void export_toStdout_isTheBundle_orTheJournalFile() throws Exception {
    var bundle = at(source, "export", RUN);
    var jsonl = at(source, "export", RUN, "--format", "jsonl");
    var limited = at(source, "export", RUN, "--format", "jsonl", "--limit", "2");
    var bare = at(source, "export", RUN, "--no-events");

    JsonNode parsed = JSON.readTree(bundle.out());
    assertThat(parsed.path("format").asText()).isEqualTo("runjournal.export/v1");
    assertThat(parsed.path("events")).hasSize(5);
    assertThat(parsed.path("projection").path("status").asText()).isEqualTo("succeeded");
    String file = new String(journal(source, RUN), StandardCharsets.UTF_8);
    assertThat(jsonl.out()).isEqualTo(file);
    assertThat(limited.out()).isEqualTo(String.join("\n", file.lines().limit(2).toList()) + "\n");
    assertThat(JSON.readTree(bare.out()).has("events")).isFalse();
  }

  @Test
  void import_fromStdin_underAnotherId_andAgain_changesNothingTheSecondTime() throws Exception {
    String lines = at(source, "export", RUN, "--format", "jsonl").out();

    var first =
        new CliRunner(target).inDataWithStdin(lines, "import", "-", "--run", "build-42-copy");
    byte[] written = journal(target, "build-42-copy");
    var again =
        new CliRunner(target).inDataWithStdin(lines, "import", "-", "--run", "build-42-copy");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("\"run\":\"build-42-copy\",\"created\":true");
    assertThat(new String(written, StandardCharsets.UTF_8))
        .isEqualTo(lines.replace("\"run\":\"build-42\"", "\"run\":\"build-42-copy\""));
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("\"created\":false");
    assertThat(journal(target, "build-42-copy")).isEqualTo(written);
  }

  @Test
  void import_overADifferentRun_exits3_withOneLine_andChangesNothing() throws Exception {
    Path file = files.resolve("run.json");
    at(source, "export", RUN, "-o", file.toString());
    at(target, "append", RUN, "something.else");
    byte[] before = journal(target, RUN);

    var conflict = at(target, "import", file.toString());

    assertThat(conflict.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(conflict.err())
        .startsWith("runjournal: run-exists: run \"build-42\" already exists with other events")
        .hasLineCount(1);
    assertThat(journal(target, RUN)).isEqualTo(before);
  }

  @Test
  void import_ofAMalformedLine_exits2_namingTheLine_andWritesNothing() throws Exception {
    String lines = at(source, "export", RUN, "--format", "jsonl").out();
    List<String> edited = new java.util.ArrayList<>(lines.lines().toList());
    edited.set(2, edited.get(2).replace("{\"seq\":1,", "{\"seq\":2,"));
    Path file = files.resolve("edited.jsonl");
    Files.writeString(file, String.join("\n", edited) + "\n");

    var refused = at(target, "import", file.toString());
    var missing = at(target, "import", files.resolve("nope.json").toString());

    assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(refused.err())
        .isEqualTo(
            "runjournal: invalid-event: line 3: event 3 has seq 2 on branch \"flaky\", expected"
                + " 1: seqs are dense from 1 per branch, in journal order\n");
    assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(missing.err()).contains("cannot read", "no such file");
    assertThat(target.resolve("runs")).doesNotExist();
  }

  @Test
  void export_ofAMissingRun_exits5_andBadOptionsExit2_leavingNoFile() {
    Path file = files.resolve("out.json");

    var missing = at(source, "export", "nope", "-o", file.toString());
    var badFormat = at(source, "export", RUN, "--format", "xml");
    var noEventsJsonl = at(source, "export", RUN, "--format", "jsonl", "--no-events");

    assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(missing.err()).startsWith("runjournal: not-found: run \"nope\" does not exist");
    assertThat(badFormat.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(noEventsJsonl.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(files.toFile().list()).isEmpty();
  }

  @Test
  void exportThenImport_throughServers_givesAnIdenticalJournal() throws Exception {
    Path file = files.resolve("remote.json");
    try (TestServer from = TestServer.start(source);
        TestServer to = TestServer.start(target)) {
      var exported =
          new CliRunner(files)
              .execute("export", RUN, "-o", file.toString(), "--server", from.url().toString());
      var imported =
          new CliRunner(files).execute("import", file.toString(), "--server", to.url().toString());
      var again =
          new CliRunner(files).execute("import", file.toString(), "--server", to.url().toString());
      var missing =
          new CliRunner(files).execute("export", "nope", "--server", from.url().toString());

      assertThat(exported.exitCode()).as(exported.err()).isZero();
      assertThat(imported.exitCode()).as(imported.err()).isZero();
      assertThat(imported.out())
          .isEqualTo(
              "{\"run\":\"build-42\",\"created\":true,\"events\":5,"
                  + "\"heads\":{\"flaky\":2,\"main\":3}}\n");
      assertThat(again.out()).contains("\"created\":false");
      assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
    assertThat(journal(target, RUN)).isEqualTo(journal(source, RUN));
  }
}
