package io.runjournal.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.AppendRequest;
import io.runjournal.FsyncPolicy;
import io.runjournal.InvalidEventException;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import io.runjournal.projection.RunProjection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bundles and raw journals written by {@link RunExport} and read back by {@link RunImport}. */
class RunExportImportTest {
  private static final String RUN = "exp-1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-21T10:15:30.123Z");

  @TempDir Path sourceDir;
  @TempDir Path targetDir;
  private Journal source;
  private Journal target;

  @BeforeEach
  void open() {
    JournalOptions options = JournalOptions.defaults().withFsync(FsyncPolicy.NONE);
    source = Journal.open(sourceDir, options);
    target = Journal.open(targetDir, options);
    source.append(RUN, NewEvent.of("run.created").withMeta("{\"agent\":\"a\"}").withId("c"));
    source.append(RUN, NewEvent.of("run.started", "{\"goal\":\"ünïcode ✓ 😀\"}"));
    source.append(
        RUN, AppendRequest.of(NewEvent.of("try", "1"), NewEvent.of("try", "2")).onBranch("alt"));
    source.append(RUN, NewEvent.of("run.failed", "{\"error\":{\"message\":\"boom\"}}"));
  }

  @AfterEach
  void close() {
    source.close();
    target.close();
  }

  private byte[] bundle(ExportOptions options) throws Exception {
    RunProjection projection = new RunProjection(RUN);
    source.forEachEvent(RUN, Long.MAX_VALUE, projection::apply);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunExport.write(source, projection, options, NOW, out, count -> {});
    return out.toByteArray();
  }

  private static Map<String, Long> branches(JsonNode bundle) {
    Map<String, Long> heads = new java.util.TreeMap<>();
    bundle.path("branches").properties().forEach(e -> heads.put(e.getKey(), e.getValue().asLong()));
    return heads;
  }

  private byte[] sourceFile() throws Exception {
    return Files.readAllBytes(sourceDir.resolve("runs/" + RUN + "/events.jsonl"));
  }

  private byte[] targetFile(String run) throws Exception {
    return Files.readAllBytes(targetDir.resolve("runs/" + run + "/events.jsonl"));
  }

  @Test
  void bundle_holdsFormatProjectionMetricsRawEventsAndBranches() throws Exception {
    byte[] bytes = bundle(ExportOptions.all());
    JsonNode bundle = JSON.readTree(bytes);

    assertThat(bundle.properties())
        .extracting(Map.Entry::getKey)
        .containsExactly(
            "format", "exportedAt", "run", "projection", "metrics", "events", "branches");
    assertThat(bundle.path("format").asText()).isEqualTo("runjournal.export/v1");
    assertThat(bundle.path("exportedAt").asText()).isEqualTo("2026-11-21T10:15:30.123Z");
    assertThat(bundle.path("projection").path("status").asText()).isEqualTo("failed");
    assertThat(bundle.path("metrics").path("eventCount").asLong()).isEqualTo(5);
    assertThat(bundle.path("metrics").path("bytes").asLong()).isEqualTo(sourceFile().length);
    assertThat(bundle.path("metrics").has("durationMs")).isTrue();
    assertThat(branches(bundle)).isEqualTo(Map.of("main", 3L, "alt", 2L));
    String text = new String(bytes, StandardCharsets.UTF_8);
    String lines = new String(sourceFile(), StandardCharsets.UTF_8);
    assertThat(text).contains("\"events\":[" + lines.strip().replace("\n", ",") + "]");
  }

  @Test
  void bundle_importedElsewhere_reproducesTheJournalByteForByte() throws Exception {
    RunImport.Source read = RunImport.parse(bundle(ExportOptions.all()), null, count -> {});

    assertThat(read.form()).isEqualTo(RunImport.Form.BUNDLE);
    assertThat(read.run()).isEqualTo(RUN);
    target.importEvents(read.run(), read.events());
    assertThat(targetFile(RUN)).isEqualTo(sourceFile());
  }

  @Test
  void rawJournal_importedElsewhere_reproducesTheJournalByteForByte() throws Exception {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    source.copyJournal(RUN, Long.MAX_VALUE, raw);

    RunImport.Source read = RunImport.parse(raw.toByteArray(), null, count -> {});

    assertThat(read.form()).isEqualTo(RunImport.Form.JOURNAL);
    target.importEvents(read.run(), read.events());
    assertThat(targetFile(RUN)).isEqualTo(sourceFile());
  }

  @Test
  void import_underAnotherRunId_rewritesOnlyTheRunField() throws Exception {
    RunImport.Source read = RunImport.parse(sourceFile(), "copy-1", count -> {});

    target.importEvents(read.run(), read.events());

    String expected =
        new String(sourceFile(), StandardCharsets.UTF_8)
            .replace("\"run\":\"" + RUN + "\"", "\"run\":\"copy-1\"");
    assertThat(new String(targetFile("copy-1"), StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @Test
  void bundle_withLimit_holdsTheFirstEventsInJournalOrder_andTheirHeads() throws Exception {
    JsonNode bundle = JSON.readTree(bundle(ExportOptions.all().limit(3)));

    assertThat(bundle.path("events")).hasSize(3);
    assertThat(branches(bundle)).isEqualTo(Map.of("main", 2L, "alt", 1L));
    assertThat(bundle.path("metrics").path("eventCount").asLong()).isEqualTo(5);

    RunImport.Source read = RunImport.parse(bundle(ExportOptions.all().limit(3)), null, c -> {});
    target.importEvents(RUN, read.events());
    String firstThree =
        new String(sourceFile(), StandardCharsets.UTF_8)
            .lines().limit(3).toList().stream().reduce("", (a, b) -> a + b + "\n");
    assertThat(new String(targetFile(RUN), StandardCharsets.UTF_8)).isEqualTo(firstThree);
  }

  @Test
  void bundle_withoutEvents_hasNoEventsField_butTheBranches_andCannotBeImported() throws Exception {
    byte[] bytes = bundle(ExportOptions.all().withoutEvents());
    JsonNode bundle = JSON.readTree(bytes);

    assertThat(bundle.has("events")).isFalse();
    assertThat(branches(bundle)).isEqualTo(Map.of("main", 3L, "alt", 2L));
    assertThatThrownBy(() -> RunImport.parse(bytes, null, c -> {}))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("the bundle has no \"events\" (exported with events=false?)");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "empty                |                                                     | 0 | the import is empty",
        "an array             | []                                                  | 0 | it starts with '['",
        "not JSON             | {\"format\":                                        | 0 | the import is not valid JSON at line 1",
        "another format       | {\"format\":\"x/v9\",\"run\":\"r\",\"events\":[]}   | 0 | unsupported bundle format \"x/v9\"",
        "no run               | {\"format\":\"runjournal.export/v1\",\"events\":[]} | 0 | the bundle has no \"run\"",
        "an event not object  | {\"format\":\"runjournal.export/v1\",\"run\":\"r\",\"events\":[{},7]} | 2 | bundle event 2 is not a JSON object",
        "an event without seq | {\"format\":\"runjournal.export/v1\",\"run\":\"r\",\"events\":[{\"ts\":\"2026-01-01T00:00:00.000Z\"}]} | 1 | bundle event 1: missing seq",
        "trailing content     | {\"format\":\"runjournal.export/v1\",\"run\":\"r\",\"events\":[]} {} | 0 | the bundle has content after its closing brace",
      })
  void malformedBundle_isRefused_namingWhatIsWrong(
      String name, String body, long position, String message) {
    byte[] input = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> RunImport.parse(input, null, c -> {}))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.position()).isEqualTo(position))
        .hasMessageContaining(message);
  }

  @Test
  void bundle_whoseBranchesAreNotTheHeadsOfItsEvents_isRefusedAsCutShort() throws Exception {
    String text = new String(bundle(ExportOptions.all()), StandardCharsets.UTF_8);
    String cut = text.replace("\"branches\":{\"alt\":2,", "\"branches\":{\"alt\":3,");

    assertThatThrownBy(() -> RunImport.parse(cut.getBytes(StandardCharsets.UTF_8), null, c -> {}))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("are not the heads of its events")
        .hasMessageContaining("cut short");
  }

  @Test
  void rawJournal_withABadLine_isRefusedNamingTheLine() throws Exception {
    List<String> lines =
        new ArrayList<>(new String(sourceFile(), StandardCharsets.UTF_8).lines().toList());
    List<String> blank = new ArrayList<>(lines);
    blank.add(2, "");
    List<String> broken = new ArrayList<>(lines);
    broken.set(3, lines.get(3).substring(0, 20));
    List<String> otherRun = new ArrayList<>(lines);
    otherRun.set(4, lines.get(4).replace("\"run\":\"" + RUN + "\"", "\"run\":\"other\""));

    assertThatThrownBy(() -> parseLines(blank))
        .hasMessage("line 3 is empty: a journal has no blank lines");
    assertThatThrownBy(() -> parseLines(broken))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.position()).isEqualTo(4))
        .hasMessageStartingWith("line 4: invalid JSON");
    assertThatThrownBy(() -> parseLines(otherRun))
        .hasMessage("line 5: run \"other\" does not match the journal's run");
  }

  private static RunImport.Source parseLines(List<String> lines) {
    String text = String.join("\n", lines) + "\n";
    return RunImport.parse(text.getBytes(StandardCharsets.UTF_8), null, c -> {});
  }

  @Test
  void rawJournal_underAnotherRunId_mustStillBeCanonical() throws Exception {
    String reformatted =
        new String(sourceFile(), StandardCharsets.UTF_8)
            .replaceFirst("\\{\"seq\":1,", "{\"seq\": 1,");

    assertThatThrownBy(
            () -> RunImport.parse(reformatted.getBytes(StandardCharsets.UTF_8), "copy-2", c -> {}))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.position()).isEqualTo(1))
        .hasMessageStartingWith("line 1 is not written as the journal writes it");
  }

  @Test
  void parsedEvents_keepTheirLines_soTheJournalRefusesAReformattedOne() throws Exception {
    String reformatted =
        new String(sourceFile(), StandardCharsets.UTF_8).replace("{\"goal\":", "{ \"goal\":");
    RunImport.Source read =
        RunImport.parse(reformatted.getBytes(StandardCharsets.UTF_8), null, c -> {});

    assertThatThrownBy(() -> target.importEvents(RUN, read.events()))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.position()).isEqualTo(2))
        .hasMessageStartingWith("event 2 has data that is not in the journal's canonical form");
    assertThat(target.exists(RUN)).isFalse();
    assertThat(read.events()).extracting(Event::seq).startsWith(1L, 2L);
  }
}
