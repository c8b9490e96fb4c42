package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSmokeTest {
  @TempDir Path data;

  @Test
  void appendsAndReplaysOverHttp() throws Exception {
    try (TestServer server = TestServer.start(data)) {
      HttpResponse<String> appended =
          server.post("/v1/runs/demo-1/events", "{\"type\":\"run.started\",\"data\":{\"goal\":1}}");
      assertThat(appended.statusCode()).isEqualTo(201);
      assertThat(appended.body()).contains("\"first\":1", "\"head\":1");

      HttpResponse<String> replay = server.get("/v1/runs/demo-1/events");
      assertThat(replay.statusCode()).isEqualTo(200);
      assertThat(replay.body())
          .contains("\"type\":\"run.started\",\"data\":{\"goal\":1}}]", "\"head\":1");
    }
  }
}
