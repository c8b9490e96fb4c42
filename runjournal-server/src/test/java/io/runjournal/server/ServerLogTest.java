package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.LogEntry;
import io.runjournal.server.logging.ServerLogs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The server's own logs go through the file sink to {@code <data>/logs/runjournal.jsonl}. */
class ServerLogTest {
  @TempDir Path data;
  final ch.qos.logback.classic.Logger serverLogger =
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(RunJournalServer.class);

  @BeforeEach
  void showServerInfo() {
    serverLogger.setLevel(Level.INFO); // the tests' logback config keeps io.runjournal at ERROR
  }

  @AfterEach
  void restoreLevel() {
    serverLogger.setLevel(null);
    MDC.clear();
  }

  static List<LogEntry> records(Path file) throws IOException, MalformedLineException {
    List<LogEntry> records = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      records.add((LogEntry) RecordCodec.parse(line));
    }
    return records;
  }

  @Test
  void theServersOwnLogs_areRecordsInTheDataDirectory_redacted() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
      MDC.put("token", "rj_secret_value");
      serverLogger.warn("a warning with a token in the MDC");
      MDC.clear();
    }

    Path file = data.resolve(ServerLogs.FILE);
    List<LogEntry> records = records(file);
    assertThat(records)
        .extracting(LogEntry::msg)
        .anyMatch(msg -> msg.startsWith("serving " + data))
        .contains("a warning with a token in the MDC", "stopped");
    assertThat(records)
        .filteredOn(entry -> entry.msg().equals("stopped"))
        .extracting(LogEntry::source)
        .containsExactly(RunJournalServer.class.getName());
    LogEntry warning =
        records.stream()
            .filter(entry -> entry.msg().startsWith("a warning"))
            .findFirst()
            .orElseThrow();
    assertThat(warning.level()).isEqualTo(io.runjournal.logging.Level.WARN);
    assertThat(warning.attributes()).containsEntry("token", "[REDACTED]");
    assertThat(Files.readString(file)).doesNotContain("rj_secret_value");
  }

  @Test
  void aSecondServerOnTheSameData_appendsToTheSameLog() throws Exception {
    try (TestServer first = TestServer.start(data)) {
      assertThat(first.url()).isNotNull();
    }
    try (TestServer second = TestServer.start(data)) {
      assertThat(second.url()).isNotNull();
    }

    assertThat(records(data.resolve(ServerLogs.FILE)))
        .extracting(LogEntry::msg)
        .filteredOn("stopped"::equals)
        .hasSize(2);
  }

  @Test
  void theLogDirectoryCannotBeCreated_theServerStillStarts() throws Exception {
    Files.writeString(data.resolve("logs"), "a file where the directory should be");

    try (TestServer server = TestServer.start(data)) {
      assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
    }
  }
}
