package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static io.runjournal.server.Api.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad requests over real HTTP: each is a precise problem+json, and nothing is written. The server
 * runs with small limits (1,000-byte requests, 3-event batches, 300-byte events) so that the limits
 * are cheap to cross.
 */
class ErrorsApiTest {
  private static final int MAX_REQUEST_BYTES = 1000;

  @org.junit.jupiter.api.io.TempDir Path data;
  private TestServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        TestServer.start(
            data,
            config ->
                config.withLimits(
                    config
                        .limits()
                        .withMaxRequestBytes(MAX_REQUEST_BYTES)
                        .withMaxBatchEvents(3)
                        .withMaxEventBytes(300)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void assertNothingWritten() throws Exception {
    Path runs = data.resolve("runs");
    if (Files.exists(runs)) {
      try (Stream<Path> entries = Files.list(runs)) {
        assertThat(entries).as("run directories").isEmpty();
      }
    }
  }

  private void assertNothingWrittenTo(String run) throws Exception {
    JsonNode replay = ok(server.get("/v1/runs/" + run + "/events"), 200);
    assertThat(replay.path("events")).isEmpty();
    assertThat(replay.path("head").asLong()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        ".",
        "%2E%2E",
        "a%2Fb",
        "%2F..%2Fescape",
        "a%5Cb",
        "a%20b",
        "-leading-dash",
        "_leading",
        "run%25id",
        "r%C3%A9sum%C3%A9",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
            + "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void invalidRunId_isRejectedBeforeItTouchesAPath(String run) throws Exception {
    JsonNode append =
        problem(
            server.post("/v1/runs/" + run + "/events", "{\"type\":\"a\"}"), 400, "invalid-run-id");
    assertThat(append.path("detail").asText()).contains("invalid run id");
    problem(server.get("/v1/runs/" + run + "/events"), 400, "invalid-run-id");
    problem(server.get("/v1/runs/" + run), 400, "invalid-run-id");

    assertNothingWritten();
  }

  @Test
  void runIdOf129Characters_isInvalidAnd128IsNot() throws Exception {
    problem(
        server.post("/v1/runs/" + "r".repeat(129) + "/events", "{\"type\":\"a\"}"),
        400,
        "invalid-run-id");
    ok(server.post("/v1/runs/" + "r".repeat(128) + "/events", "{\"type\":\"a\"}"), 201);
  }

  @Test
  void runIdWithNul_isAProblemNotAnHtmlPage() throws Exception {
    problem(server.post("/v1/runs/a%00b/events", "{\"type\":\"a\"}"), 400, "invalid-request");
    problem(server.get("/v1/runs/a%00b/events"), 400, "invalid-request");

    assertNothingWritten();
  }

  @Test
  void runIdWithUtf16Escape_is400NotA500() throws Exception {
    // Jetty lets %u0041 through; Javalin's path decoding then threw, which was answered with 500.
    RawHttp.Response response =
        RawHttp.send(server, "POST", "/v1/runs/%u0041/events", "{\"type\":\"a\"}".getBytes());

    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(Api.parse(response.bodyText()).path("type").asText()).isEqualTo("invalid-request");
    assertNothingWritten();
  }

  @ParameterizedTest
  @CsvSource({
    "GET, %zz",
    "GET, %C0%AF",
    "GET, a%ff",
    "GET, %",
    "POST, %zz",
    "PUT, %zz",
    "DELETE, %C0%AF"
  })
  void malformedEscapeInPath_isAProblemNotAnHtmlPage(String method, String run) throws Exception {
    RawHttp.Response response =
        RawHttp.send(server, method, "/v1/runs/" + run + "/events", new byte[0]);

    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.contentType())
        .as(response.toString())
        .startsWith("application/problem+json");
    assertThat(Api.parse(response.bodyText()).path("status").asInt()).isEqualTo(400);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/runs/r1/events", "/v1/runs", "/v1/auth/login"})
  void brokenChunkedBody_is400NotA500(String path) throws Exception {
    // Jetty's early-EOF error from reading the body reached the handler as an unknown exception.
    RawHttp.Response response =
        RawHttp.send(
            server,
            "POST",
            path,
            "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "Content-Type: application/json",
            "Transfer-Encoding: chunked");

    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertNothingWritten();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"a\",\"data\":\"\\uD800\"}",
        "{\"type\":\"a\",\"data\":{\"k\":[\"x\\uDC00y\"]}}",
        "{\"type\":\"a\",\"data\":{\"\\uD83D\":1}}",
        "{\"type\":\"a\",\"meta\":{\"agent\":\"\\uDFFF\\uD800\"}}",
        "[{\"type\":\"a\"},{\"type\":\"a\",\"id\":\"ev-\\uD800\"}]"
      })
  void loneSurrogate_isRejectedNotWrittenAsQuestionMark(String body) throws Exception {
    // The journal wrote "?" for an unpaired surrogate while its cache kept the original, so the
    // stored event differed from the acknowledged one and a replay from the cache failed with 500.
    JsonNode problem = problem(server.post("/v1/runs/r1/events", body), 400, "invalid-event");

    assertThat(problem.path("detail").asText()).contains("surrogate");
    assertNothingWrittenTo("r1");
  }

  @Test
  void loneSurrogateInCreateMeta_isRejected() throws Exception {
    problem(
        server.post("/v1/runs", "{\"id\":\"r1\",\"meta\":{\"k\":\"\\uD800\"}}"),
        400,
        "invalid-event");

    assertNothingWritten();
  }

  @Test
  void surrogatePairs_areKept() throws Exception {
    ok(
        server.post(
            "/v1/runs/r1/events", "{\"type\":\"a\",\"data\":\"\\uD83D\\uDE00 \uD83D\uDE00\"}"),
        201);

    JsonNode event = ok(server.get("/v1/runs/r1/events"), 200).path("events").get(0);
    assertThat(event.path("data").asText()).isEqualTo("\uD83D\uDE00 \uD83D\uDE00");
  }

  @Test
  void malformedJson_namesTheEventAndLine() throws Exception {
    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},\n\n{\"type\": }]"),
            400,
            "invalid-event");

    assertThat(problem.path("detail").asText()).contains("event 2", "line 3");
    assertNothingWrittenTo("r1");
  }

  @Test
  void malformedNdjsonLine_namesTheEventAndLine() throws Exception {
    JsonNode problem =
        problem(
            server.post(
                "/v1/runs/r1/events", "{\"type\":\"a\"}\n{\"type\":\"b\"}\n{\"type\":\"c\""),
            400,
            "invalid-event");

    assertThat(problem.path("detail").asText()).contains("event 3", "line 3");
    assertNothingWrittenTo("r1");
  }

  @Test
  void unknownField_isNamed() throws Exception {
    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"colour\":\"red\"}"),
            400,
            "invalid-event");

    assertThat(problem.path("detail").asText()).contains("unknown field \"colour\"", "event 1");
    assertNothingWrittenTo("r1");
  }

  @Test
  void missingType_isNamed() throws Exception {
    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events", "[{\"type\":\"a\"},{\"data\":{}}]"),
            400,
            "invalid-event");

    assertThat(problem.path("detail").asText()).contains("event 2", "missing \"type\"");
    assertNothingWrittenTo("r1");
  }

  @Test
  void emptyBody_isAnInvalidEvent() throws Exception {
    JsonNode problem = problem(server.post("/v1/runs/r1/events", ""), 400, "invalid-event");

    assertThat(problem.path("detail").asText()).contains("no events");
    assertNothingWrittenTo("r1");
  }

  @Test
  void bodyOverMaxRequestBytes_withContentLength_is413() throws Exception {
    String body = "{\"type\":\"a\",\"data\":\"" + "x".repeat(MAX_REQUEST_BYTES) + "\"}";

    JsonNode problem = problem(server.post("/v1/runs/r1/events", body), 413, "payload-too-large");

    assertThat(problem.path("max").asLong()).isEqualTo(MAX_REQUEST_BYTES);
    assertThat(problem.path("detail").asText()).contains(Integer.toString(MAX_REQUEST_BYTES));
    assertNothingWritten();
  }

  @Test
  void bodyOverMaxRequestBytes_chunkedWithoutContentLength_is413() throws Exception {
    // Many small valid events: the limit must stop the upload, whatever the parser would say.
    byte[] body =
        ("[" + "{\"type\":\"a\"},".repeat(200) + "{\"type\":\"a\"}]")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        server
            .request("/v1/runs/r1/events")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();

    problem(server.send(request), 413, "payload-too-large");

    assertNothingWritten();
  }

  @Test
  void moreEventsThanMaxBatchEvents_is400() throws Exception {
    JsonNode problem =
        problem(
            server.post(
                "/v1/runs/r1/events",
                "[{\"type\":\"a\"},{\"type\":\"a\"},{\"type\":\"a\"},{\"type\":\"a\"}]"),
            400,
            "invalid-event");

    assertThat(problem.path("detail").asText()).contains("more than 3 events");
    assertNothingWrittenTo("r1");
  }

  @Test
  void eventOverMaxEventBytes_is413WithSizeAndMax() throws Exception {
    JsonNode problem =
        problem(
            server.post(
                "/v1/runs/r1/events",
                "[{\"type\":\"a\"},{\"type\":\"big\",\"data\":\"" + "x".repeat(400) + "\"}]"),
            413,
            "payload-too-large");

    assertThat(problem.path("max").asLong()).isEqualTo(300);
    assertThat(problem.path("size").asLong()).isGreaterThan(300);
    assertThat(problem.path("detail").asText()).contains("\"big\"", "300");
    assertNothingWrittenTo("r1");
  }

  @ParameterizedTest
  @CsvSource({
    "afterSeq=-1, afterSeq",
    "afterSeq=abc, afterSeq",
    "afterSeq=99999999999999999999, afterSeq",
    "beforeSeq=-5, beforeSeq",
    "limit=0, limit",
    "limit=10001, limit",
    "limit=-1, limit",
    "limit=ten, limit",
    "order=sideways, order",
    "order=DESC, order",
    "strict=maybe, strict",
    "strict=yes, strict",
  })
  void badReplayParameter_is400NamingIt(String query, String name) throws Exception {
    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);

    JsonNode problem = problem(server.get("/v1/runs/r1/events?" + query), 400, "invalid-request");

    assertThat(problem.path("detail").asText()).startsWith(name + " ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"limit=0", "limit=10001", "afterSeq=-1", "order=up"})
  void badReplayParameter_withNdjson_is400Problem(String query) throws Exception {
    HttpResponse<String> response =
        server.send(
            server
                .request("/v1/runs/r1/events?" + query)
                .header("Accept", "application/x-ndjson")
                .GET()
                .build());

    problem(response, 400, "invalid-request");
  }

  @Test
  void badBranch_is400InvalidBranch() throws Exception {
    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events?branch=..", "{\"type\":\"a\"}"), 400, "invalid-branch");

    assertThat(problem.path("detail").asText()).contains("branch");
    problem(server.get("/v1/runs/r1/events?branch=" + "b".repeat(65)), 400, "invalid-branch");
    assertNothingWritten();
  }

  @Test
  void badTypeFilter_is400InvalidEventType() throws Exception {
    problem(server.get("/v1/runs/r1/events?type=a,b%20c"), 400, "invalid-event-type");
  }

  @ParameterizedTest
  @ValueSource(strings = {"expectedSeq=-1", "expectedSeq=x", "expectedSeq=1.5"})
  void badExpectedSeq_is400NamingIt(String query) throws Exception {
    JsonNode problem =
        problem(
            server.post("/v1/runs/r1/events?" + query, "{\"type\":\"a\"}"), 400, "invalid-request");

    assertThat(problem.path("detail").asText()).startsWith("expectedSeq ");
    assertNothingWritten();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope", "/v1", "/v1/runs/r1/nothing", "/v1/runs/r1/events/7"})
  void unknownEndpoint_is404Problem(String path) throws Exception {
    JsonNode problem = problem(server.get(path), 404, "not-found");

    assertThat(problem.path("detail").asText()).contains(path);
    problem(server.post(path, "{}"), 404, "not-found");
  }

  @Test
  void missingRun_is404Problem() throws Exception {
    JsonNode problem = problem(server.get("/v1/runs/never-created"), 404, "not-found");

    assertThat(problem.path("detail").asText()).contains("never-created");
  }

  @Test
  void afterErrors_theServerStillAppends() throws Exception {
    problem(server.post("/v1/runs/r1/events", "{"), 400, "invalid-event");
    problem(server.post("/v1/runs/r1/events", "{\"type\":\"a\",\"x\":1}"), 400, "invalid-event");

    ok(server.post("/v1/runs/r1/events", "{\"type\":\"a\"}"), 201);
    assertThat(seqs(ok(server.get("/v1/runs/r1/events"), 200))).containsExactly(1L);
  }
}
