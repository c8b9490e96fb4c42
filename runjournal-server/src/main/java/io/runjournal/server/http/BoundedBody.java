package io.runjournal.server.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that may not pass {@code max} bytes: reading past the limit is a 413 problem, so
 * an oversized upload is refused without being buffered, whatever its {@code Content-Length} says.
 */
final class BoundedBody extends FilterInputStream {
  private final long max;
  private long read;

  BoundedBody(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  private void count(long n) {
    read += n;
    if (read > max) {
      throw tooLarge(max);
    }
  }

  static Problem tooLarge(long max) {
    return Problem.of(
            413,
            "payload-too-large",
            "Payload too large",
            "the request body is larger than the limit of " + max + " bytes")
        .with("max", max);
  }
}
