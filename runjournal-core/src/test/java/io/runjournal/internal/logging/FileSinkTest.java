package io.runjournal.internal.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.FileFsync;
import io.runjournal.logging.FileSinkOptions;
import io.runjournal.logging.Level;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.LogRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink on real files: opening, appending, failures, torn tails, rotation, fsync. */
class FileSinkTest {
  private static final Instant WHEN = Instant.parse("2025-01-01T12:00:00Z");

  @TempDir Path dir;
  final MutableClock clock = new MutableClock();
  final CollectingWarnings warnings = new CollectingWarnings();
  final TestFileOps ops = new TestFileOps();

  FileSinkOptions options(Path path) {
    return FileSinkOptions.at(path).withClock(clock).withWarnings(warnings);
  }

  static LogEntry entry(int number) {
    return entry(number, "record " + number);
  }

  static LogEntry entry(int number, String msg) {
    return new LogEntry(Level.INFO, msg, WHEN, "test", null, Attributes.of("n", number));
  }

  /** The records of the file, checking that it holds whole lines only. */
  static List<LogRecord> wholeRecords(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length == 0 || bytes[bytes.length - 1] == '\n')
        .as("%s ends with a whole line: %s", file, new String(bytes, UTF_8))
        .isTrue();
    List<LogRecord> records = new ArrayList<>();
    for (String line : new String(bytes, UTF_8).lines().toList()) {
      try {
        records.add(RecordCodec.parse(line));
      } catch (MalformedLineException e) {
        throw new AssertionError(file + " has a line that is not a whole record: " + line, e);
      }
    }
    return records;
  }

  @Test
  void emit_onMissingDirectory_warnsAndDoesNotThrow_thenWritesOnceTheDirectoryExists()
      throws IOException {
    Path file = dir.resolve("missing").resolve("app.log");
    FileSink sink = new FileSink(options(file), ops);

    sink.emit(entry(1));
    sink.emit(entry(2));

    assertThat(sink.dropped()).isEqualTo(2);
    assertThat(warnings.warnings).hasSize(1);
    assertThat(warnings.warnings.get(0).message())
        .contains(file.toString())
        .contains("dropped the record");
    assertThat(warnings.warnings.get(0).error()).isInstanceOf(NoSuchFileException.class);

    Files.createDirectories(file.getParent());
    sink.emit(entry(3));
    sink.close();

    assertThat(wholeRecords(file)).containsExactly(entry(3));
    assertThat(warnings.warnings).hasSize(2);
    assertThat(warnings.warnings.get(1).message())
        .contains(file.toString())
        .contains("recovered after dropping 2 records");
    assertThat(warnings.warnings.get(1).error()).isNull();
  }

  @Test
  void emit_onExistingFile_appendsAfterItsLines() throws IOException {
    Path file = dir.resolve("app.log");
    Files.write(file, concat(RecordCodec.toLine(entry(1)), RecordCodec.toLine(entry(2))));

    try (FileSink sink = new FileSink(options(file), ops)) {
      sink.emit(entry(3));
    }

    assertThat(wholeRecords(file)).containsExactly(entry(1), entry(2), entry(3));
    assertThat(warnings.warnings).isEmpty();
  }

  @Test
  void emit_whenAWriteFailsPartWay_dropsThatRecordWithTheError_andTheNextRecordIsWritten()
      throws IOException {
    Path file = dir.resolve("app.log");
    FileSink sink = new FileSink(options(file), ops);
    sink.emit(entry(1));
    IOException diskError = new IOException("disk on fire");
    ops.failNextWriteAfter(/* bytesFirst= */ 10, diskError);

    sink.emit(entry(2));

    assertThat(Files.size(file))
        .as("part of the failed line reached the file")
        .isEqualTo(RecordCodec.toLine(entry(1)).length + 10);
    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(warnings.warnings).hasSize(1);
    assertThat(warnings.warnings.get(0).error()).isSameAs(diskError);
    assertThat(warnings.warnings.get(0).message()).contains("write to log file " + file);

    sink.emit(entry(3));
    sink.close();

    assertThat(wholeRecords(file)).containsExactly(entry(1), entry(3));
  }

  @Test
  void open_withATornTail_cutsItOffAndWarnsOnceWithTheByteCount() throws IOException {
    byte[] whole = RecordCodec.toLine(entry(1));
    byte[] next = RecordCodec.toLine(entry(2));
    for (int cut = 1; cut < next.length; cut++) {
      Path file = dir.resolve("torn-" + cut + ".log");
      Files.write(file, concat(whole, Arrays.copyOf(next, cut)));
      warnings.warnings.clear();

      try (FileSink sink = new FileSink(options(file), ops)) {
        sink.emit(entry(3));
      }

      assertThat(wholeRecords(file)).as("cut at %d", cut).containsExactly(entry(1), entry(3));
      assertThat(warnings.messages())
          .as("cut at %d", cut)
          .singleElement()
          .asString()
          .contains(file.toString())
          .contains(cut + " bytes");
    }
  }

  @Test
  void open_withAFileOfOneTornLine_emptiesIt() throws IOException {
    Path file = dir.resolve("app.log");
    Files.writeString(file, "{\"kind\":\"lo");

    try (FileSink sink = new FileSink(options(file), ops)) {
      sink.emit(entry(1));
    }

    assertThat(wholeRecords(file)).containsExactly(entry(1));
    assertThat(warnings.messages()).singleElement().asString().contains("11 bytes");
  }

  @Test
  void emit_pastMaxBytes_rotatesToDotOne_andEveryLineInBothFilesIsWhole() throws IOException {
    Path file = dir.resolve("app.log");
    LogEntry small = new LogEntry(Level.INFO, "m", WHEN, "t", null, null);
    assertThat(RecordCodec.toLine(small).length).as("two lines would pass 100").isGreaterThan(50);

    try (FileSink sink = new FileSink(options(file).withMaxBytes(100), ops)) {
      sink.emit(small);
      sink.emit(entry(2));
    }

    assertThat(wholeRecords(dir.resolve("app.log.1"))).containsExactly(small);
    assertThat(wholeRecords(file)).containsExactly(entry(2));
    assertThat(dir.resolve("app.log.2")).doesNotExist();
  }

  @Test
  void rotation_withKeepTwo_neverMakesDotThree_andLeavesOnlyWholeLines() throws IOException {
    Path file = dir.resolve("app.log");
    List<LogRecord> emitted = new ArrayList<>();
    try (FileSink sink = new FileSink(options(file).withMaxBytes(300).withKeep(2), ops)) {
      for (int i = 0; i < 60; i++) {
        LogEntry record = entry(i, "x".repeat(i % 9 * 7));
        sink.emit(record);
        emitted.add(record);
        assertThat(dir.resolve("app.log.3")).as("after record %d", i).doesNotExist();
      }
    }

    List<LogRecord> kept = new ArrayList<>();
    for (Path each : List.of(dir.resolve("app.log.2"), dir.resolve("app.log.1"), file)) {
      assertThat(Files.size(each)).as("size of %s", each).isLessThanOrEqualTo(300);
      kept.addAll(wholeRecords(each));
    }
    assertThat(kept).isNotEmpty();
    assertThat(kept).isEqualTo(emitted.subList(emitted.size() - kept.size(), emitted.size()));
    assertThat(warnings.warnings).isEmpty();
  }

  @Test
  void emit_ofALineLongerThanMaxBytes_putsItAloneInAFile_evenAsTheFirstLine() throws IOException {
    Path file = dir.resolve("app.log");
    LogEntry firstLong = entry(0, "y".repeat(300));
    LogEntry laterLong = entry(2, "z".repeat(300));

    try (FileSink sink = new FileSink(options(file).withMaxBytes(250), ops)) {
      sink.emit(firstLong);
      sink.emit(entry(1));
      sink.emit(laterLong);
      sink.emit(entry(3));
    }

    assertThat(wholeRecords(dir.resolve("app.log.3"))).containsExactly(firstLong);
    assertThat(wholeRecords(dir.resolve("app.log.2"))).containsExactly(entry(1));
    assertThat(wholeRecords(dir.resolve("app.log.1"))).containsExactly(laterLong);
    assertThat(wholeRecords(file)).containsExactly(entry(3));
    assertThat(dir.resolve("app.log.4")).as("an empty file is never rotated").doesNotExist();
  }

  @Test
  void rotate_whenAMoveFails_dropsTheRecord_andTheNextEmitRotatesAndWrites() throws IOException {
    Path file = dir.resolve("app.log");
    FileSink sink = new FileSink(options(file).withMaxBytes(150), ops);
    sink.emit(entry(1));
    ops.failMoves(new IOException("read-only file system"));

    sink.emit(entry(2));

    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(warnings.messages()).singleElement().asString().contains("rotate log file");

    ops.heal();
    sink.emit(entry(3));
    sink.close();

    assertThat(wholeRecords(dir.resolve("app.log.1"))).containsExactly(entry(1));
    assertThat(wholeRecords(file)).containsExactly(entry(3));
    assertThat(warnings.messages().get(1)).contains("recovered after dropping 1 records");
  }

  @Test
  void periodic_forcesOnceTheIntervalHasPassedSinceTheLastSync() {
    FileSink sink = new FileSink(options(dir.resolve("app.log")), ops);
    List<Integer> forcesAfterEachEmit = new ArrayList<>();

    for (int seconds : new int[] {0, 6, 6, 12}) {
      clock.setSinceStart(Duration.ofSeconds(seconds));
      sink.emit(entry(seconds));
      forcesAfterEachEmit.add(ops.forces.get());
    }

    assertThat(forcesAfterEachEmit).containsExactly(0, 1, 1, 2);
  }

  @Test
  void periodic_rotation_forcesTheFileAndItsDirectory() {
    FileSink sink = new FileSink(options(dir.resolve("app.log")).withMaxBytes(150), ops);
    sink.emit(entry(1));

    sink.emit(entry(2));

    assertThat(ops.forces).hasValue(1);
    assertThat(ops.directoryForces).hasValue(1);
  }

  @Test
  void none_neverForces_notAtRotationNorTickNorClose() {
    Path file = dir.resolve("app.log");
    FileSink sink = new FileSink(options(file).withFsync(FileFsync.NONE).withMaxBytes(150), ops);

    for (int i = 0; i < 10; i++) {
      clock.setSinceStart(Duration.ofSeconds(10L * i));
      sink.emit(entry(i));
      sink.tick();
    }
    sink.close();

    assertThat(dir.resolve("app.log.1")).exists();
    assertThat(ops.forces).hasValue(0);
    assertThat(ops.directoryForces).hasValue(0);
  }

  @Test
  void tick_forcesOnlyWhenUnsyncedLinesAreDue() {
    FileSink sink = new FileSink(options(dir.resolve("app.log")), ops);
    sink.tick();
    assertThat(ops.forces).as("nothing open").hasValue(0);

    sink.emit(entry(1));
    clock.setSinceStart(Duration.ofSeconds(3));
    sink.tick();
    assertThat(ops.forces).as("3 s after the open").hasValue(0);

    clock.setSinceStart(Duration.ofSeconds(5));
    sink.tick();
    assertThat(ops.forces).as("5 s after the open").hasValue(1);

    clock.setSinceStart(Duration.ofSeconds(11));
    sink.tick();
    assertThat(ops.forces).as("nothing written since").hasValue(1);

    sink.emit(entry(2));
    assertThat(ops.forces).as("the emit is due too").hasValue(2);

    clock.setSinceStart(Duration.ofSeconds(12));
    sink.emit(entry(3));
    clock.setSinceStart(Duration.ofSeconds(15));
    sink.tick();
    assertThat(ops.forces).as("4 s after the last sync").hasValue(2);

    clock.setSinceStart(Duration.ofSeconds(16));
    sink.tick();
    assertThat(ops.forces).as("5 s after the last sync").hasValue(3);
  }

  @Test
  void close_forcesUnsyncedLinesOnce_isIdempotent_andLaterRecordsAreDroppedSilently()
      throws IOException {
    Path file = dir.resolve("app.log");
    FileSink sink = new FileSink(options(file), ops);
    sink.emit(entry(1));

    sink.close();
    sink.close();
    sink.emit(entry(2));

    assertThat(ops.forces).hasValue(1);
    assertThat(sink.dropped()).isEqualTo(1);
    assertThat(warnings.warnings).isEmpty();
    assertThat(wholeRecords(file)).containsExactly(entry(1));
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
