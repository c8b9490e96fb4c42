package io.runjournal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.FsyncPolicy;
import io.runjournal.IdConflictException;
import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.SequenceConflictException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The append path on a real PostgreSQL, alone and from two nodes at once. */
class PostgresJournalTest {
  private static final Clock FIXED =
      Clock.fixed(Instant.parse("2026-11-21T10:15:30.123Z"), ZoneOffset.UTC);

  static PostgresFixture postgres;

  @BeforeAll
  static void startServer() throws Exception {
    postgres = PostgresFixture.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void newDatabase() {
    postgres.newDatabase();
  }

  @AfterEach
  void closeJournals() throws Exception {
    postgres.closeJournals();
  }

  /** Requests with every part of the envelope, non-ASCII text and JSON that is re-encoded. */
  private static List<AppendRequest> variedRequests() {
    return List.of(
        AppendRequest.of(NewEvent.of("run.created").withMeta("{\"agent\":\"planner\"}")),
        AppendRequest.of(
            NewEvent.of("node.started", "{ \"name\" : \"fetch\", \"n\": 1.50 }").withId("ev-1"),
            NewEvent.of("text_delta", "\"h\u00e9llo \u4e16\u754c \ud83d\ude00\"")),
        AppendRequest.of(NewEvent.of("progress.reported", "{\"completed\":1,\"total\":3}"))
            .onBranch("retry-1"),
        AppendRequest.of(NewEvent.of("weird", "{\"nul\":\"a\\u0000b\",\"big\":1e999999}")),
        AppendRequest.of(NewEvent.of("run.completed", "[1,2,{\"a\":null}]").withId("end")));
  }

  @Test
  void append_andRead_serveTheExactLinesOfTheFileStore(@TempDir Path dataDir) throws Exception {
    JournalOptions options = JournalOptions.defaults().withClock(FIXED);
    PostgresJournal journal = postgres.open(postgres.options(options));
    try (Journal files = Journal.open(dataDir, options.withFsync(FsyncPolicy.NONE))) {
      for (AppendRequest request : variedRequests()) {
        assertThat(journal.append("pipe-01", request)).isEqualTo(files.append("pipe-01", request));
      }

      assertThat(copy(journal, "pipe-01")).isEqualTo(copy(files, "pipe-01"));
      assertThat(journal.size("pipe-01")).isEqualTo(files.size("pipe-01"));
      for (String branch : List.of("main", "retry-1")) {
        ReadQuery query = ReadQuery.all().branch(branch);
        List<Event> read = journal.read("pipe-01", query).events();
        assertThat(read).isEqualTo(files.read("pipe-01", query).events());
        for (Event event : read) {
          assertThat(event.line()).isEqualTo(EventCodec.encodeLine(event));
        }
      }
      assertThat(journal.info("pipe-01")).isEqualTo(files.info("pipe-01"));
      assertThat(journal.lastEvent("pipe-01")).isEqualTo(files.lastEvent("pipe-01"));
    }
  }

  @Test
  void append_valueJsonbCannotHold_isJournaled_withItsJsonbCopyLeftNull() throws Exception {
    PostgresJournal journal = postgres.open();
    journal.append("r", NewEvent.of("weird", "{\"nul\":\"a\\u0000b\"}"));
    journal.append("r", NewEvent.of("fine", "{\"a\":1}").withMeta("{\"agent\":\"x\"}"));

    assertThat(journal.read("r", ReadQuery.all()).events())
        .extracting(Event::data)
        .containsExactly("{\"nul\":\"a\\u0000b\"}", "{\"a\":1}");
    try (Connection connection = postgres.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select data ->> 'a', meta ->> 'agent', data is null from events order by seq")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getBoolean(3)).isTrue();
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("1");
      assertThat(rows.getString(2)).isEqualTo("x");
    }
  }

  @Test
  void jsonbCheck_acceptsOnlyWhatPostgresStores_andRefusesNulAndHugeNumbers() throws Exception {
    List<String> samples =
        List.of(
            "{\"a\":\"x\\u0001y\"}",
            "\"\\\\u0000\"", // an escaped backslash before u0000: refused, conservatively
            "\"\\u0000\"",
            "1e100000",
            "1e131072",
            "1e-16000",
            "1e-16384",
            "-12.5e-3",
            "0." + "1".repeat(16_000),
            "[1e999999999999]",
            "{\"k\":[true,false,null,-0,1E+2]}");
    try (Connection connection = postgres.connect()) {
      for (String json : samples) {
        boolean stored;
        try (var statement = connection.prepareStatement("select ?::jsonb")) {
          statement.setString(1, json);
          statement.executeQuery().close();
          stored = true;
        } catch (java.sql.SQLException e) {
          stored = false;
        }
        if (JsonbValues.isStorable(json)) {
          assertThat(stored).as("jsonb takes what the check accepts: %s", json).isTrue();
        }
      }
    }
    assertThat(JsonbValues.isStorable("\"a\\u0000b\"")).isFalse();
    assertThat(JsonbValues.isStorable("1e131072")).isFalse();
    assertThat(JsonbValues.isStorable("{\"a\":[1.5e-3,\"\\u0001\"]}")).isTrue();
  }

  @Test
  void append_fromTwoNodes_eightThreadsEach_getsContiguousSeqs() throws Exception {
    PostgresJournal nodeA = postgres.open();
    PostgresJournal nodeB = postgres.open();
    int threadsPerNode = 8;
    int batchesPerThread = 15;
    ExecutorService pool = Executors.newFixedThreadPool(threadsPerNode * 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<AppendResult>>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threadsPerNode * 2; t++) {
        PostgresJournal node = t % 2 == 0 ? nodeA : nodeB;
        int thread = t;
        Callable<List<AppendResult>> work =
            () -> {
              start.await();
              List<AppendResult> mine = new ArrayList<>();
              for (int b = 0; b < batchesPerThread; b++) {
                String tag = "\"" + thread + "-" + b + "\"";
                mine.add(
                    node.append(
                        "shared", AppendRequest.of(NewEvent.of("a", tag), NewEvent.of("b", tag))));
              }
              return mine;
            };
        results.add(pool.submit(work));
      }
      start.countDown();
      Set<Long> acknowledged = new HashSet<>();
      for (Future<List<AppendResult>> result : results) {
        for (AppendResult batch : result.get()) {
          assertThat(batch.last()).isEqualTo(batch.first() + 1);
          acknowledged.addAll(batch.seqs());
        }
      }
      int total = threadsPerNode * 2 * batchesPerThread * 2;
      assertThat(acknowledged).hasSize(total);

      List<Event> events = nodeB.read("shared", ReadQuery.all().limit(10_000)).events();
      assertThat(events)
          .extracting(Event::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      for (int i = 0; i < total; i += 2) { // a batch's events are adjacent: batches are atomic
        assertThat(events.get(i).data()).isEqualTo(events.get(i + 1).data());
        assertThat(events.get(i).type()).isEqualTo("a");
      }
      assertThat(events).extracting(Event::tsMillis).isSorted();
      assertThat(nodeA.head("shared", "main")).isEqualTo(total);
      assertThat(nodeA.verify("shared").ok()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void append_sameIdThroughTwoNodes_isWrittenOnce_andAnsweredWithTheOriginalSeq() {
    PostgresJournal nodeA = postgres.open();
    PostgresJournal nodeB = postgres.open();
    nodeA.append("r", NewEvent.of("x"));
    AppendResult first = nodeA.append("r", NewEvent.of("tool.called", "{\"n\":1}").withId("k1"));

    AppendResult retry =
        nodeB.append(
            "r",
            AppendRequest.of(
                NewEvent.of("tool.called", "{ \"n\" : 1 }").withId("k1"), NewEvent.of("y")));

    assertThat(first.first()).isEqualTo(2);
    assertThat(retry.seqs()).containsExactly(2L, 3L);
    assertThat(retry.duplicate()).containsExactly(true, false);
    assertThat(nodeA.head("r", "main")).isEqualTo(3);
    assertThatThrownBy(() -> nodeB.append("r", NewEvent.of("tool.called", "2").withId("k1")))
        .isInstanceOfSatisfying(
            IdConflictException.class,
            conflict -> {
              assertThat(conflict.originalSeq()).isEqualTo(2);
              assertThat(conflict.originalBranch()).isEqualTo("main");
            });
  }

  @Test
  void append_withStaleExpectedSeqAfterAnotherNodeAppended_failsWithBothNumbers() {
    PostgresJournal nodeA = postgres.open();
    PostgresJournal nodeB = postgres.open();
    long seen = nodeA.append("r", NewEvent.of("x")).head();
    nodeB.append("r", NewEvent.of("y"));

    assertThatThrownBy(() -> nodeA.append("r", AppendRequest.of(NewEvent.of("z")).expecting(seen)))
        .isInstanceOfSatisfying(
            SequenceConflictException.class,
            conflict -> {
              assertThat(conflict.expected()).isEqualTo(2);
              assertThat(conflict.actual()).isEqualTo(1);
            })
        .hasMessageContaining("expected 2, got 1");
    assertThat(nodeB.head("r", "main")).isEqualTo(2);
  }

  @Test
  void append_clockBehindAnotherNode_neverGivesAnEarlierTs() {
    Instant ahead = Instant.parse("2030-01-01T00:00:00.500Z");
    PostgresJournal nodeA =
        postgres.open(
            postgres.options(
                JournalOptions.defaults().withClock(Clock.fixed(ahead, ZoneOffset.UTC))));
    PostgresJournal nodeB =
        postgres.open(postgres.options(JournalOptions.defaults().withClock(FIXED)));

    nodeA.append("r", NewEvent.of("x"));
    nodeB.append("r", NewEvent.of("y"));

    assertThat(nodeB.read("r", ReadQuery.all()).events())
        .extracting(Event::ts)
        .containsExactly(ahead, ahead);
  }

  private static byte[] copy(Journal journal, String run) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long bytes = journal.copyJournal(run, Long.MAX_VALUE, out);
    assertThat(bytes).isEqualTo(out.size());
    assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("\n");
    return out.toByteArray();
  }
}
