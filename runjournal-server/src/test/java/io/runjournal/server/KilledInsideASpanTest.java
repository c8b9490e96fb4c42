package io.runjournal.server;

import static io.runjournal.server.Api.ok;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §9: records reach the run as they are made, so a process killed inside a span leaves a
 * trace in which that span is unfinished and everything it finished is there.
 */
class KilledInsideASpanTest {
  @TempDir Path data;
  @TempDir Path scratch;

  @Test
  void trace_ofAChildJvmKilledInsideASpan_showsTheSpanUnfinishedWithItsClosedChildAndLog()
      throws Exception {
    try (TestServer server = TestServer.start(data)) {
      Path stderr = scratch.resolve("child.err");
      Process child =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElseThrow(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  SpanInProgressMain.class.getName(),
                  data.toString(),
                  "killed-run")
              .redirectError(stderr.toFile())
              .start();
      String spanId;
      try {
        BufferedReader out =
            new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        String ready = out.readLine(); // null if the child died before it got there
        assertThat(ready)
            .as("the child's READY line; stderr: %s", Files.readString(stderr))
            .startsWith("READY ");
        spanId = ready.substring("READY ".length());
      } finally {
        child.destroyForcibly();
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child was killed").isTrue();
      assertThat(child.exitValue()).as("killed, not halted").isNotEqualTo(3);

      JsonNode trace = ok(server.get("/v1/runs/killed-run/trace"), 200);

      assertThat(trace.path("spans").asLong()).isEqualTo(2);
      assertThat(trace.path("unfinished").asLong()).isEqualTo(1);
      assertThat(trace.path("roots")).hasSize(1);
      JsonNode toolCall = trace.path("roots").get(0);
      assertThat(toolCall.path("spanId").asText()).isEqualTo(spanId);
      assertThat(toolCall.path("name").asText()).isEqualTo("tool.call");
      assertThat(toolCall.path("source").asText()).isEqualTo("agent");
      assertThat(toolCall.path("finished").asBoolean(true)).isFalse();
      assertThat(toolCall.has("status")).isFalse();
      assertThat(toolCall.path("logs")).hasSize(1);
      assertThat(toolCall.at("/logs/0/msg").asText()).isEqualTo("working");
      assertThat(toolCall.at("/logs/0/attributes/step").asLong()).isEqualTo(1);
      assertThat(toolCall.path("children")).hasSize(1);
      JsonNode httpGet = toolCall.path("children").get(0);
      assertThat(httpGet.path("name").asText()).isEqualTo("http.get");
      assertThat(httpGet.path("finished").asBoolean()).isTrue();
      assertThat(httpGet.path("status").asText()).isEqualTo("ok");
      assertThat(httpGet.path("parentSpanId").asText()).isEqualTo(spanId);
      assertThat(trace.path("unattachedLogs")).isEmpty();
    }
  }
}
