package io.runjournal.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads a range of a journal file line by line; only lines ending in {@code \n} are complete. */
final class LineScanner {
  private static final int CHUNK = 64 * 1024;

  /** Receives one complete line, without its newline. */
  interface LineHandler {
    /** Returns false to stop the scan after this line. */
    boolean line(byte[] buffer, int offset, int length, long fileOffset, long lineNo)
        throws IOException;
  }

  /** Where a scan stopped. */
  record Position(long offset, long lineNo) {}

  private LineScanner() {}

  /**
   * Delivers the complete lines in {@code [start, end)} of {@code channel}.
   *
   * @param firstLineNo the 1-based number of the line at {@code start}
   * @return the offset and number of the first line not delivered (a partial tail is not delivered)
   */
  static Position scan(
      FileChannel channel, long start, long end, long firstLineNo, LineHandler handler)
      throws IOException {
    byte[] buffer = new byte[(int) Math.min(CHUNK, Math.max(end - start, 1))];
    int filled = 0;
    long readAt = start;
    long lineOffset = start;
    long lineNo = firstLineNo;
    while (readAt < end) {
      if (filled == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, CHUNK));
      }
      ByteBuffer target =
          ByteBuffer.wrap(buffer, filled, (int) Math.min(buffer.length - filled, end - readAt));
      int read = channel.read(target, readAt);
      if (read <= 0) {
        break;
      }
      readAt += read;
      int scanFrom = filled;
      filled += read;
      int lineStart = 0;
      for (int i = scanFrom; i < filled; i++) {
        if (buffer[i] == '\n') {
          boolean more = handler.line(buffer, lineStart, i - lineStart, lineOffset, lineNo);
          lineOffset += i - lineStart + 1;
          lineNo++;
          lineStart = i + 1;
          if (!more) {
            return new Position(lineOffset, lineNo);
          }
        }
      }
      System.arraycopy(buffer, lineStart, buffer, 0, filled - lineStart);
      filled -= lineStart;
    }
    return new Position(lineOffset, lineNo);
  }
}
