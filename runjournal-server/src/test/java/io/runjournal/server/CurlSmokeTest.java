package io.runjournal.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/scripts/curl-smoke.sh} against a real server: the API as a person with curl
 * sees it (appends, replays, {@code curl -N} until the end frame). Skipped when curl is absent.
 */
class CurlSmokeTest {
  private static final Path SCRIPT = Path.of("src/test/scripts/curl-smoke.sh");

  @TempDir Path data;

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program))
        .filter(Files::isExecutable)
        .findFirst();
  }

  @Test
  void curlSmokeScript_passesAgainstARealServer() throws Exception {
    assumeTrue(
        onPath("curl").isPresent(),
        "curl is not installed (apt-get install curl): skipping the curl smoke test");
    assumeTrue(onPath("bash").isPresent(), "bash is not installed: skipping the curl smoke test");
    assertThat(SCRIPT).as("run from the module directory").isRegularFile();

    try (TestServer server =
        TestServer.start(data, config -> config.withSseRetry(Duration.ofMillis(200)))) {
      Process script =
          new ProcessBuilder("bash", SCRIPT.toString(), server.url().toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      String output = new String(script.getInputStream().readAllBytes(), UTF_8);
      assertThat(script.waitFor(90, TimeUnit.SECONDS)).as("the script finished").isTrue();
      assertThat(script.exitValue()).as("curl-smoke.sh output:%n%s", output).isZero();
      assertThat(output).contains("curl-smoke: ok");
    }
  }
}
