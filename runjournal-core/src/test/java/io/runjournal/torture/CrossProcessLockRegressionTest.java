package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.internal.store.FileJournal;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: the cross-process lock was a POSIX lock on {@code events.jsonl} itself, and POSIX
 * releases every lock a process holds on a file as soon as that process closes <em>any</em>
 * descriptor of the file. A read, a verify or a subscription poll in the same process (they open
 * and close the journal freely) silently dropped the lock of an append in progress, and another
 * process then appended the same seqs: duplicate seqs, and acknowledged events skipped as
 * malformed.
 */
class CrossProcessLockRegressionTest {
  private static final String RUN = "locked";

  @TempDir Path data;
  @TempDir Path work;

  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void verifyClosingTheJournalFile_whileAnotherThreadAppends_keepsOtherProcessesLockedOut()
      throws Exception {
    FaultyFileOps ops = new FaultyFileOps();
    JournalOptions options = JournalOptions.defaults().withFsync(FsyncPolicy.NONE);
    try (Journal journal = FileJournal.open(data, options, ops)) {
      journal.append(RUN, NewEvent.of("first"));
      CountDownLatch inWrite = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ops.stallNextWrite(inWrite, release);
      Future<Long> stalled =
          threads.submit(() -> journal.append(RUN, NewEvent.of("second")).first());
      assertThat(inWrite.await(60, TimeUnit.SECONDS)).isTrue();

      // Opens and closes events.jsonl while the stalled append holds the lock.
      assertThat(journal.verify(RUN).ok()).isTrue();
      Files.readAllBytes(data.resolve("runs").resolve(RUN).resolve("events.jsonl"));

      String probe;
      try (ChildJvm child =
          ChildJvm.start(
              "probe", work, ProbeAppendMain.class, data.toString(), RUN, /* budget ms */ "300")) {
        probe = child.nextLine(ChildJvm.PATIENCE);
        child.awaitSuccess(ChildJvm.PATIENCE);
      } finally {
        release.countDown();
      }

      assertThat(probe)
          .as("the other process must not get the lock")
          .isEqualTo("failed lock-timeout");
      assertThat(stalled.get(60, TimeUnit.SECONDS)).isEqualTo(2);
      Journals.assertDenseAndUnique(journal, RUN, "after the stalled append");
    }
  }
}
