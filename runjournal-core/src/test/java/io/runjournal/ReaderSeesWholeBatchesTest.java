package io.runjournal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader folds in another writer's lines only under the shared file lock, so it never sees a
 * batch that is still being written (or that a full disk will roll back).
 */
class ReaderSeesWholeBatchesTest {
  @TempDir Path data;
  Journal journal;

  @BeforeEach
  void open() {
    journal =
        Journal.open(
            data,
            JournalOptions.defaults()
                .withFsync(FsyncPolicy.NONE)
                .withLockTimeout(Duration.ofMillis(100)));
  }

  @AfterEach
  void close() {
    journal.close();
  }

  @Test
  void read_whileAnotherWriterHoldsTheLock_doesNotSeeItsLinesUntilItReleases() throws Exception {
    journal.append("r", NewEvent.of("acknowledged"));
    Path run = data.resolve("runs/r");
    String inFlight =
        "{\"seq\":2,\"ts\":\"2026-11-21T10:00:00.000Z\",\"run\":\"r\",\"branch\":\"main\","
            + "\"type\":\"in-flight\"}\n";

    try (FileChannel lockChannel =
            FileChannel.open(run.resolve("events.jsonl.lock"), StandardOpenOption.WRITE);
        FileLock writerLock = LockFiles.takeAppendLock(lockChannel)) {
      assertThat(writerLock.isValid()).isTrue();
      Files.writeString(run.resolve("events.jsonl"), inFlight, StandardOpenOption.APPEND);

      assertThat(journal.read("r", ReadQuery.all()).events())
          .extracting(Event::type)
          .containsExactly("acknowledged");
      assertThat(journal.head("r", "main")).isEqualTo(1);
    }

    assertThat(journal.read("r", ReadQuery.all()).events())
        .extracting(Event::type)
        .containsExactly("acknowledged", "in-flight");
  }
}
