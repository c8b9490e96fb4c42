package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static io.runjournal.server.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareApiTest {
  @TempDir Path data;
  TestServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void append(String run, String body) throws Exception {
    ok(server.post("/v1/runs/" + run + "/events", body), 201);
  }

  @Test
  void compare_answersTheDiffOfDesign8() throws Exception {
    append(
        "a",
        "[{\"type\":\"run.started\",\"meta\":{\"agent\":\"agent-1\"}},"
            + "{\"type\":\"participant.seen\",\"data\":{\"id\":\"agent-2\"}},"
            + "{\"type\":\"progress.reported\",\"data\":{\"completed\":1,\"total\":2}}]");
    append(
        "b",
        "[{\"type\":\"run.started\",\"meta\":{\"agent\":\"agent-1\"}},"
            + "{\"type\":\"participant.seen\",\"data\":{\"id\":\"agent-3\"}},"
            + "{\"type\":\"signal.emitted\",\"data\":{\"name\":\"warning\"}},"
            + "{\"type\":\"progress.reported\",\"data\":{\"percent\":75}}]");

    JsonNode diff = ok(server.post("/v1/runs/compare", "{\"left\":\"a\",\"right\":\"b\"}"), 200);

    assertThat(diff.path("statusMatch").asBoolean()).isTrue();
    assertThat(diff.path("progressDelta").asDouble()).isEqualTo(25.0);
    assertThat(diff.path("confidenceDelta").isNull()).isTrue();
    assertThat(diff.at("/participantsDiff/added").toString()).isEqualTo("[\"agent-3\"]");
    assertThat(diff.at("/participantsDiff/removed").toString()).isEqualTo("[\"agent-2\"]");
    assertThat(diff.at("/participantsDiff/common").toString()).isEqualTo("[\"agent-1\"]");
    assertThat(diff.at("/signalsDiff/added").toString()).isEqualTo("[\"warning\"]");
    assertThat(diff.at("/firstDivergence/position").asLong()).isEqualTo(3);
    assertThat(diff.at("/countsByTypeDiff/signal.emitted/delta").asLong()).isEqualTo(1);
  }

  @Test
  void aMissingLeftOrRightRun_is404NamingIt() throws Exception {
    append("a", "{\"type\":\"x\"}");

    JsonNode left =
        problem(
            server.post("/v1/runs/compare", "{\"left\":\"nope\",\"right\":\"a\"}"),
            404,
            "not-found");
    JsonNode right =
        problem(
            server.post("/v1/runs/compare", "{\"left\":\"a\",\"right\":\"nope\"}"),
            404,
            "not-found");

    assertThat(left.path("detail").asText()).isEqualTo("the left run nope does not exist");
    assertThat(right.path("detail").asText()).isEqualTo("the right run nope does not exist");
  }

  @Test
  void badBodies_are400() throws Exception {
    problem(server.post("/v1/runs/compare", "{\"left\":\"a\"}"), 400, "invalid-request");
    problem(server.post("/v1/runs/compare", "not json"), 400, "invalid-request");
    problem(
        server.post("/v1/runs/compare", "{\"left\":\"..\",\"right\":\"a\"}"),
        400,
        "invalid-run-id");
  }
}
