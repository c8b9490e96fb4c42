package io.runjournal.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted HTTP peer on a random loopback port (the JDK's built-in server): each path answers
 * with a test's script, and every request is recorded. {@link #release} frees scripts that block
 * until the test is done.
 */
final class ScriptedPeer implements AutoCloseable {
  /** One recorded request. */
  record Request(String method, URI uri, Map<String, List<String>> headers, String body) {
    /** The first value of a header, found regardless of case. */
    String header(String name) {
      return headers.entrySet().stream()
          .filter(header -> header.getKey().equalsIgnoreCase(name))
          .map(header -> header.getValue().getFirst())
          .findFirst()
          .orElse(null);
    }

    String query() {
      return uri.getRawQuery();
    }
  }

  /** Answers the {@code call}-th (from 1) request to its path. */
  @FunctionalInterface
  interface Script {
    void respond(HttpExchange exchange, int call) throws Exception;
  }

  /** Thrown by a script to drop the connection without (the rest of) a response. */
  static final class Drop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Drop() {
      super("dropped by the scripted peer", null, false, false);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);

  ScriptedPeer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.start();
  }

  /** The base URL of the peer. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers requests to {@code path} (and below it) with {@code script}. */
  ScriptedPeer on(String path, Script script) {
    calls.put(path, new AtomicInteger());
    server.createContext(
        path,
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  body));
          try {
            script.respond(exchange, calls.get(path).incrementAndGet());
          } catch (Drop e) {
            throw e; // unclosed: the server drops the connection, mid-response if one started
          } catch (Exception e) {
            exchange.close();
            throw new IllegalStateException("script for " + path + " failed", e);
          }
          exchange.close();
        });
    return this;
  }

  /** Every request so far, in arrival order. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The requests to paths starting with {@code path}. */
  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.uri().getPath().startsWith(path)).toList();
  }

  /** Blocks a script until the test releases it (or the peer closes). */
  void awaitRelease() throws InterruptedException {
    released.await();
  }

  /** Frees every script waiting in {@link #awaitRelease}. */
  void release() {
    released.countDown();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    executor.shutdownNow();
  }

  static void json(HttpExchange exchange, int status, String body) throws IOException {
    send(exchange, status, "application/json", body);
  }

  static void problem(HttpExchange exchange, int status, String type, String detail, String extra)
      throws IOException {
    String body =
        "{\"type\":\""
            + type
            + "\",\"title\":\""
            + type
            + "\",\"status\":"
            + status
            + ",\"detail\":\""
            + detail
            + "\""
            + (extra.isEmpty() ? "" : "," + extra)
            + "}";
    send(exchange, status, "application/problem+json", body);
  }

  static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Starts an SSE response; write frames with {@link #write}. */
  static OutputStream startStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  /** Writes and flushes raw stream text. */
  static void write(OutputStream out, String text) {
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
