package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.runjournal.internal.logging.RecordCodec;
import io.runjournal.logging.Attributes;
import io.runjournal.logging.LogEntry;
import io.runjournal.logging.Logging;
import io.runjournal.logging.Sinks;
import io.runjournal.logging.Span;
import io.runjournal.logging.SpanOpen;
import io.runjournal.server.SseConnection.Frame;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records written through a run sink reach SSE subscribers live, as the run's events. */
class LogsOverSseTest {
  @TempDir Path data;

  static Frame nextMessage(SseConnection stream) throws InterruptedException {
    Frame frame = stream.nextNonComment();
    while (frame != null && !frame.isMessage()) {
      frame = stream.nextNonComment();
    }
    assertThat(frame).as("the stream ended").isNotNull();
    return frame;
  }

  @Test
  void logAndSpanRecords_streamLiveOverSse_asTheyAreWritten() throws Exception {
    try (TestServer server = TestServer.start(data);
        Logging logging =
            Logging.builder().sink(Sinks.run(server.server().journal(), "agent-7")).build();
        SseConnection stream = SseConnection.open(server, "/v1/runs/agent-7/stream")) {
      assertThat(stream.status()).isEqualTo(200);

      Span span = logging.logger("planner").span("tool.call", Attributes.of("tool", "search"));
      Frame opened = nextMessage(stream);
      assertThat(opened.data()).contains("\"type\":\"span.open\"");

      span.logger().info("searching", Attributes.of("query", "fsync"));
      Frame logged = nextMessage(stream);
      assertThat(logged.seq()).isEqualTo(opened.seq() + 1);
      assertThat(logged.data()).contains("\"type\":\"log\"");

      span.close();
      assertThat(nextMessage(stream).data()).contains("\"type\":\"span.close\"");

      var events = server.server().journal().read("agent-7", io.runjournal.ReadQuery.all());
      SpanOpen open = (SpanOpen) RecordCodec.parse(events.events().get(0).data());
      LogEntry entry = (LogEntry) RecordCodec.parse(events.events().get(1).data());
      assertThat(entry.spanId()).isEqualTo(open.spanId());
      assertThat(open.source()).isEqualTo("planner");
    }
  }
}
