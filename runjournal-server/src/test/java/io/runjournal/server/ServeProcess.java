package io.runjournal.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code runjournal serve} in a child JVM on the test's class path, on a free port: for tests that
 * stop the server with a signal (SIGTERM, SIGKILL), which an in-process server cannot show.
 */
final class ServeProcess {
  private static final Pattern SERVING =
      Pattern.compile("RunJournal serving .* on (http://127\\.0\\.0\\.1:[0-9]+)$");

  private final Process process;
  private final URI url;
  private final Path stderr;

  private ServeProcess(Process process, URI url, Path stderr) {
    this.process = process;
    this.url = url;
    this.stderr = stderr;
  }

  /**
   * Starts {@code serve --data DATA --port 0 --heartbeat 200ms} and {@code moreArgs}, and waits for
   * the line with its address; stderr goes to {@code stderr}.
   */
  static ServeProcess start(Path data, Path stderr, String... moreArgs) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "io.runjournal.server.cli.Main",
                "serve",
                "--data",
                data.toString(),
                "--port",
                "0",
                "--heartbeat",
                "200ms"));
    command.addAll(List.of(moreArgs));
    Process process =
        new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    List<String> seen = new ArrayList<>();
    // readLine returns null if the child dies before it serves: then the start fails below.
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      seen.add(line);
      Matcher matcher = SERVING.matcher(line);
      if (matcher.find()) {
        // Keep draining stdout so that the child never blocks on a full pipe.
        Thread.ofVirtual().start(() -> drain(out));
        return new ServeProcess(process, URI.create(matcher.group(1)), stderr);
      }
    }
    throw new AssertionError(
        "serve printed no address; stdout " + seen + ", stderr " + Files.readString(stderr));
  }

  /** Reads until the child's stdout ends or is closed when the child is killed. */
  private static void drain(BufferedReader out) {
    try {
      out.lines().forEach(rest -> {});
    } catch (UncheckedIOException e) {
      // closed: nothing left to drain
    }
  }

  /** The child process (to signal, wait for, read the exit status of). */
  Process process() {
    return process;
  }

  /** The server's base URL. */
  URI url() {
    return url;
  }

  /** What the child wrote to stderr so far. */
  String stderr() throws IOException {
    return Files.readString(stderr);
  }
}
