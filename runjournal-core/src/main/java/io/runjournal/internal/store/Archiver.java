package io.runjournal.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a run's archive, crash-safe at every step (the caller holds both of the run's locks):
 *
 * <ol>
 *   <li>compress the journal into {@code events.jsonl.gz.tmp} and force it;
 *   <li>decompress that file again and compare length and CRC-32 with the journal's bytes;
 *   <li>rename it to {@code events.jsonl.gz} and force the directory;
 *   <li>delete {@code events.jsonl} and force the directory.
 * </ol>
 *
 * A crash before step 3 leaves the plain journal and at most a stray temporary file (readers never
 * look at it; the next archive overwrites it); between 3 and 4 it leaves both, and readers prefer
 * the plain journal until an archive is made again; after 4 only the archive. The journal is
 * deleted only once a complete, checked archive is durable, so there is always one of the two.
 */
final class Archiver {
  /** The temporary file an archive is written to. */
  static final String TEMP_FILE = "events.jsonl.gz.tmp";

  private static final int BUFFER = 64 * 1024;

  private Archiver() {}

  /**
   * Archives the first {@code length} bytes of {@code source}, the journal at {@code journal}.
   *
   * @return the archive's size in bytes
   */
  static long archive(FileOps ops, FileChannel source, long length, Path journal)
      throws IOException {
    Path dir = journal.getParent();
    Path temp = dir.resolve(TEMP_FILE);
    Path archive = Archives.of(journal);
    CRC32 written = new CRC32();
    try (FileChannel out = ops.openNew(temp)) {
      try (GZIPOutputStream gzip = new GZIPOutputStream(new ChannelOutput(ops, out), BUFFER)) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        long at = 0;
        while (at < length) {
          buffer.clear().limit((int) Math.min(BUFFER, length - at));
          int read = source.read(buffer, at);
          if (read <= 0) {
            throw new IOException(
                journal + " ended at byte " + at + " while " + length + " bytes were archived");
          }
          written.update(buffer.array(), 0, read);
          gzip.write(buffer.array(), 0, read);
          at += read;
        }
      }
      ops.force(out);
    }
    check(temp, length, written.getValue());
    ops.move(temp, archive);
    ops.forceDirectory(dir);
    ops.delete(journal);
    ops.forceDirectory(dir);
    return Files.size(archive);
  }

  /** Reads the written archive back: it must hold exactly the journal's bytes. */
  private static void check(Path temp, long length, long crc) throws IOException {
    CRC32 read = new CRC32();
    long total = 0;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(temp), BUFFER)) {
      byte[] buffer = new byte[BUFFER];
      for (int n; (n = in.read(buffer)) > 0; ) {
        read.update(buffer, 0, n);
        total += n;
      }
    }
    if (total != length || read.getValue() != crc) {
      throw new IOException(
          "the archive written to "
              + temp
              + " does not read back as the journal ("
              + total
              + " bytes, expected "
              + length
              + "); the journal was kept");
    }
  }

  /** Writes through {@link FileOps#write}; closing it leaves the channel open for the force. */
  private static final class ChannelOutput extends OutputStream {
    private final FileOps ops;
    private final FileChannel channel;

    ChannelOutput(FileOps ops, FileChannel channel) {
      this.ops = ops;
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
      while (buffer.hasRemaining()) {
        ops.write(channel, buffer);
      }
    }
  }
}
