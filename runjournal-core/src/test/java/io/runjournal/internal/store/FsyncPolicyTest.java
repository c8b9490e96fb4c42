package io.runjournal.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.FsyncPolicy;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each fsync policy syncs, and that many runs never exhaust file descriptors. */
class FsyncPolicyTest {
  @TempDir Path data;

  /** Counts forces; otherwise plain NIO. */
  static final class CountingOps implements FileOps {
    final AtomicInteger forces = new AtomicInteger();

    @Override
    public void force(FileChannel channel) throws IOException {
      forces.incrementAndGet();
      FileOps.super.force(channel);
    }
  }

  @Test
  void always_forcesBeforeEveryAcknowledgement() {
    CountingOps ops = new CountingOps();
    try (FileJournal journal =
        FileJournal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.ALWAYS), ops)) {
      for (int i = 1; i <= 5; i++) {
        journal.append("r", NewEvent.of("x"));
        assertThat(ops.forces).as("forces after append %d", i).hasValue(i);
      }
    }
  }

  @Test
  void interval_acknowledgesWithoutSync_thenSyncsOnTheTimer() {
    CountingOps ops = new CountingOps();
    try (FileJournal journal =
        FileJournal.open(
            data,
            JournalOptions.defaults()
                .withFsync(FsyncPolicy.INTERVAL)
                .withFsyncInterval(Duration.ofMillis(20)),
            ops)) {
      journal.append("r", NewEvent.of("x"));
      journal.append("r", NewEvent.of("y"));

      await().atMost(Duration.ofSeconds(10)).until(() -> ops.forces.get() >= 1);
      int afterTimer = ops.forces.get();
      journal.append("r", NewEvent.of("z"));
      await().atMost(Duration.ofSeconds(10)).until(() -> ops.forces.get() > afterTimer);
    }
  }

  @Test
  void none_neverSyncs_evenOnClose() {
    CountingOps ops = new CountingOps();
    FileJournal journal =
        FileJournal.open(data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE), ops);
    for (int i = 0; i < 10; i++) {
      journal.append("r", NewEvent.of("x"));
    }
    journal.close();

    assertThat(ops.forces).hasValue(0);
  }

  @Test
  void thousandsOfRuns_keepOpenDescriptorsBounded() throws IOException {
    long before = openDescriptors();
    try (FileJournal journal =
        FileJournal.open(
            data, JournalOptions.defaults().withFsync(FsyncPolicy.NONE).withMaxOpenRuns(16))) {
      for (int i = 0; i < 2000; i++) {
        journal.append("run-" + i, NewEvent.of("x"));
        journal.read("run-" + (i / 2), io.runjournal.ReadQuery.all());
      }
      assertThat(openDescriptors() - before)
          .as("descriptors held for 2000 runs with maxOpenRuns=16 (3 per open run at most)")
          .isLessThanOrEqualTo(16 * 3 + 8);
      assertThat(journal.listRuns()).hasSize(2000);
      assertThat(journal.head("run-0", "main")).isEqualTo(1);
    }
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }
}
