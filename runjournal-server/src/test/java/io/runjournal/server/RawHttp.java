package io.runjournal.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests a proper client refuses to send: malformed percent
 * escapes, raw control bytes in the target, lying headers. One request per connection.
 */
final class RawHttp {
  private RawHttp() {}

  /** What came back: status, headers (lower-case names, last value wins) and the decoded body. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String contentType() {
      return headers.getOrDefault("content-type", "");
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      String text = bodyText();
      return status
          + " "
          + headers
          + " "
          + (text.length() > 500 ? text.substring(0, 500) + "…" : text);
    }
  }

  /**
   * Sends {@code method target} with {@code headers} (each a full {@code Name: value} line) and
   * {@code body} (sent with a Content-Length unless a header already frames it).
   */
  static Response send(
      TestServer server, String method, String target, byte[] body, String... headers)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.server().port()), 5_000);
      socket.setSoTimeout(30_000);
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(
          (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      boolean framed = false;
      for (String header : headers) {
        String lower = header.toLowerCase(Locale.ROOT);
        framed |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
        request.writeBytes((header + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      if (!framed && body != null) {
        request.writeBytes(
            ("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      request.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        request.writeBytes(body);
      }
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before reading everything; read what it said.
      }
      return parse(socket.getInputStream());
    }
  }

  private static Response parse(InputStream in) throws IOException {
    byte[] all = readAll(in);
    int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IOException(
          "no complete response head: " + new String(all, StandardCharsets.ISO_8859_1));
    }
    String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim());
    }
    byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    boolean chunked =
        headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
    return new Response(status, headers, chunked ? dechunk(rest) : rest);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // A reset after the response (the server closed with unread request bytes) is fine.
      if (out.size() == 0) {
        throw e;
      }
    }
    return out.toByteArray();
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOf(body, "\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
      String sizeText = new String(body, at, lineEnd - at, StandardCharsets.ISO_8859_1);
      int size = Integer.parseInt(sizeText.split(";")[0].trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(body, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    return indexOf(data, pattern, 0);
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
