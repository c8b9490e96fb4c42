package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runjournal.ImportResult;
import io.runjournal.InvalidEventException;
import io.runjournal.Journal;
import io.runjournal.client.RunJournalClient;
import io.runjournal.export.RunImport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runjournal import FILE}: writes a run from an export bundle or a raw journal, byte for
 * byte; a run that already holds exactly these events is left as it is.
 */
@Command(
    name = "import",
    description = {
      "Imports a run from an export bundle or a raw journal, byte for byte.",
      "",
      "The journal's lines are those of the run exported. Importing the same run again",
      "changes nothing; a run holding other events is refused (exit 3). Prints",
      "{\"run\",\"created\",\"events\",\"heads\"}."
    },
    footer = {
      "%nExamples:",
      "  runjournal import pipe-01.json --data /srv/other",
      "  runjournal export pipe-01 | runjournal import - --run pipe-01-copy"
    })
final class ImportCommand extends ServerCapableCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The bundle or journal to import; - reads stdin.")
  private String file;

  @Option(
      names = "--run",
      paramLabel = "RUN",
      description = "Import under this run id instead (only the events' run field changes).")
  private String rename;

  ImportCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Journal journal) throws IOException {
    byte[] input = read();
    ImportResult result;
    try (Progress progress = Progress.start("import")) {
      progress.total(eventsIn(input));
      RunImport.Source source = RunImport.parse(input, rename, parsed -> progress.step());
      try {
        result = journal.importEvents(source.run(), source.events());
      } catch (InvalidEventException e) {
        throw source.locate(e);
      }
    }
    return print(result.run(), result.created(), result.events(), result.heads());
  }

  @Override
  int run(RunJournalClient client) throws IOException {
    io.runjournal.client.ImportResult result = client.importRun(read(), rename);
    JsonNode summary = result.summary().json();
    Map<String, Long> heads = new java.util.TreeMap<>();
    summary.path("head").properties().forEach(e -> heads.put(e.getKey(), e.getValue().asLong()));
    return print(
        result.summary().id(), result.created(), summary.path("eventCount").asLong(), heads);
  }

  /**
   * About how many events {@code input} holds, for the progress bar: every canonical line starts
   * with {@code {"seq":}, in a bundle as in a journal (data holding such an object counts too).
   */
  private static long eventsIn(byte[] input) {
    byte[] start = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    long count = 0;
    for (int i = 0; i + start.length <= input.length; i++) {
      if (input[i] == '{'
          && java.util.Arrays.equals(input, i, i + start.length, start, 0, start.length)) {
        count++;
      }
    }
    return count;
  }

  private byte[] read() throws IOException {
    if (file.equals("-")) {
      return context.in().readAllBytes();
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw usage("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  private int print(String run, boolean created, long events, Map<String, Long> heads) {
    ObjectNode line = JSON.createObjectNode();
    line.put("run", run);
    line.put("created", created);
    line.put("events", events);
    ObjectNode headsNode = line.putObject("heads");
    new java.util.TreeMap<>(heads).forEach(headsNode::put);
    out().print(line + "\n");
    return ExitCodes.OK;
  }
}
