package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archiving and deleting a run that another process has open, with its journal files, its state and
 * its hold on the run's lock file: that process must notice on its next append or read, and never
 * write into a file that is no longer the run's journal.
 */
class RetentionAcrossProcessesTest {
  @TempDir Path data;
  @TempDir Path work;

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private ChildJvm child;

  @BeforeEach
  void startChild() throws Exception {
    child = ChildJvm.start("shell", work, JournalShellMain.class, data.toString());
    child.readUntil("ready", ChildJvm.PATIENCE);
  }

  @AfterEach
  void stopChild() {
    child.close();
    threads.shutdownNow();
  }

  private String ask(String command) throws Exception {
    child.send(command);
    return child.nextLine(ChildJvm.PATIENCE);
  }

  private void finishRunInTheChild(String run) throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(ask("append " + run + " step")).isEqualTo("ok " + (i + 1));
    }
    assertThat(ask("append " + run + " run.completed")).isEqualTo("ok 21");
  }

  @Test
  void archive_ofARunAnotherProcessWrote_itReadsTheArchive_andItsAppendsAreRefused()
      throws Exception {
    finishRunInTheChild("done");

    try (Journal journal = Journal.open(data)) {
      journal.archive("done");
    }

    assertThat(ask("append done late")).isEqualTo("error run-ended");
    assertThat(ask("head done")).isEqualTo("head 21");
    assertThat(data.resolve("runs/done/events.jsonl")).doesNotExist();
    assertThat(data.resolve("runs/done/events.jsonl.gz")).exists();
  }

  @Test
  void delete_ofARunAnotherProcessHasOpen_itStartsTheRunAfresh_andBothAppendInOneSequence()
      throws Exception {
    finishRunInTheChild("done");

    try (Journal journal = Journal.open(data)) {
      assertThat(journal.delete("done")).isTrue();
      assertThat(Files.exists(data.resolve("runs/done"))).isFalse();

      // The child's next append finds its files gone and starts the run again, under the lock of
      // the new lock file; appends from both processes then share one dense sequence.
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        seqs.add(Long.parseLong(ask("append done child").substring(3)));
        seqs.add(journal.append("done", NewEvent.of("parent")).first());
      }

      assertThat(seqs).containsExactlyInAnyOrderElementsOf(range(1, 60));
      List<Event> events = journal.read("done", ReadQuery.all().failOnMalformed()).events();
      assertThat(events).extracting(Event::seq).containsExactlyElementsOf(range(1, 60));
      assertThat(journal.verify("done").ok()).isTrue();
    }
    assertThat(ask("head done")).isEqualTo("head 60");
  }

  private static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long value = from; value <= to; value++) {
      values.add(value);
    }
    return values;
  }

  @Test
  void delete_byAnotherProcess_ofARunTwoJournalsOfThisProcessHaveOpen_neitherKeepsTheOldLock()
      throws Exception {
    try (Journal first = Journal.open(data);
        Journal second = Journal.open(data)) {
      first.append("done", NewEvent.of("step"));
      second.append("done", NewEvent.of("run.completed"));

      assertThat(ask("delete done")).isEqualTo("deleted true");

      // Both journals share this JVM's hold on the lock file; it must move to the new lock file,
      // or this process and the child would each append under a lock of its own.
      Future<?> here =
          threads.submit(
              () -> {
                for (int i = 0; i < 300; i++) {
                  (i % 2 == 0 ? first : second).append("done", NewEvent.of("here"));
                }
                return null;
              });
      assertThat(ask("append-many done child 300")).startsWith("ok ");
      here.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);

      assertThat(first.verify("done").ok()).as("every line valid, seqs dense").isTrue();
      assertThat(first.read("done", ReadQuery.all().limit(1000)).events())
          .extracting(Event::seq)
          .containsExactlyElementsOf(range(1, 600));
    }
  }
}
