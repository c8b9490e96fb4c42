package io.runjournal.server.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.IntConsumer;

/**
 * Where {@code export} writes: standard output, or a file that appears whole or not at all (written
 * to a temporary file beside it and renamed over it once complete). Counts the bytes and newlines
 * written, for the progress bar. Not thread-safe.
 */
final class ExportTarget extends OutputStream {
  private final OutputStream out;
  private final Path file;
  private final Path partial;
  private final IntConsumer onNewline;
  private long bytes;
  private boolean committed;

  private ExportTarget(OutputStream out, Path file, Path partial, IntConsumer onNewline) {
    this.out = out;
    this.file = file;
    this.partial = partial;
    this.onNewline = onNewline;
  }

  /** Writes to {@code file}, or to {@code stdout} when it is null; newlines are counted. */
  static ExportTarget open(Path file, PrintWriter stdout, IntConsumer onNewline)
      throws IOException {
    if (file == null) {
      return new ExportTarget(new WriterStream(stdout), null, null, onNewline);
    }
    // Not Files.createTempFile: its files are private (0600); an export gets the usual mode.
    Path partial =
        file.toAbsolutePath()
            .resolveSibling(
                "." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".part");
    OutputStream stream =
        Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    return new ExportTarget(new BufferedOutputStream(stream, 64 * 1024), file, partial, onNewline);
  }

  /** How many bytes were written. */
  long bytes() {
    return bytes;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    bytes++;
    if (b == '\n') {
      onNewline.accept(1);
    }
  }

  @Override
  public void write(byte[] buffer, int offset, int length) throws IOException {
    out.write(buffer, offset, length);
    bytes += length;
    int newlines = 0;
    for (int i = offset; i < offset + length; i++) {
      if (buffer[i] == '\n') {
        newlines++;
      }
    }
    if (newlines > 0) {
      onNewline.accept(newlines);
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /** The export is complete: the file takes its place. */
  void commit() throws IOException {
    out.close();
    if (partial != null) {
      Files.move(
          partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
  }

  /** Without {@link #commit}: the partial file goes, an existing file stays as it was. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        out.close();
      } finally {
        if (partial != null) {
          Files.deleteIfExists(partial);
        }
      }
    }
  }

  /**
   * Bytes decoded as UTF-8 onto a writer (standard output is a writer here, so that tests capture
   * it); an export is UTF-8, so nothing is lost. Closing flushes but leaves the writer open.
   */
  private static final class WriterStream extends OutputStream {
    private final Writer writer;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(16 * 1024);
    private final CharBuffer chars = CharBuffer.allocate(16 * 1024);

    WriterStream(Writer writer) {
      this.writer = writer;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      while (length > 0) {
        int chunk = Math.min(length, pending.remaining());
        pending.put(buffer, offset, chunk);
        offset += chunk;
        length -= chunk;
        decode(false);
      }
    }

    private void decode(boolean end) throws IOException {
      pending.flip();
      CoderResult result;
      do {
        result = decoder.decode(pending, chars, end);
        writer.write(chars.array(), 0, chars.position());
        chars.clear();
      } while (result.isOverflow());
      if (end) {
        decoder.flush(chars);
        writer.write(chars.array(), 0, chars.position());
        chars.clear();
        decoder.reset();
      }
      pending.compact(); // at most an incomplete character stays for the next write
    }

    @Override
    public void flush() throws IOException {
      writer.flush();
    }

    @Override
    public void close() throws IOException {
      decode(true);
      writer.flush();
    }
  }
}
