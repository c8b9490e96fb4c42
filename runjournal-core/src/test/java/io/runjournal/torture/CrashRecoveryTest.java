package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.RepairReport;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while it appends with {@code fsync=always}, again and again on one
 * run (DESIGN §3: "every mode survives a process crash with no acknowledged event lost"). After
 * each kill: every acknowledged event is present exactly once at its acknowledged seq, no batch is
 * half-written, a torn tail is quarantined, and the journal keeps appending at the next seq.
 */
class CrashRecoveryTest {
  private static final String RUN = "crashing";
  private static final Pattern BATCH = Pattern.compile("\"batch\":\"([^\"]+)\",\"size\":(\\d+)");

  @TempDir Path data;
  @TempDir Path work;

  private ChildJvm child;

  @AfterEach
  void killChild() {
    if (child != null) {
      child.close();
    }
  }

  @Test
  @Timeout(value = 61, unit = TimeUnit.MINUTES) // Torture.withinBudget sizes the real limit
  void kill9_duringAppends_losesNoAcknowledgedEvent_andAppendsContinueAtTheNextSeq() {
    Torture.withinBudget(this::killRepeatedly);
  }

  private void killRepeatedly() throws Exception {
    long seed = Torture.seed();
    Random random = new Random(seed);
    int kills = Torture.size(5, 200);
    Map<String, Long> acknowledged = new HashMap<>();
    Set<String> idsInJournal = new HashSet<>();
    long head = 0;
    for (int kill = 0; kill < kills; kill++) {
      try {
        head = crashAndRecover(kill, random, head, acknowledged, idsInJournal);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "seed " + seed + " (replay: -Drunjournal.seed=" + seed + "), kill #" + kill + ": " + e,
            e);
      }
    }
    try (Journal journal = Journal.open(data)) {
      Map<String, Event> byId = Journals.assertDenseAndUnique(journal, RUN, "seed " + seed);
      acknowledged.forEach(
          (id, seq) ->
              assertThat(byId.get(id))
                  .as("seed %d: acknowledged %s at seq %d", seed, id, seq)
                  .extracting(Event::seq)
                  .isEqualTo(seq));
    }
  }

  /** One child life: append, SIGKILL at a random moment, recover; returns the new head. */
  private long crashAndRecover(
      int kill,
      Random random,
      long headBefore,
      Map<String, Long> acknowledged,
      Set<String> idsInJournal)
      throws Exception {
    String prefix = "k" + kill;
    child =
        ChildJvm.start(
            prefix,
            work,
            CrashAppenderMain.class,
            data.toString(),
            RUN,
            prefix,
            Long.toString(random.nextLong()));
    child.readUntil("ready", ChildJvm.PATIENCE);
    int acksBeforeKill = random.nextInt(26);
    List<String> lines = new ArrayList<>();
    while (lines.size() < acksBeforeKill) {
      String line = child.nextLine(ChildJvm.PATIENCE);
      if (line == null) {
        fail("child %s died on its own; stderr:%n%s", prefix, child.stderr());
      }
      lines.add(line);
    }
    // Jitter, not a wait: moves the kill to a random point of the child's append cycle.
    LockSupport.parkNanos(random.nextInt(3_000_000));
    child.kill();
    lines.addAll(child.readToEnd(ChildJvm.PATIENCE));
    Map<String, Long> acked = parseAcks(lines);
    acknowledged.putAll(acked);

    try (Journal journal = Journal.open(data, JournalOptions.defaults())) {
      checkEventsSince(journal, headBefore, acked, idsInJournal);
      RepairReport repair = journal.repair(RUN);
      assertThat(journal.verify(RUN).ok()).as("verify after repair (%s)", repair).isTrue();
      long head = journal.head(RUN, "main");
      long next =
          journal.append(RUN, NewEvent.of("test.recovered").withId("recovered-" + kill)).first();
      assertThat(next).as("first append after the crash").isEqualTo(head + 1);
      idsInJournal.add("recovered-" + kill);
      return next;
    }
  }

  /** The acknowledged events of complete ack lines, by id. */
  private static Map<String, Long> parseAcks(List<String> lines) {
    Map<String, Long> acked = new HashMap<>();
    for (String line : lines) {
      if (!line.startsWith("ack ") || !line.endsWith(" .")) {
        continue; // a line cut by the kill: its append counts as not acknowledged
      }
      String[] fields = line.split(" ");
      for (int i = 1; i < fields.length - 1; i++) {
        int colon = fields[i].lastIndexOf(':');
        acked.put(fields[i].substring(0, colon), Long.parseLong(fields[i].substring(colon + 1)));
      }
    }
    return acked;
  }

  /**
   * Checks the events appended since {@code headBefore}: dense, each id new, each acknowledged one
   * at its seq, each batch whole. Reads strictly, before any repair.
   */
  private static void checkEventsSince(
      Journal journal, long headBefore, Map<String, Long> acked, Set<String> idsInJournal) {
    List<Event> events = new ArrayList<>();
    long after = headBefore;
    ReadResult page;
    do {
      page = journal.read(RUN, ReadQuery.all().afterSeq(after).failOnMalformed());
      events.addAll(page.events());
      after = page.next() == null ? after : page.next();
    } while (page.next() != null);
    Map<String, Long> found = new HashMap<>();
    Map<String, Integer> batchSeen = new HashMap<>();
    Map<String, Integer> batchSize = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      Event event = events.get(i);
      assertThat(event.seq()).as("seq after the crash").isEqualTo(headBefore + 1 + i);
      assertThat(idsInJournal.add(event.id())).as("id %s written twice", event.id()).isTrue();
      assertThat(event.data()).contains("\"id\":\"" + event.id() + "\"");
      found.put(event.id(), event.seq());
      Matcher batch = BATCH.matcher(event.data());
      assertThat(batch.find()).isTrue();
      batchSeen.merge(batch.group(1), 1, Integer::sum);
      batchSize.put(batch.group(1), Integer.parseInt(batch.group(2)));
    }
    acked.forEach(
        (id, seq) ->
            assertThat(found.get(id)).as("acknowledged %s at seq %d", id, seq).isEqualTo(seq));
    batchSeen.forEach(
        (batch, seen) ->
            assertThat(seen)
                .as("events of batch %s in the journal", batch)
                .isEqualTo(batchSize.get(batch)));
  }
}
