package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.client.AppendOptions;
import io.runjournal.client.AppendResult;
import io.runjournal.client.ClientSubscription;
import io.runjournal.client.Event;
import io.runjournal.client.ListRunsOptions;
import io.runjournal.client.NewEvent;
import io.runjournal.client.ReadOptions;
import io.runjournal.client.ReadPage;
import io.runjournal.client.RunJournalClient;
import io.runjournal.client.RunJournalClientException;
import io.runjournal.client.RunSummary;
import io.runjournal.client.RunsPage;
import io.runjournal.client.SequenceConflictException;
import io.runjournal.client.SubscribeOptions;
import io.runjournal.client.SubscriptionListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client against the real server: the HTTP API and SSE contract end to end. */
class ClientAgainstServerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  private TestServer server;
  private RunJournalClient client;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(data, config -> config.withSseRetry(Duration.ofMillis(10)));
    client = RunJournalClient.builder(server.url().toString()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  /** What a listener was told, in order. */
  static final class Recorder implements SubscriptionListener {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> resets = new CopyOnWriteArrayList<>();
    final List<String> ends = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(Event event) {
      seqs.add(event.seq());
      lines.add(event.json());
    }

    @Override
    public void onReset(long lastEventId, long head) {
      resets.add(lastEventId + "->" + head);
    }

    @Override
    public void onEnd(JsonNode summary) {
      ends.add(summary == null ? "204" : summary.path("status").asText());
    }

    @Override
    public void onError(Throwable error, boolean willRetry) {
      errors.add((willRetry ? "retry: " : "stop: ") + error.getMessage());
    }
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void append_batch_duplicates_andConflicts() {
    AppendResult batch =
        client.append(
            "r1",
            NewEvent.of("run.started", Map.of("goal", "x")).withId("start"),
            NewEvent.ofJson("note", "1.50").withMeta(Map.of("agent", "planner")));
    AppendResult repeated =
        client.append(
            "r1",
            AppendOptions.defaults(),
            List.of(NewEvent.of("run.started", Map.of("goal", "x")).withId("start")));
    AppendResult partly =
        client.append(
            "r1",
            AppendOptions.defaults().expectedSeq(2),
            List.of(
                NewEvent.of("run.started", Map.of("goal", "x")).withId("start"),
                NewEvent.of("step")));
    var stale =
        catchThrowableOfType(
            SequenceConflictException.class,
            () ->
                client.append(
                    "r1", AppendOptions.defaults().expectedSeq(1), List.of(NewEvent.of("late"))));
    var wrongSeq =
        catchThrowableOfType(
            SequenceConflictException.class,
            () -> client.append("r1", NewEvent.of("late").withSeq(9)));
    var idConflict =
        catchThrowableOfType(
            RunJournalClientException.class,
            () -> client.append("r1", NewEvent.of("other").withId("start")));

    assertThat(batch.seqs()).containsExactly(1L, 2L);
    assertThat(batch.duplicates()).isEmpty();
    assertThat(repeated.allDuplicates()).isTrue();
    assertThat(repeated.seqs()).containsExactly(1L);
    assertThat(partly.seqs()).containsExactly(1L, 3L);
    assertThat(partly.duplicates()).containsExactly(1L);
    assertThat(partly.head()).isEqualTo(3);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.expected()).isEqualTo(3);
    assertThat(stale.actual()).isEqualTo(1);
    assertThat(stale.detail())
        .isEqualTo("sequence conflict on run \"r1\" branch \"main\": expected 3, got 1");
    assertThat(wrongSeq.expected()).isEqualTo(4);
    assertThat(wrongSeq.actual()).isEqualTo(9);
    assertThat(idConflict.type()).isEqualTo("id-conflict");
    assertThat(idConflict.field("originalSeq").asLong()).isEqualTo(1);
    List<Event> stored = client.readAll("r1", ReadOptions.defaults()).toList();
    assertThat(stored).extracting(Event::type).containsExactly("run.started", "note", "step");
    assertThat(stored.get(1).data().toString()).isEqualTo("1.50");
    assertThat(stored.get(1).id()).startsWith(RunJournalClient.GENERATED_ID_PREFIX);
  }

  @Test
  void append_afterTheRunEnded_isRunEnded_andBadInputIsA400() {
    client.append("r1", NewEvent.of("run.completed"));

    var ended =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client.append("r1", NewEvent.of("late")));
    var badType =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client.append("r2", NewEvent.of("bad type")));

    assertThat(ended.status()).isEqualTo(409);
    assertThat(ended.type()).isEqualTo("run-ended");
    assertThat(ended.field("endedBy").asText()).isEqualTo("run.completed");
    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.type()).startsWith("invalid-");
  }

  @Test
  void read_pagesInBothOrders_withFiltersAndBranches() {
    client.append(
        "r1",
        AppendOptions.defaults(),
        IntStream.rangeClosed(1, 25)
            .mapToObj(i -> NewEvent.of(i % 5 == 0 ? "five" : "tick", i))
            .toList());
    client.append("r1", AppendOptions.defaults().branch("side"), List.of(NewEvent.of("b")));

    ReadPage first = client.read("r1", ReadOptions.defaults().limit(10));
    ReadPage newest = client.read("r1", ReadOptions.defaults().descending().limit(10));
    ReadPage empty = client.read("nothing", ReadOptions.defaults());

    assertThat(first.events()).extracting(Event::seq).containsExactlyElementsOf(seqs(1, 10));
    assertThat(first.head()).isEqualTo(25);
    assertThat(first.next()).isEqualTo(10);
    assertThat(newest.events().getFirst().seq()).isEqualTo(25);
    assertThat(newest.next()).isEqualTo(16);
    assertThat(client.readAll("r1", ReadOptions.defaults().limit(10)).map(Event::seq))
        .containsExactlyElementsOf(seqs(1, 25));
    assertThat(client.readAll("r1", ReadOptions.defaults().descending().limit(7)).map(Event::seq))
        .containsExactlyElementsOf(seqs(1, 25).reversed());
    assertThat(client.readAll("r1", ReadOptions.defaults().types("five").limit(2)).map(Event::seq))
        .containsExactly(5L, 10L, 15L, 20L, 25L);
    assertThat(client.read("r1", ReadOptions.defaults().branch("side")).events())
        .singleElement()
        .satisfies(event -> assertThat(event.branch()).isEqualTo("side"));
    assertThat(empty.events()).isEmpty();
    assertThat(empty.head()).isZero();
  }

  @Test
  void runs_createGetAndList() throws Exception {
    RunSummary created = client.createRun("made", JSON.readTree("{\"owner\":\"ci\"}"));
    RunSummary generated = client.createRun();
    var exists =
        catchThrowableOfType(RunJournalClientException.class, () -> client.createRun("made", null));
    IntStream.range(0, 5).forEach(i -> client.append("list-" + i, NewEvent.of("a")));

    List<String> listed = new ArrayList<>();
    ListRunsOptions options = ListRunsOptions.defaults().prefix("list-").limit(2);
    for (RunsPage page = client.listRuns(options); ; page = client.listRuns(options)) {
      page.runs().forEach(run -> listed.add(run.id()));
      if (page.next() == null) {
        break;
      }
      options = options.cursor(page.next());
    }

    assertThat(created.id()).isEqualTo("made");
    assertThat(created.json().path("eventCount").asLong()).isEqualTo(1);
    assertThat(generated.id()).isNotBlank();
    assertThat(exists.status()).isEqualTo(409);
    assertThat(exists.type()).isEqualTo("run-exists");
    assertThat(client.run("made")).map(RunSummary::id).contains("made");
    assertThat(client.run("missing")).isEmpty();
    assertThat(listed).containsExactly("list-0", "list-1", "list-2", "list-3", "list-4");
  }

  @Test
  void subscribe_acrossServerSideStreamDrops_deliversEveryEventOnceInOrder() throws Exception {
    client.append("live", NewEvent.of("run.started"));
    Recorder recorder = new Recorder();
    try (ClientSubscription subscription =
        client.subscribe("live", SubscribeOptions.fromStart(), recorder)) {
      for (int round = 0; round < 25; round++) {
        int from = round * 4;
        client.append(
            "live",
            AppendOptions.defaults(),
            IntStream.range(from, from + 4).mapToObj(i -> NewEvent.of("tick", i)).toList());
        server.server().dropStreams();
        if (round % 5 == 0) {
          long delivered = 1 + from + 4;
          await().atMost(WAIT).until(() -> recorder.seqs.size() == delivered);
        }
      }
      client.append("live", NewEvent.of("run.completed"));

      assertThat(subscription.awaitTermination(WAIT)).isTrue();
      assertThat(subscription.lastSeq()).isEqualTo(102);
    }
    assertThat(recorder.seqs).containsExactlyElementsOf(seqs(1, 102));
    assertThat(recorder.lines)
        .containsExactlyElementsOf(
            client.readAll("live", ReadOptions.defaults()).map(Event::json).toList());
    assertThat(recorder.ends).containsExactly("succeeded");
    assertThat(recorder.errors)
        .isNotEmpty()
        .allSatisfy(error -> assertThat(error).startsWith("retry: "));
  }

  @Test
  void subscribe_afterTheTerminalEvent_endsWith204() throws Exception {
    AppendResult done = client.append("done", NewEvent.of("a"), NewEvent.of("run.completed"));
    Recorder recorder = new Recorder();

    ClientSubscription subscription =
        client.subscribe("done", SubscribeOptions.after(done.head()), recorder);

    assertThat(subscription.awaitTermination(WAIT)).isTrue();
    assertThat(recorder.seqs).isEmpty();
    assertThat(recorder.ends).containsExactly("204");
    assertThat(recorder.errors).isEmpty();
  }

  @Test
  void subscribe_beyondTheHead_isReset_andContinuesAfterTheHead() throws Exception {
    client.append("r1", NewEvent.of("a"), NewEvent.of("b"), NewEvent.of("c"));
    Recorder recorder = new Recorder();

    try (ClientSubscription subscription =
        client.subscribe("r1", SubscribeOptions.after(50), recorder)) {
      await().atMost(WAIT).until(() -> !recorder.resets.isEmpty());
      client.append("r1", NewEvent.of("d"), NewEvent.of("run.cancelled"));

      assertThat(subscription.awaitTermination(WAIT)).isTrue();
    }
    assertThat(recorder.resets).containsExactly("50->3");
    assertThat(recorder.seqs).containsExactly(4L, 5L);
    assertThat(recorder.ends).containsExactly("cancelled");
  }

  @Test
  void subscribe_withAnInvalidBranch_stopsWithA400() throws Exception {
    Recorder recorder = new Recorder();

    ClientSubscription subscription =
        client.subscribe("r1", SubscribeOptions.fromStart().branch("-bad"), recorder);

    assertThat(subscription.awaitTermination(WAIT)).isTrue();
    assertThat(recorder.errors)
        .singleElement()
        .asString()
        .startsWith("stop: ")
        .contains("HTTP 400");
  }

  @Test
  void withTokens_theClientsTokenIsRequired_andNeverInMessages(@TempDir Path config)
      throws Exception {
    String token = "client-token-0123456789";
    Path tokens = config.resolve("tokens");
    Files.writeString(tokens, "reader read " + token + "\n");
    server.close();
    server = TestServer.start(data, serverConfig -> serverConfig.withTokenFile(tokens));
    String url = server.url().toString();
    Recorder recorder = new Recorder();

    try (RunJournalClient reader = RunJournalClient.builder(url).token(token).build();
        RunJournalClient anonymous = RunJournalClient.builder(url).build()) {
      var forbidden =
          catchThrowableOfType(
              RunJournalClientException.class, () -> reader.append("r1", NewEvent.of("a")));
      var unauthorized =
          catchThrowableOfType(
              RunJournalClientException.class, () -> anonymous.read("r1", ReadOptions.defaults()));
      ClientSubscription refused =
          anonymous.subscribe("r1", SubscribeOptions.fromStart(), recorder);

      assertThat(reader.read("r1", ReadOptions.defaults()).events()).isEmpty();
      assertThat(forbidden.status()).isEqualTo(403);
      assertThat(forbidden.type()).isEqualTo("forbidden");
      assertThat(forbidden.getMessage()).doesNotContain(token);
      assertThat(unauthorized.status()).isEqualTo(401);
      assertThat(unauthorized.type()).isEqualTo("unauthorized");
      assertThat(refused.awaitTermination(WAIT)).isTrue();
      assertThat(recorder.errors).singleElement().asString().startsWith("stop: ").contains("401");
      assertThat(reader.toString()).doesNotContain(token);
    }
  }
}
