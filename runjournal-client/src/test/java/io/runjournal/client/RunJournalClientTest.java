package io.runjournal.client;

import static io.runjournal.client.ScriptedPeer.json;
import static io.runjournal.client.ScriptedPeer.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunJournalClientTest {
  private static final String TOKEN = "s3cr3t-token-value";
  private static final String APPENDED =
      "{\"run\":\"r1\",\"branch\":\"main\",\"first\":1,\"last\":2,\"head\":2,"
          + "\"seqs\":[1,2],\"duplicates\":[]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ScriptedPeer peer = new ScriptedPeer();
  private final List<RunJournalClient> clients = new ArrayList<>();

  RunJournalClientTest() throws IOException {}

  @AfterEach
  void closeAll() {
    clients.forEach(RunJournalClient::close);
    peer.close();
  }

  private RunJournalClient client() {
    return client(RetryPolicy.defaults().withBackoff(Duration.ofMillis(1), Duration.ofMillis(5)));
  }

  private RunJournalClient client(RetryPolicy retry) {
    RunJournalClient client =
        RunJournalClient.builder(peer.url() + "/").token(TOKEN).retryPolicy(retry).build();
    clients.add(client);
    return client;
  }

  private static JsonNode tree(String json) throws IOException {
    return JSON.readTree(json);
  }

  @Test
  void append_postsTheBatchAsAJsonArray_withQueryAndToken_andReadsTheResult() throws Exception {
    peer.on("/v1/runs/r1/events", (exchange, call) -> json(exchange, 201, APPENDED));

    AppendResult result =
        client()
            .append(
                "r1",
                AppendOptions.defaults().branch("side").expectedSeq(0),
                List.of(
                    NewEvent.of("node.started", Map.of("n", 1)).withId("n-1").withSeq(1),
                    NewEvent.ofJson("note", "1.50").withMetaJson("{\"agent\":\"planner\"}")));

    assertThat(result)
        .isEqualTo(new AppendResult("r1", "main", 1, 2, 2, List.of(1L, 2L), List.of()));
    ScriptedPeer.Request request = peer.requests().getFirst();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.query()).isEqualTo("branch=side&expectedSeq=0");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = tree(request.body());
    assertThat(body).hasSize(2);
    assertThat(body.get(0).toString())
        .isEqualTo("{\"type\":\"node.started\",\"id\":\"n-1\",\"data\":{\"n\":1},\"seq\":1}");
    assertThat(body.get(1).get("id").asText()).startsWith("c-").hasSizeLessThanOrEqualTo(128);
    assertThat(request.body()).contains("\"data\":1.50,\"meta\":{\"agent\":\"planner\"}");
  }

  @Test
  void append_afterADroppedConnection_retriesWithTheSameGeneratedIds() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) -> {
          if (call == 1) {
            throw new ScriptedPeer.Drop();
          }
          json(exchange, 201, APPENDED);
        });

    AppendResult result = client().append("r1", NewEvent.of("a"), NewEvent.of("b").withId("mine"));

    assertThat(result.seqs()).containsExactly(1L, 2L);
    List<ScriptedPeer.Request> attempts = peer.requests();
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(1).body()).isEqualTo(attempts.get(0).body());
    assertThat(attempts.get(0).body()).matches(".*\"id\":\"c-[0-9a-f-]{36}\".*\"id\":\"mine\".*");
  }

  @Test
  void append_after503_retriesWithTheSameBody_andGetsTheOriginalSeqsOfDuplicates() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) -> {
          if (call == 1) {
            problem(exchange, 503, "unavailable", "draining", "");
          } else {
            json(
                exchange,
                200,
                "{\"run\":\"r1\",\"branch\":\"main\",\"first\":1,\"last\":2,\"head\":2,"
                    + "\"seqs\":[1,2],\"duplicates\":[1,2]}");
          }
        });

    AppendResult result = client().append("r1", NewEvent.of("a"), NewEvent.of("b"));

    assertThat(result.allDuplicates()).isTrue();
    assertThat(result.duplicates()).containsExactly(1L, 2L);
    assertThat(peer.requests()).hasSize(2);
    assertThat(peer.requests().get(1).body()).isEqualTo(peer.requests().get(0).body());
  }

  @Test
  void append_conflict_isNotRetried_andCarriesExpectedAndActual() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) ->
            problem(
                exchange,
                409,
                "sequence-conflict",
                "sequence conflict on run \\\"r1\\\" branch \\\"main\\\": expected 2, got 1",
                "\"expected\":2,\"actual\":1,\"run\":\"r1\""));

    SequenceConflictException conflict =
        catchThrowableOfType(
            SequenceConflictException.class,
            () ->
                client()
                    .append(
                        "r1", AppendOptions.defaults().expectedSeq(1), List.of(NewEvent.of("a"))));

    assertThat(peer.requests()).hasSize(1);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.type()).isEqualTo("sequence-conflict");
    assertThat(conflict.expected()).isEqualTo(2);
    assertThat(conflict.actual()).isEqualTo(1);
    assertThat(conflict.detail())
        .isEqualTo("sequence conflict on run \"r1\" branch \"main\": expected 2, got 1");
    assertThat(conflict.field("run").asText()).isEqualTo("r1");
    assertThat(conflict.field("line")).isNull();
    assertThat(conflict.getMessage())
        .startsWith("sequence conflict on run \"r1\" branch \"main\": expected 2, got 1 (HTTP 409")
        .contains("POST " + peer.url() + "/v1/runs/r1/events?expectedSeq=1");
  }

  @Test
  void otherProblems_mapToTheirTypeWithoutRetry() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) ->
            problem(exchange, 409, "https://runjournal.io/problems/run-ended", "run ended", ""));
    peer.on(
        "/v1/runs/big/events",
        (exchange, call) ->
            problem(exchange, 413, "payload-too-large", "too big", "\"limit\":1048576"));

    var ended =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client().append("r1", NewEvent.of("a")));
    var tooLarge =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client().append("big", NewEvent.of("a")));

    assertThat(ended).isNotInstanceOf(SequenceConflictException.class);
    assertThat(ended.type()).isEqualTo("run-ended");
    assertThat(tooLarge.type()).isEqualTo("payload-too-large");
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.field("limit").asLong()).isEqualTo(1048576);
    assertThat(peer.requests()).hasSize(2);
  }

  @Test
  void errorWithoutProblem_givesStatusAndTheFirstBytesOfTheBody() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) ->
            ScriptedPeer.send(exchange, 400, "text/html", "<html>\n<b>Bad gateway config</b>"));

    var error =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client().append("r1", NewEvent.of("a")));

    assertThat(error.status()).isEqualTo(400);
    assertThat(error.type()).isEqualTo(RunJournalClientException.UNTYPED);
    assertThat(error.problem()).isNull();
    assertThat(error.getMessage())
        .isEqualTo(
            "HTTP 400 from POST "
                + peer.url()
                + "/v1/runs/r1/events: <html> <b>Bad gateway config</b>");
  }

  @Test
  void retryableStatus_isRetriedUpToMaxAttempts_thenThrown() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) -> problem(exchange, 502, "bad-gateway", "no upstream", ""));

    var error =
        catchThrowableOfType(
            RunJournalClientException.class,
            () ->
                client(
                        RetryPolicy.defaults()
                            .withMaxAttempts(3)
                            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(2)))
                    .append("r1", NewEvent.of("a")));

    assertThat(error.status()).isEqualTo(502);
    assertThat(peer.requests()).hasSize(3);
  }

  @Test
  void connectionRefused_failsAsConnectionFailed_afterTheAttempts() {
    String url = peer.url();
    peer.close();
    RunJournalClient client =
        RunJournalClient.builder(url)
            .retryPolicy(
                RetryPolicy.defaults()
                    .withMaxAttempts(2)
                    .withBackoff(Duration.ofMillis(1), Duration.ofMillis(1)))
            .build();
    clients.add(client);

    var error =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client.append("r1", NewEvent.of("a")));

    assertThat(error.status()).isZero();
    assertThat(error.type()).isEqualTo("connection-failed");
    assertThat(error.getMessage())
        .startsWith("POST " + url + "/v1/runs/r1/events failed after 2 attempts: ");
  }

  @Test
  void token_neverAppearsInMessagesOrToString_evenWhenTheServerEchoesIt() {
    peer.on(
        "/v1/runs/echo/events",
        (exchange, call) ->
            ScriptedPeer.send(
                exchange,
                400,
                "text/plain",
                "you sent " + exchange.getRequestHeaders().getFirst("Authorization")));
    peer.on(
        "/v1/runs/problem/events",
        (exchange, call) ->
            problem(
                exchange,
                401,
                "unauthorized",
                "bad token " + exchange.getRequestHeaders().getFirst("Authorization"),
                ""));
    RunJournalClient client = client();

    var echoed =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client.append("echo", NewEvent.of("a")));
    var unauthorized =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client.append("problem", NewEvent.of("a")));

    assertThat(peer.requests())
        .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN));
    assertThat(echoed.getMessage()).contains("you sent Bearer ***").doesNotContain(TOKEN);
    assertThat(unauthorized.type()).isEqualTo("unauthorized");
    assertThat(unauthorized.getMessage()).doesNotContain(TOKEN);
    assertThat(unauthorized.detail()).isEqualTo("bad token Bearer ***");
    assertThat(client.toString()).doesNotContain(TOKEN).contains("token=<redacted>");
    assertThat(RunJournalClient.builder(peer.url()).token(TOKEN).toString()).doesNotContain(TOKEN);
    assertThatThrownBy(() -> RunJournalClient.builder(peer.url()).token(TOKEN + "\r\nX: y").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void read_sendsTheQuery_andKeepsEachEventsJsonExactly() {
    String line1 =
        "{\"seq\":3,\"ts\":\"2026-11-21T10:15:30.123Z\",\"run\":\"r1\",\"branch\":\"side\","
            + "\"type\":\"a\",\"id\":\"x-1\",\"data\":{\"price\":1.50,\"s\":\"caf\\u00e9 \u20ac\"},"
            + "\"meta\":{\"agent\":\"p\"}}";
    String line2 =
        "{\"seq\":5,\"ts\":\"2026-11-21T10:15:31.000Z\",\"run\":\"r1\",\"branch\":\"side\","
            + "\"type\":\"b\",\"data\":null}";
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) ->
            json(
                exchange,
                200,
                "{\"run\":\"r1\",\"branch\":\"side\",\"events\":["
                    + line1
                    + ","
                    + line2
                    + "],\"head\":9,\"next\":5}"));

    ReadPage page =
        client()
            .read(
                "r1",
                ReadOptions.defaults()
                    .afterSeq(2)
                    .limit(2)
                    .branch("side")
                    .types("a", "b")
                    .descending()
                    .strict(true));

    assertThat(peer.requests().getFirst().query())
        .isEqualTo("afterSeq=2&limit=2&branch=side&type=a%2Cb&order=desc&strict=true");
    assertThat(page.head()).isEqualTo(9);
    assertThat(page.next()).isEqualTo(5);
    assertThat(page.events()).extracting(Event::json).containsExactly(line1, line2);
    Event first = page.events().getFirst();
    assertThat(first.ts()).isEqualTo(Instant.parse("2026-11-21T10:15:30.123Z"));
    assertThat(first.id()).isEqualTo("x-1");
    assertThat(first.data().get("price").decimalValue()).isEqualByComparingTo("1.50");
    assertThat(first.data().get("price").toString()).isEqualTo("1.50");
    assertThat(first.meta().get("agent").asText()).isEqualTo("p");
    Event second = page.events().get(1);
    assertThat(second.id()).isNull();
    assertThat(second.data()).isEqualTo(JsonNodeFactory.instance.nullNode());
    assertThat(second.meta()).isNull();
  }

  @Test
  void readAll_followsNext_andStopsAtTheHeadOfTheFirstPage() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) -> {
          String query = exchange.getRequestURI().getRawQuery();
          int after = Integer.parseInt(query.replaceAll(".*afterSeq=(\\d+).*", "$1"));
          int head = 4 + call; // a producer keeps appending, and this server ignores beforeSeq
          StringBuilder events = new StringBuilder();
          for (int seq = after + 1; seq <= Math.min(after + 2, head); seq++) {
            events.append(events.isEmpty() ? "" : ",").append(event(seq));
          }
          Integer next = after + 2 < head ? after + 2 : null;
          json(
              exchange,
              200,
              "{\"run\":\"r1\",\"branch\":\"main\",\"events\":["
                  + events
                  + "],\"head\":"
                  + head
                  + ",\"next\":"
                  + next
                  + "}");
        });

    List<Long> seqs =
        client()
            .readAll("r1", ReadOptions.defaults().afterSeq(0).limit(2))
            .map(Event::seq)
            .toList();

    assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(peer.requests())
        .extracting(ScriptedPeer.Request::query)
        .containsExactly(
            "afterSeq=0&limit=2",
            "afterSeq=2&beforeSeq=6&limit=2",
            "afterSeq=4&beforeSeq=6&limit=2");
  }

  @Test
  void readAll_descending_continuesWithBeforeSeq() {
    peer.on(
        "/v1/runs/r1/events",
        (exchange, call) -> {
          String query = exchange.getRequestURI().getRawQuery();
          int before =
              query.contains("beforeSeq=")
                  ? Integer.parseInt(query.replaceAll(".*beforeSeq=(\\d+).*", "$1"))
                  : 6;
          StringBuilder events = new StringBuilder();
          for (int seq = before - 1; seq >= Math.max(1, before - 2); seq--) {
            events.append(events.isEmpty() ? "" : ",").append(event(seq));
          }
          Integer next = before - 2 > 1 ? before - 2 : null;
          json(
              exchange,
              200,
              "{\"run\":\"r1\",\"branch\":\"main\",\"events\":["
                  + events
                  + "],\"head\":5,\"next\":"
                  + next
                  + "}");
        });

    List<Long> seqs =
        client()
            .readAll("r1", ReadOptions.defaults().descending().limit(2))
            .map(Event::seq)
            .toList();

    assertThat(seqs).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(peer.requests())
        .extracting(ScriptedPeer.Request::query)
        .containsExactly(
            "limit=2&order=desc",
            "beforeSeq=4&limit=2&order=desc",
            "beforeSeq=2&limit=2&order=desc");
  }

  static String event(long seq) {
    return "{\"seq\":"
        + seq
        + ",\"ts\":\"2026-11-21T10:15:30.123Z\",\"run\":\"r1\",\"branch\":\"main\",\"type\":\"t\"}";
  }

  @Test
  void runs_listCreateAndGet() throws Exception {
    peer.on(
        "/v1/runs",
        (exchange, call) -> {
          String path = exchange.getRequestURI().getPath();
          if (exchange.getRequestMethod().equals("POST")) {
            json(exchange, 201, "{\"id\":\"made\",\"status\":\"pending\",\"eventCount\":1}");
          } else if (path.equals("/v1/runs")) {
            json(
                exchange,
                200,
                "{\"runs\":[{\"id\":\"a\",\"status\":\"running\"},{\"id\":\"b\"}],\"next\":\"c2\"}");
          } else if (path.equals("/v1/runs/a")) {
            json(exchange, 200, "{\"id\":\"a\",\"status\":\"running\"}");
          } else {
            problem(exchange, 404, "not-found", "run does not exist", "");
          }
        });
    RunJournalClient client = client();

    RunsPage page =
        client.listRuns(
            ListRunsOptions.defaults()
                .prefix("a")
                .status("running")
                .limit(2)
                .cursor("c1")
                .order(ListRunsOptions.Order.RECENT));
    RunSummary created = client.createRun("made", tree("{\"owner\":\"ci\"}"));
    Optional<RunSummary> found = client.run("a");
    Optional<RunSummary> missing = client.run("nope");

    assertThat(page.runs()).extracting(RunSummary::id).containsExactly("a", "b");
    assertThat(page.runs().getFirst().json().get("status").asText()).isEqualTo("running");
    assertThat(page.next()).isEqualTo("c2");
    assertThat(created.id()).isEqualTo("made");
    assertThat(created.json().get("eventCount").asInt()).isEqualTo(1);
    assertThat(found).map(RunSummary::id).contains("a");
    assertThat(missing).isEmpty();
    assertThat(peer.requests())
        .extracting(r -> r.method() + " " + r.uri())
        .containsExactly(
            "GET /v1/runs?prefix=a&status=running&limit=2&cursor=c1&order=recent",
            "POST /v1/runs",
            "GET /v1/runs/a",
            "GET /v1/runs/nope");
    assertThat(tree(peer.requests().get(1).body()))
        .isEqualTo(tree("{\"id\":\"made\",\"meta\":{\"owner\":\"ci\"}}"));
  }

  @Test
  void run_404ThatIsNotAboutTheRun_isAnError_notAnAbsentRun() {
    peer.on(
        "/v1/runs", (exchange, call) -> ScriptedPeer.send(exchange, 404, "text/plain", "no route"));

    assertThatThrownBy(() -> client().run("a"))
        .isInstanceOf(RunJournalClientException.class)
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("no route");
  }

  @Test
  void createRun_isNotRetriedAfterA502_butIsAfterA503() {
    peer.on(
        "/v1/runs",
        (exchange, call) -> {
          switch (call) {
            case 1 -> problem(exchange, 503, "unavailable", "starting", "");
            case 2 -> json(exchange, 201, "{\"id\":\"gen-1\"}");
            default -> problem(exchange, 502, "bad-gateway", "lost", "");
          }
        });
    RunJournalClient client = client();

    RunSummary created = client.createRun();
    var lost = catchThrowableOfType(RunJournalClientException.class, client::createRun);

    assertThat(created.id()).isEqualTo("gen-1");
    assertThat(lost.status()).isEqualTo(502);
    assertThat(peer.requests()).hasSize(3);
    assertThat(peer.requests().getFirst().body()).isEqualTo("{}");
  }

  @Test
  void invalidRunId_isRefusedBeforeAnyRequest() {
    peer.on("/", (exchange, call) -> json(exchange, 200, "{}"));
    RunJournalClient client = client();

    var error =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client.append("../etc", NewEvent.of("a")));

    assertThat(error.type()).isEqualTo("invalid-run-id");
    assertThat(error.getMessage()).startsWith("invalid run id \"../etc\": ");
    assertThatThrownBy(() -> client.read("a/b", ReadOptions.defaults()))
        .isInstanceOf(RunJournalClientException.class);
    assertThat(peer.requests()).isEmpty();
  }

  @Test
  void successResponseThatCannotBeRead_isAnInvalidResponse() {
    peer.on("/v1/runs/r1/events", (exchange, call) -> json(exchange, 201, "{\"run\":\"r1\"}"));

    var error =
        catchThrowableOfType(
            RunJournalClientException.class, () -> client().append("r1", NewEvent.of("a")));

    assertThat(error.type()).isEqualTo("invalid-response");
    assertThat(error.getMessage()).contains("\"branch\" is missing").contains("{\"run\":\"r1\"}");
  }

  @Test
  void builder_refusesBadSettings_andClosedClientRefusesCalls() {
    assertThatThrownBy(() -> RunJournalClient.builder("ftp://host").build())
        .hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> RunJournalClient.builder("http://user:pw@host").build())
        .hasMessageNotContaining("pw")
        .hasMessageContaining("user info");
    assertThatThrownBy(() -> RunJournalClient.builder("http://host?x=1").build())
        .hasMessageContaining("query");
    assertThatThrownBy(
            () -> RunJournalClient.builder("http://host").requestTimeout(Duration.ZERO).build())
        .hasMessageContaining("requestTimeout");

    RunJournalClient client = RunJournalClient.builder("http://host:1/base/").build();
    assertThat(client.baseUrl()).hasToString("http://host:1/base");
    client.close();
    client.close();
    assertThatThrownBy(() -> client.append("r", NewEvent.of("a")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void newEvent_factories_convertData_andRejectBadJson() throws Exception {
    record Step(String name, int attempt) {}

    assertThat(NewEvent.of("s", new Step("compile", 2)).data())
        .isEqualTo(tree("{\"name\":\"compile\",\"attempt\":2}"));
    assertThat(NewEvent.of("s", "text").data().asText()).isEqualTo("text");
    assertThat(NewEvent.ofJson("s", "null").data().isNull()).isTrue();
    assertThat(NewEvent.of("s").data()).isNull();
    assertThatThrownBy(() -> NewEvent.ofJson("s", "{\"a\":"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data is not valid JSON: ");
    assertThatThrownBy(() -> NewEvent.ofJson("s", "1 2"))
        .hasMessageStartingWith("data is not valid JSON: ");
    assertThatThrownBy(() -> NewEvent.of("s").withMetaJson("[1]"))
        .hasMessageContaining("meta must be a JSON object");
    assertThatThrownBy(() -> NewEvent.of(null)).isInstanceOf(NullPointerException.class);
  }
}
