package io.runjournal.torture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.FsyncPolicy;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.RunJournalException;
import io.runjournal.VerifyReport;
import io.runjournal.model.Event;
import io.runjournal.model.EventTypes;
import io.runjournal.model.NewEvent;
import io.runjournal.torture.JournalModel.Input;
import io.runjournal.torture.JournalModel.Outcome;
import io.runjournal.torture.JournalModel.Stored;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random sequence of operations on the file store, each checked against {@link
 * JournalModel}: single and batch appends on several branches, ids that repeat with the same or a
 * different content, explicit and expected seqs (some stale), terminal events, reads with random
 * bounds, limits, type filters and order, heads, verify, and closing and reopening the journal with
 * a small run cache (so run states are evicted and rebuilt from the files). The clock sometimes
 * steps back, and timestamps must still be exactly what DESIGN §2 prescribes.
 */
class ModelBasedTest {
  private static final List<String> BRANCHES = List.of("main", "main", "main", "b1", "feature.x");
  private static final List<String> TYPES =
      List.of("node.started", "text_delta", "span-open", "tool:call/x", "a_b.c");
  private static final List<String> TERMINALS =
      List.of(
          EventTypes.RUN_COMPLETED,
          EventTypes.RUN_FAILED,
          EventTypes.RUN_CANCELLED,
          EventTypes.RUN_INTERRUPTED);

  /** String values as sent, and as the journal must store them (canonical JSON). */
  private static final String[][] WORDS = {
    {"alpha", "alpha"},
    {"grüße", "grüße"},
    {"数据", "数据"},
    {"🚀", "🚀"},
    {"tab\\tx", "tab\\tx"},
    {"q\\\"q", "q\\\"q"},
    {"caf\\u00e9", "café"},
    {"a\\/b", "a/b"},
  };

  @TempDir Path data;

  private final SteppingClock clock = new SteppingClock();
  private final JournalModel model = new JournalModel();
  private final List<String> pool = new ArrayList<>(List.of("run-a", "run-b", "42"));
  private final Set<String> touched = new LinkedHashSet<>(pool);
  private Random random;
  private Journal journal;
  private int nextId;
  private int nextRun;
  private String operation;

  @AfterEach
  void close() {
    if (journal != null) {
      journal.close();
    }
  }

  @Test
  @Timeout(value = 61, unit = TimeUnit.MINUTES) // Torture.withinBudget sizes the real limit
  void randomOperations_agreeWithTheInMemoryModel() {
    Torture.withinBudget(this::runOperations);
  }

  private void runOperations() {
    long seed = Torture.seed();
    int operations = Torture.size(2_000, 100_000);
    random = new Random(seed);
    journal = open();
    for (int op = 0; op < operations; op++) {
      operation = "(not started)";
      try {
        step();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "seed "
                + seed
                + " (replay: -Drunjournal.seed="
                + seed
                + "), operation #"
                + op
                + " "
                + operation
                + ": "
                + e,
            e);
      }
    }
  }

  private void step() {
    clock.step(random);
    int dice = random.nextInt(1000);
    if (dice < 5) {
      operation = "reopen";
      journal.close();
      journal = open();
    } else if (dice < 600) {
      append();
    } else if (dice < 850) {
      read();
    } else if (dice < 900) {
      String run = anyRun();
      String branch = pick(BRANCHES);
      operation = "head " + run + "/" + branch;
      assertThat(journal.head(run, branch)).isEqualTo(model.head(run, branch));
    } else if (dice < 950) {
      String run = anyRun();
      operation = "heads " + run;
      assertThat(journal.heads(run)).isEqualTo(model.heads(run));
    } else if (dice < 970) {
      String run = anyRun();
      operation = "verify " + run;
      VerifyReport report = journal.verify(run);
      assertThat(report.ok()).as("%s", report).isTrue();
      assertThat(report.events()).isEqualTo(model.eventCount(run));
      assertThat(report.lines()).isEqualTo(model.eventCount(run));
    } else if (dice < 985) {
      operation = "exists and listRuns";
      List<String> listed = journal.listRuns();
      List<String> written = new ArrayList<>();
      for (String run : touched) {
        // Only an accepted append creates a run; refusals and reads leave no trace.
        assertThat(journal.exists(run)).as("exists(%s)", run).isEqualTo(model.eventCount(run) > 0);
        if (model.eventCount(run) > 0) {
          written.add(run);
        }
      }
      assertThat(journal.exists("ghost")).isFalse();
      assertThat(listed).isEqualTo(written.stream().sorted().toList());
    } else {
      String run = anyRun();
      String branch = pick(BRANCHES);
      operation = "read all of " + run + "/" + branch;
      List<Stored> expected =
          model.read(run, branch, 0, Long.MAX_VALUE, Integer.MAX_VALUE, Set.of(), false).events();
      assertThat(stored(run, Journals.readAll(journal, run, branch))).isEqualTo(expected);
    }
  }

  private Journal open() {
    JournalOptions options =
        JournalOptions.defaults()
            .withFsync(random.nextBoolean() ? FsyncPolicy.NONE : FsyncPolicy.INTERVAL)
            .withFsyncInterval(Duration.ofMillis(5))
            .withMaxOpenRuns(1 + random.nextInt(3))
            .withClock(clock);
    return Journal.open(data, options);
  }

  private void append() {
    String run = pickRun();
    String branch = pick(BRANCHES);
    long head = model.head(run, branch);
    int size = random.nextInt(10) < 6 ? 1 : 2 + random.nextInt(5);
    List<NewEvent> sent = new ArrayList<>();
    List<Input> inputs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      generateEvent(run, head + 1 + i, sent, inputs);
    }
    Long expectedSeq = null;
    if (random.nextInt(100) < 15) {
      expectedSeq = random.nextInt(10) < 7 ? head : Math.max(0, head + random.nextInt(7) - 3);
    }
    AppendRequest request = new AppendRequest(branch, expectedSeq, sent);
    operation = "append to " + run + " " + request;
    Outcome outcome = model.append(run, branch, expectedSeq, inputs, clock.millis());
    if (outcome.refused()) {
      try {
        AppendResult result = journal.append(run, request);
        fail(
            "expected one of %s, but the append returned %s", outcome.acceptableRefusals(), result);
      } catch (RunJournalException e) {
        if (outcome.acceptableRefusals().stream().noneMatch(refusal -> refusal.matches(e))) {
          fail("expected one of %s, got %s", outcome.acceptableRefusals(), e);
        }
      }
      return;
    }
    AppendResult result = journal.append(run, request);
    assertThat(result.run()).isEqualTo(run);
    assertThat(result.branch()).isEqualTo(branch);
    assertThat(result.seqs()).as("seqs").isEqualTo(outcome.seqs());
    assertThat(result.duplicate()).as("duplicate flags").isEqualTo(outcome.duplicate());
    assertThat(result.head()).as("head").isEqualTo(outcome.head());
  }

  private void generateEvent(String run, long predictedSeq, List<NewEvent> sent, List<Input> in) {
    String type = random.nextInt(400) == 0 ? pick(TERMINALS) : pick(TYPES);
    String[] data = randomData();
    String id;
    int idDice = random.nextInt(100);
    List<Stored> withIds = model.eventsWithIds(run);
    List<Input> batchWithIds = in.stream().filter(input -> input.id() != null).toList();
    if (idDice < 35) {
      id = null;
    } else if (idDice < 70 || withIds.isEmpty() && batchWithIds.isEmpty()) {
      id = "id-" + nextId++;
    } else if (idDice < 85 && !withIds.isEmpty()) {
      // A retry: same id, type and data (meta may differ), so a duplicate.
      Stored prior = withIds.get(random.nextInt(withIds.size()));
      id = prior.id();
      type = prior.type();
      data = new String[] {prior.data(), prior.data()};
    } else if (idDice < 95 && !withIds.isEmpty()) {
      // Most likely a different type or data: an id conflict.
      id = withIds.get(random.nextInt(withIds.size())).id();
    } else if (!batchWithIds.isEmpty()) {
      // An id repeated inside the batch, with the same content or not.
      Input earlier = batchWithIds.get(random.nextInt(batchWithIds.size()));
      id = earlier.id();
      if (random.nextBoolean()) {
        type = earlier.type();
        data = new String[] {earlier.canonicalData(), earlier.canonicalData()};
      }
    } else {
      id = "id-" + nextId++;
    }
    String[] meta =
        random.nextInt(10) < 3
            ? new String[] {"{ \"agent\" : \"a" + random.nextInt(3) + "\" }", null}
            : new String[] {null, null};
    if (meta[0] != null) {
      meta[1] = meta[0].replace(" ", "");
    }
    Long explicitSeq = null;
    if (random.nextInt(10) == 0) {
      explicitSeq =
          random.nextInt(10) < 7 ? predictedSeq : Math.max(1, predictedSeq + random.nextInt(6) - 2);
    }
    NewEvent event = new NewEvent(type, id, data[0], meta[0], explicitSeq);
    sent.add(event);
    in.add(new Input(type, id, data[1], meta[1], explicitSeq));
  }

  /** JSON as sent (with insignificant whitespace and escapes) and as stored, or nulls. */
  private String[] randomData() {
    int n = random.nextInt(2001) - 1000;
    String[] word = WORDS[random.nextInt(WORDS.length)];
    return switch (random.nextInt(6)) {
      case 0 -> new String[] {null, null};
      case 1 -> new String[] {" " + n + " ", Integer.toString(n)};
      case 2 -> new String[] {"\"" + word[0] + "\"", "\"" + word[1] + "\""};
      case 3 ->
          new String[] {
            "{ \"n\" : " + n + " ,\n \"s\" : \"" + word[0] + "\" }",
            "{\"n\":" + n + ",\"s\":\"" + word[1] + "\"}"
          };
      case 4 ->
          new String[] {
            "[ " + n + ", \"" + word[0] + "\", true, null ]",
            "[" + n + ",\"" + word[1] + "\",true,null]"
          };
      default ->
          new String[] {
            "{\"a\": {\"b\": [1, 2]}, \"c\": 2.25, \"d\": \"" + word[0] + "\"}",
            "{\"a\":{\"b\":[1,2]},\"c\":2.25,\"d\":\"" + word[1] + "\"}"
          };
    };
  }

  private void read() {
    String run = random.nextInt(20) == 0 ? "ghost" : anyRun();
    String branch = pick(BRANCHES);
    long head = model.head(run, branch);
    long afterSeq = random.nextInt(4) == 0 ? 0 : random.nextLong(head + 3);
    long beforeSeq = random.nextInt(5) == 0 ? random.nextLong(head + 4) : Long.MAX_VALUE;
    int limit = random.nextInt(5) == 0 ? ReadQuery.DEFAULT_LIMIT : 1 + random.nextInt(20);
    Set<String> types = new HashSet<>();
    if (random.nextInt(4) == 0) {
      types.add(pick(TYPES));
      types.add(random.nextBoolean() ? pick(TYPES) : pick(TERMINALS));
    }
    boolean newestFirst = random.nextInt(3) == 0;
    ReadQuery query =
        ReadQuery.all()
            .branch(branch)
            .afterSeq(afterSeq)
            .beforeSeq(beforeSeq)
            .limit(limit)
            .types(types);
    query = newestFirst ? query.newestFirst() : query;
    query = random.nextBoolean() ? query.failOnMalformed() : query;
    operation = "read " + run + " " + query;
    ReadResult result = journal.read(run, query);
    JournalModel.ReadAnswer expected =
        model.read(run, branch, afterSeq, beforeSeq, limit, types, newestFirst);

    assertThat(stored(run, result.events())).as("events").isEqualTo(expected.events());
    assertThat(result.head()).as("head").isEqualTo(expected.head());
    assertThat(result.run()).isEqualTo(run);
    assertThat(result.branch()).isEqualTo(branch);
    Long last = expected.events().isEmpty() ? null : expected.events().getLast().seq();
    Long next = expected.moreMatching() ? last : null;
    if (types.isEmpty() || expected.moreMatching() || last == null) {
      assertThat(result.next()).as("next").isEqualTo(next);
    } else {
      // With a type filter a full page may offer a cursor to a page that turns out empty: looking
      // for one more match could read the rest of the run (the "latest of type X" walk).
      assertThat(result.next()).as("next").isIn(null, last);
    }
  }

  private static List<Stored> stored(String run, List<Event> events) {
    List<Stored> stored = new ArrayList<>(events.size());
    for (Event event : events) {
      assertThat(event.run()).isEqualTo(run);
      stored.add(
          new Stored(
              event.seq(),
              event.tsMillis(),
              event.branch(),
              event.type(),
              event.id(),
              event.data(),
              event.meta()));
    }
    return stored;
  }

  /** A run to append to; ended runs are sometimes replaced by fresh ones. */
  private String pickRun() {
    int at = random.nextInt(pool.size());
    if (model.ended(pool.get(at)) && random.nextInt(4) == 0) {
      pool.set(at, "run-" + nextRun++);
      touched.add(pool.get(at));
    }
    return pool.get(at);
  }

  private String anyRun() {
    List<String> runs = List.copyOf(touched);
    return runs.get(random.nextInt(runs.size()));
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** A clock that mostly moves forward by a few milliseconds and sometimes steps back. */
  private static final class SteppingClock extends Clock {
    private volatile long millis = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    void step(Random random) {
      millis += random.nextInt(100) == 0 ? -random.nextInt(2_000) : random.nextInt(5);
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
