package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.model.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs and several threads append to one run at once (DESIGN §3: "two processes appending
 * to one run produce contiguous sequences and whole lines"), while a reader in the test process
 * follows the tail.
 */
class MultiProcessAppendTest {
  private static final String RUN = "shared-run";
  private static final int CHILDREN = 3;
  private static final int THREADS = 2;

  @TempDir Path data;
  @TempDir Path work;

  private final List<ChildJvm> children = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopEverything() {
    ChildJvm.closeAll(children);
    threads.shutdownNow();
  }

  @Test
  void appends_fromThreeProcessesAndTwoThreads_getDenseSequencesAndEveryEventOnce()
      throws Exception {
    int count = Torture.size(150, 3_000);

    Map<String, List<String>> reports =
        appendFromEveryone(count, FsyncPolicy.NONE, /* retry= */ false);

    try (Journal journal = Journal.open(data)) {
      Map<String, Event> byId = Journals.assertDenseAndUnique(journal, RUN, "after all appends");
      assertThat(byId).hasSize(reports.size() * count);
      reports.forEach(
          (appender, lines) -> {
            assertThat(lines).as("%s's acks", appender).hasSize(count);
            for (int i = 0; i < count; i++) {
              String id = appender + "-" + i;
              assertThat(lines.get(i)).startsWith("ack " + id + " ");
              Event event = byId.get(id);
              assertThat(event).as("event %s acknowledged to %s", id, appender).isNotNull();
              assertThat(lines.get(i)).isEqualTo("ack " + id + " " + event.seq());
              assertThat(event.data()).isEqualTo(AppenderMain.ownEvent(appender, i).data());
            }
          });
    }
  }

  @Test
  void retries_acrossProcesses_answerTheOriginalSeqAndWriteEachIdOnce() throws Exception {
    int count = Torture.size(120, 2_000);
    int sharedEvents = (count + 4) / 5;

    Map<String, List<String>> reports =
        appendFromEveryone(count, FsyncPolicy.ALWAYS, /* retry= */ true);

    try (Journal journal = Journal.open(data)) {
      Map<String, Event> byId = Journals.assertDenseAndUnique(journal, RUN, "after retries");
      assertThat(byId).hasSize(reports.size() * count + sharedEvents);
      Map<String, Long> sharedSeqs = new HashMap<>();
      Map<String, Integer> sharedWriters = new HashMap<>();
      reports.forEach(
          (appender, lines) -> {
            Map<String, Long> acked = new HashMap<>();
            for (String line : lines) {
              String[] fields = line.split(" ");
              String id = fields[1];
              long seq = Long.parseLong(fields[2]);
              assertThat(seq).as("%s: %s", appender, line).isEqualTo(byId.get(id).seq());
              switch (fields[0]) {
                case "ack" -> acked.put(id, seq);
                case "retry" -> {
                  assertThat(fields[3])
                      .as("%s: a retry is a duplicate: %s", appender, line)
                      .isEqualTo("true");
                  assertThat(seq)
                      .as("%s: retry answers the ack: %s", appender, line)
                      .isEqualTo(acked.get(id));
                }
                case "shared" -> {
                  Long earlier = sharedSeqs.putIfAbsent(id, seq);
                  assertThat(earlier == null ? seq : earlier).isEqualTo(seq);
                  if (fields[3].equals("false")) {
                    sharedWriters.merge(id, 1, Integer::sum);
                  }
                }
                default -> throw new AssertionError("unexpected report " + line);
              }
            }
            assertThat(acked).as("%s's acks", appender).hasSize(count);
          });
      assertThat(sharedSeqs).hasSize(sharedEvents);
      assertThat(sharedWriters)
          .as("each shared event is written by exactly one appender")
          .hasSize(sharedEvents)
          .allSatisfy((id, writers) -> assertThat(writers).as(id).isEqualTo(1));
    }
  }

  /**
   * Starts {@value #CHILDREN} child JVMs and {@value #THREADS} appending threads at once, with a
   * reader following the tail strictly, and returns each appender's report lines by its prefix.
   */
  private Map<String, List<String>> appendFromEveryone(int count, FsyncPolicy fsync, boolean retry)
      throws Exception {
    Map<String, List<String>> reports = new LinkedHashMap<>();
    for (int k = 0; k < CHILDREN; k++) {
      String prefix = "child" + k;
      children.add(
          ChildJvm.start(
              prefix,
              work,
              AppenderMain.class,
              data.toString(),
              RUN,
              Integer.toString(count),
              fsync.name(),
              prefix,
              retry ? "retry" : "plain"));
    }
    for (ChildJvm child : children) {
      child.readUntil("ready", ChildJvm.PATIENCE);
    }
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean appendersDone = new AtomicBoolean();
    List<Future<?>> appenders = new ArrayList<>();
    try (Journal journal = Journal.open(data, JournalOptions.defaults().withFsync(fsync))) {
      for (int t = 0; t < THREADS; t++) {
        String prefix = "thread" + t;
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        reports.put(prefix, lines);
        appenders.add(
            threads.submit(
                () -> {
                  go.await();
                  AppenderMain.appendAll(journal, RUN, count, prefix, retry, lines::add);
                  return null;
                }));
      }
      Future<Long> reader = threads.submit(() -> followTail(journal, go, appendersDone));
      for (ChildJvm child : children) {
        child.send("go");
      }
      go.countDown();
      for (ChildJvm child : children) {
        reports.put(child.name(), child.readUntil("done", ChildJvm.PATIENCE));
        child.awaitSuccess(ChildJvm.PATIENCE);
      }
      for (Future<?> appender : appenders) {
        appender.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS);
      }
      appendersDone.set(true);
      assertThat(reader.get(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isPositive();
    }
    return reports;
  }

  /** Reads the last events strictly until the appenders are done; returns how many reads. */
  private static long followTail(Journal journal, CountDownLatch go, AtomicBoolean done)
      throws InterruptedException {
    go.await();
    long reads = 0;
    do {
      long head = journal.head(RUN, "main");
      long after = Math.max(0, head - 20);
      List<Event> page =
          journal.read(RUN, ReadQuery.all().afterSeq(after).failOnMalformed()).events();
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < page.size(); i++) {
        assertThat(page.get(i).seq()).as("tail read after %d", after).isEqualTo(after + 1 + i);
        assertThat(seen.add(page.get(i).seq())).isTrue();
      }
      reads++;
    } while (!done.get());
    return reads;
  }
}
