package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: two journals of one JVM on the same data directory, opened with different spellings
 * of its path, did not share the in-process run lock (keyed by the unnormalised path), so both
 * asked the OS for the same file lock and the JVM threw {@code OverlappingFileLockException} out of
 * {@code append}, which is not even a {@code RunJournalException}.
 */
class TwoJournalsOneDirectoryRegressionTest {
  private static final String RUN = "two-instances";

  @TempDir Path data;
  @TempDir Path work;

  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @ParameterizedTest(name = "second journal opened as {0}")
  @ValueSource(strings = {"dot-dot", "relative", "symlink"})
  void twoJournalsOnOneDirectory_spelledDifferently_appendWithDenseSeqs(String spelling)
      throws Exception {
    Path other =
        switch (spelling) {
          case "dot-dot" -> Files.createDirectories(data.resolve("sub")).resolve("..");
          case "relative" -> Path.of("").toAbsolutePath().relativize(data);
          default -> Files.createSymbolicLink(data.resolve("self"), data);
        };
    int count = Torture.size(1_000, 20_000);
    JournalOptions options = JournalOptions.defaults().withFsync(FsyncPolicy.NONE);
    try (Journal first = Journal.open(data, options);
        Journal second = Journal.open(other, options)) {
      CountDownLatch go = new CountDownLatch(1);
      Future<?> one = threads.submit(() -> appendMany(first, "first", count, go));
      Future<?> two = threads.submit(() -> appendMany(second, "second", count, go));
      go.countDown();
      one.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      two.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);

      assertThat(Journals.assertDenseAndUnique(first, RUN, spelling)).hasSize(2 * count);
    }
  }

  private static Void appendMany(Journal journal, String prefix, int count, CountDownLatch go)
      throws InterruptedException {
    go.await();
    for (int i = 0; i < count; i++) {
      journal.append(RUN, NewEvent.of("tick").withId(prefix + "-" + i));
    }
    return null;
  }
}
