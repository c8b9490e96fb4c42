package io.runjournal.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRedactionTest {
  @TempDir Path dir;

  @Test
  void redactedKeys_neverReachTheFile_inAttributesSpanBodiesOrCloseAttributes() throws Exception {
    Path file = dir.resolve("app.jsonl");
    try (Logging logging =
        Logging.builder()
            .sink(Sinks.file(FileSinkOptions.at(file).withFsync(FileFsync.NONE)))
            .build()) {
      Logger logger = logging.logger("agent");
      logger.warn("calling", Attributes.of("Authorization", "Bearer abc.def", "url", "/v1"));
      try (Span span =
          logger
              .spanBuilder("llm.call")
              .body("{\"messages\":[{\"role\":\"user\"}],\"apiKey\":\"sk-999\"}")
              .open()) {
        span.setAttribute("token", "tok-777");
      }
    }

    String text = Files.readString(file);
    assertThat(text.lines()).hasSize(3);
    assertThat(text)
        .doesNotContain("Bearer abc.def")
        .doesNotContain("sk-999")
        .doesNotContain("tok-777")
        .contains("\"Authorization\":\"[REDACTED]\"")
        .contains("\"apiKey\":\"[REDACTED]\"")
        .contains("\"token\":\"[REDACTED]\"")
        .contains("\"url\":\"/v1\"");
  }
}
