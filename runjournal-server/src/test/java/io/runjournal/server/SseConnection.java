package io.runjournal.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw Server-Sent Events client for tests: one HTTP/1.1 GET over a plain socket, the response
 * head parsed, the body de-chunked and cut into frames exactly as the SSE parsing rules cut it (a
 * blank line ends a frame; lines starting with {@code :} are comments). It depends on nothing but
 * the JDK, so it checks the wire format itself rather than another client's reading of it.
 *
 * <p>A virtual thread reads frames into a queue; {@link #next()} takes them with a generous bound
 * that only guards against a hang (the failure names every frame seen so far). Not thread-safe: one
 * test thread takes frames. {@link #close()} closes the socket, as a client leaving would.
 */
final class SseConnection implements AutoCloseable {
  /** How long {@link #next()} waits before failing the test: a hang guard, not a timing assert. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final Frame END_OF_STREAM = new Frame(List.of());

  private final Socket socket;
  private final int status;
  private final Map<String, String> headers;
  private final String body;
  private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
  private final List<Frame> seen = new ArrayList<>();
  private volatile IOException readFailure;
  private boolean ended;

  private SseConnection(Socket socket, int status, Map<String, String> headers, String body) {
    this.socket = socket;
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** One SSE frame: its raw lines, without the blank line that ended it. */
  record Frame(List<String> lines) {
    /** The value of field {@code name} (the last one if repeated, per the spec), or null. */
    String field(String name) {
      String value = null;
      for (String line : lines) {
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        if (field.equals(name)) {
          String rest = colon < 0 ? "" : line.substring(colon + 1);
          value = rest.startsWith(" ") ? rest.substring(1) : rest;
        }
      }
      return value;
    }

    /** The {@code data} lines joined with newlines, as the spec builds the message data. */
    String data() {
      List<String> data = new ArrayList<>();
      for (String line : lines) {
        if (line.equals("data") || line.startsWith("data:")) {
          String rest = line.length() > 4 ? line.substring(5) : "";
          data.add(rest.startsWith(" ") ? rest.substring(1) : rest);
        }
      }
      return data.isEmpty() ? null : String.join("\n", data);
    }

    String id() {
      return field("id");
    }

    String event() {
      return field("event");
    }

    /** The {@code id} as a seq. */
    long seq() {
      return Long.parseLong(id());
    }

    /** Whether every line is a comment (a heartbeat). */
    boolean isComment() {
      return !lines.isEmpty() && lines.stream().allMatch(line -> line.startsWith(":"));
    }

    /** A message that {@code EventSource.onmessage} would see: data and no event name. */
    boolean isMessage() {
      return data() != null && event() == null;
    }
  }

  /** Opens {@code path} on {@code server}, optionally with a {@code Last-Event-ID} header. */
  static SseConnection open(TestServer server, String path, String lastEventId) throws IOException {
    return open(server.url(), path, lastEventId, /* receiveBuffer= */ 0);
  }

  /** Opens {@code path} on {@code server} without {@code Last-Event-ID}. */
  static SseConnection open(TestServer server, String path) throws IOException {
    return open(server, path, null);
  }

  /**
   * Opens {@code path} on {@code base}; a positive {@code receiveBuffer} sets the socket's receive
   * buffer before connecting (a small one makes a client that never reads stall the sender soon).
   */
  static SseConnection open(URI base, String path, String lastEventId, int receiveBuffer)
      throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    StringBuilder request = new StringBuilder();
    request.append("GET ").append(path).append(" HTTP/1.1\r\n");
    request.append("Host: ").append(base.getHost()).append(':').append(base.getPort());
    request.append("\r\nAccept: text/event-stream\r\nConnection: close\r\n");
    if (lastEventId != null) {
      request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
    }
    request.append("\r\n");
    OutputStream out = socket.getOutputStream();
    out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return receiveBuffer > 0 ? stalled(socket) : read(socket);
  }

  /** A connection whose response is never read: only the socket, for closing. */
  private static SseConnection stalled(Socket socket) {
    return new SseConnection(socket, -1, Map.of(), null);
  }

  private static SseConnection read(Socket socket) throws IOException {
    socket.setSoTimeout((int) PATIENCE.toMillis());
    InputStream in = new BufferedInputStream(socket.getInputStream());
    String statusLine = readLine(in);
    if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
      socket.close();
      throw new IOException("not an HTTP/1.1 response: " + statusLine);
    }
    int status = Integer.parseInt(statusLine.substring(9, 12));
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    // Buffered so that a CR line end can peek at the next byte.
    InputStream content = new BufferedInputStream(body(in, headers));
    String contentType = headers.getOrDefault("Content-Type", "");
    if (status != 200 || !contentType.startsWith("text/event-stream")) {
      String text = new String(content.readAllBytes(), UTF_8);
      socket.close();
      return new SseConnection(socket, status, headers, text);
    }
    socket.setSoTimeout(0);
    SseConnection connection = new SseConnection(socket, status, headers, null);
    Thread.ofVirtual().name("sse-reader").start(() -> connection.readFrames(content));
    return connection;
  }

  private static InputStream body(InputStream in, Map<String, String> headers) {
    if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
      return new ChunkedInputStream(in);
    }
    String length = headers.get("Content-Length");
    if (length != null) {
      return new BoundedInputStream(in, Long.parseLong(length));
    }
    return in;
  }

  private void readFrames(InputStream content) {
    List<String> lines = new ArrayList<>();
    try {
      for (String line = readLine(content); line != null; line = readLine(content)) {
        if (line.isEmpty()) {
          if (!lines.isEmpty()) {
            frames.add(new Frame(List.copyOf(lines)));
            lines.clear();
          }
        } else {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      readFailure = e;
    } finally {
      frames.add(END_OF_STREAM);
    }
  }

  /** A line ended by LF, CRLF or CR (the SSE rule), or null at the end of the stream. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(UTF_8);
      }
      if (b == '\n') {
        return line.toString(UTF_8);
      }
      if (b == '\r') {
        in.mark(1);
        if (in.read() != '\n') {
          in.reset();
        }
        return line.toString(UTF_8);
      }
      line.write(b);
    }
  }

  /** The response status. */
  int status() {
    return status;
  }

  /** A response header, or null. */
  String header(String name) {
    return headers.get(name);
  }

  /** The body of a response that is not an event stream (a problem, an empty 204). */
  String body() {
    return body;
  }

  /**
   * The next frame, or null when the server ended the stream; fails the test if none comes within
   * {@link #PATIENCE} (the server is hung: the message lists what arrived).
   */
  Frame next() throws InterruptedException {
    if (ended) {
      return null;
    }
    Frame frame = frames.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    if (frame == null) {
      fail("no SSE frame within " + PATIENCE + "; frames so far: " + seen);
    }
    if (frame == END_OF_STREAM) {
      ended = true;
      return null;
    }
    seen.add(frame);
    return frame;
  }

  /** The next frame that is not a heartbeat comment, or null at the end of the stream. */
  Frame nextNonComment() throws InterruptedException {
    Frame frame = next();
    while (frame != null && frame.isComment()) {
      frame = next();
    }
    return frame;
  }

  /** Every frame up to the end of the stream (bounded by {@link #PATIENCE} per frame). */
  List<Frame> readToEnd() throws InterruptedException {
    List<Frame> rest = new ArrayList<>();
    for (Frame frame = next(); frame != null; frame = next()) {
      rest.add(frame);
    }
    return rest;
  }

  /** Whether the stream ended because reading failed (a reset connection), not cleanly. */
  IOException readFailure() {
    return readFailure;
  }

  /** Every frame taken so far. */
  List<Frame> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** HTTP/1.1 chunked transfer coding; ends at the last chunk. */
  private static final class ChunkedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (done) {
        return -1;
      }
      if (remaining == 0) {
        String size = readLine(in);
        if (size == null) {
          throw new IOException("the stream ended inside the chunked body");
        }
        int extension = size.indexOf(';');
        remaining =
            Long.parseLong(
                (extension < 0 ? size : size.substring(0, extension))
                    .trim()
                    .toLowerCase(Locale.ROOT),
                16);
        if (remaining == 0) {
          done = true;
          return -1;
        }
      }
      int b = in.read();
      if (b < 0) {
        throw new IOException("the stream ended inside a chunk");
      }
      if (--remaining == 0) {
        readLine(in); // the CRLF after the chunk's data
      }
      return b;
    }
  }

  /** Content-Length framing. */
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long length) {
      this.in = in;
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }
  }
}
