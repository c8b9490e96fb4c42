package io.runjournal.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An incremental parser of a {@code text/event-stream}, as the HTML standard's "interpreting an
 * event stream" describes it. Bytes are fed in chunks of any size (a chunk may end inside a line,
 * inside a UTF-8 sequence, or between the CR and LF of a line end).
 *
 * <ul>
 *   <li>Lines end in {@code \r\n}, {@code \n} or {@code \r}; a leading UTF-8 BOM is skipped.
 *   <li>{@code field: value} with at most one space removed after the colon; a line without a colon
 *       is a field with an empty value; a line starting with a colon is a comment (a heartbeat).
 *   <li>{@code data} lines accumulate, joined with {@code \n}; {@code event} names the frame;
 *       {@code id} sets the last event id unless it contains NUL; {@code retry} with only ASCII
 *       digits sets the reconnection time; other fields are ignored.
 *   <li>A blank line dispatches the frame if it has data, and resets data and event name.
 *   <li>At the end of the stream an undispatched frame is dropped.
 * </ul>
 *
 * <p>Not thread-safe: one parser per stream, fed by one thread.
 */
public final class SseParser {
  /** Receives what the parser finds, on the feeding thread. */
  public interface Handler {
    /** A complete frame. */
    void onFrame(SseFrame frame);

    /** A {@code retry:} field: the server's reconnection time. */
    void onRetry(long millis);
  }

  /** Longer lines are refused: a server that streams without line ends is broken. */
  static final int MAX_LINE_BYTES = 64 << 20;

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final Handler handler;
  private byte[] line = new byte[1024];
  private int lineLength;
  private boolean afterCr;
  private boolean atStart = true;
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventName = "";
  private String lastEventId = "";

  /** A parser reporting to {@code handler}. */
  public SseParser(Handler handler) {
    this.handler = handler;
  }

  /**
   * Parses {@code length} bytes of {@code bytes} from {@code offset}, dispatching every frame they
   * complete.
   *
   * @throws IllegalStateException if a line grows beyond {@value #MAX_LINE_BYTES} bytes
   */
  public void feed(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (b == LF && afterCr) {
        afterCr = false; // the LF of a CRLF: the line already ended at the CR
        continue;
      }
      afterCr = b == CR;
      if (b == CR || b == LF) {
        endLine();
      } else {
        append(b);
      }
    }
  }

  /** The last {@code id:} seen, or empty. */
  public String lastEventId() {
    return lastEventId;
  }

  private void append(byte b) {
    if (lineLength == line.length) {
      if (line.length >= MAX_LINE_BYTES) {
        throw new IllegalStateException("SSE line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE_BYTES));
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    int start = 0;
    if (atStart) {
      atStart = false;
      if (lineLength >= 3
          && line[0] == (byte) 0xEF
          && line[1] == (byte) 0xBB
          && line[2] == (byte) 0xBF) {
        start = 3;
      }
    }
    int length = lineLength - start;
    lineLength = 0;
    if (length == 0) {
      dispatch();
    } else if (line[start] != ':') {
      field(new String(line, start, length, StandardCharsets.UTF_8));
    }
  }

  private void field(String text) {
    int colon = text.indexOf(':');
    String name = colon < 0 ? text : text.substring(0, colon);
    String value = "";
    if (colon >= 0) {
      int from = colon + 1 < text.length() && text.charAt(colon + 1) == ' ' ? colon + 2 : colon + 1;
      value = text.substring(from);
    }
    switch (name) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> eventName = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.length() <= 18 && value.chars().allMatch(SseParser::digit)) {
          handler.onRetry(Long.parseLong(value));
        }
      }
      default -> {} // unknown fields are ignored
    }
  }

  private static boolean digit(int c) {
    return c >= '0' && c <= '9';
  }

  private void dispatch() {
    if (!hasData) {
      eventName = "";
      return;
    }
    SseFrame frame =
        new SseFrame(eventName.isEmpty() ? "message" : eventName, data.toString(), lastEventId);
    data.setLength(0);
    hasData = false;
    eventName = "";
    handler.onFrame(frame);
  }
}
