package io.runjournal.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A real server on a random loopback port over a temporary data directory, with a plain JDK HTTP
 * client for tests. Close it to stop the server (the data directory stays for the test to check).
 */
public final class TestServer implements AutoCloseable {
  private final Path dataDir;
  private final RunJournalServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Path dataDir, RunJournalServer server) {
    this.dataDir = dataDir;
    this.server = server;
  }

  /** Starts a server on {@code dataDir} with the defaults (fsync always, no auth) on port 0. */
  public static TestServer start(Path dataDir) throws IOException {
    return start(dataDir, UnaryOperator.identity());
  }

  /** Starts a server with the defaults changed by {@code configure} (the port is forced to 0). */
  public static TestServer start(Path dataDir, UnaryOperator<ServerConfig> configure)
      throws IOException {
    ServerConfig config = configure.apply(ServerConfig.defaults(dataDir)).withPort(0);
    return new TestServer(dataDir, RunJournalServer.start(config));
  }

  /**
   * Starts a server on {@code port} (a restart on the port of a closed server, so that a browser's
   * {@code EventSource} reconnects to it) with the defaults changed by {@code configure}.
   */
  public static TestServer startOnPort(
      Path dataDir, int port, UnaryOperator<ServerConfig> configure) throws IOException {
    ServerConfig config = configure.apply(ServerConfig.defaults(dataDir)).withPort(port);
    return new TestServer(dataDir, RunJournalServer.start(config));
  }

  /** The running server. */
  public RunJournalServer server() {
    return server;
  }

  /** The data directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** The base URL, {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return server.url();
  }

  /** {@code url() + path}. */
  public URI uri(String path) {
    return URI.create(server.url() + path);
  }

  /** A request builder for {@code path}. */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
  }

  /** Sends {@code request}, reading the body as a string. */
  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** GET {@code path}. */
  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  /** POST {@code body} to {@code path} as {@code application/json}. */
  public HttpResponse<String> post(String path, String body)
      throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build());
  }

  /** The JDK client this fixture uses. */
  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    server.close();
  }
}
