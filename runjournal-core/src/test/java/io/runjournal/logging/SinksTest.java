package io.runjournal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.logging.RecordCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public file sink, end to end on a real file. */
class SinksTest {
  private static final Instant WHEN = Instant.parse("2025-01-01T12:00:00Z");

  @TempDir Path dir;

  @Test
  void file_writesEveryRecordAsALine_byClose() throws IOException, MalformedLineException {
    Path file = dir.resolve("app.log");
    List<String> warnings = new CopyOnWriteArrayList<>();
    List<LogRecord> emitted = new ArrayList<>();
    LogSink sink =
        Sinks.file(
            FileSinkOptions.at(file).withWarnings((message, error) -> warnings.add(message)));

    for (int i = 0; i < 1_000; i++) {
      LogRecord record =
          i % 2 == 0
              ? new LogEntry(Level.INFO, "step " + i, WHEN, "agent", "00a1", Attributes.of("i", i))
              : new SpanClose("00a1", "step", WHEN, i, SpanStatus.OK, "agent", null, null);
      sink.emit(record);
      emitted.add(record);
    }
    sink.close();

    List<LogRecord> written = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      written.add(RecordCodec.parse(line));
    }
    assertThat(written).isEqualTo(emitted);
    assertThat(warnings).isEmpty();
  }

  @Test
  void file_inAMissingDirectory_doesNotThrow_andWarnsNamingThePath() {
    Path file = dir.resolve("nowhere").resolve("app.log");
    List<String> warnings = new CopyOnWriteArrayList<>();
    LogSink sink =
        Sinks.file(
            FileSinkOptions.at(file).withWarnings((message, error) -> warnings.add(message)));

    sink.emit(new LogEntry(Level.INFO, "lost", WHEN, "agent", null, null));
    sink.close();

    assertThat(warnings).singleElement().asString().contains(file.toString());
    assertThat(file.getParent()).doesNotExist();
  }
}
