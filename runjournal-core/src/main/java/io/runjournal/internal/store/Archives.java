package io.runjournal.internal.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.GZIPInputStream;

/**
 * Reading archived journals: {@code runs/<run>/events.jsonl.gz} beside (or instead of) {@code
 * events.jsonl}. A reader opens the plain journal when it exists, else the archive ({@link
 * #openForRead}), and reads either through a {@link FileChannel}.
 *
 * <p>Archives are read in memory: decompressed whole on first use and kept in a JVM-wide LRU of at
 * most {@value #CACHE_BUDGET_BYTES} bytes (an archive never changes, so every journal instance
 * shares it). An archive larger than the budget is decompressed for each read that needs it. A
 * cached archive is known by its path, file key, size and modification time, so a run that is
 * deleted and archived again is never served from the old bytes. Thread-safe.
 */
final class Archives {
  /** The archive's file name, beside the journal. */
  static final String FILE = "events.jsonl.gz";

  /** Decompressed bytes kept in memory across all archives. */
  static final long CACHE_BUDGET_BYTES = 64L << 20;

  private static final int CHUNK = 1 << 20;

  private static final ReentrantLock lock = new ReentrantLock();

  // Guarded by lock.
  private static final LinkedHashMap<Key, Content> cache =
      new LinkedHashMap<>(16, 0.75f, /* accessOrder= */ true);
  private static long cachedBytes;

  private Archives() {}

  /** An archive as it was when looked at. */
  record Key(Path path, Object fileKey, long compressedBytes, long modifiedMillis) {}

  /** The decompressed journal, in chunks (no array of more than 1 MiB). Immutable. */
  static final class Content {
    private final byte[][] chunks;
    private final long length;

    private Content(byte[][] chunks, long length) {
      this.chunks = chunks;
      this.length = length;
    }

    long length() {
      return length;
    }

    /** Copies bytes from {@code at} into {@code dst}; -1 at the end. */
    int read(ByteBuffer dst, long at) {
      if (at >= length) {
        return -1;
      }
      int total = 0;
      while (dst.hasRemaining() && at < length) {
        byte[] chunk = chunks[(int) (at / CHUNK)];
        int offset = (int) (at % CHUNK);
        int count = (int) Math.min(dst.remaining(), Math.min(chunk.length - offset, length - at));
        dst.put(chunk, offset, count);
        at += count;
        total += count;
      }
      return total;
    }
  }

  /** The archive of {@code journal}. */
  static Path of(Path journal) {
    return journal.resolveSibling(FILE);
  }

  /**
   * Opens the journal for reading: the plain file, else its archive. An empty plain journal beside
   * an archive is a stray (an append that raced the archiving created it; the next writer or
   * archive removes it), so the archive is read instead.
   *
   * @throws NoSuchFileException (of the journal) when there is neither
   */
  static FileChannel openForRead(Path journal) throws IOException {
    FileChannel plain;
    try {
      plain = FileChannel.open(journal, StandardOpenOption.READ);
    } catch (NoSuchFileException missing) {
      try {
        return openArchive(of(journal));
      } catch (NoSuchFileException noArchive) {
        throw missing;
      }
    }
    if (plain.size() > 0) {
      return plain;
    }
    try {
      ArchiveChannel archive = openArchive(of(journal));
      plain.close();
      return archive;
    } catch (NoSuchFileException noArchive) {
      return plain;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** Opens an archive; its bytes are decompressed (or taken from the cache) when first read. */
  static ArchiveChannel openArchive(Path archive) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(archive, BasicFileAttributes.class);
    return new ArchiveChannel(
        new Key(
            archive.toAbsolutePath().normalize(),
            attributes.fileKey(),
            attributes.size(),
            attributes.lastModifiedTime().toMillis()));
  }

  /**
   * The identity of the file that holds the run's events now (the one {@link #openForRead} would
   * open): its file key, or null when there is none. A reader compares it with the file it opened
   * to notice that another process archived, deleted or replaced the run.
   */
  static Object currentKey(Path journal) throws IOException {
    BasicFileAttributes plain = attributes(journal);
    if (plain != null && plain.size() > 0) {
      return plain.fileKey();
    }
    BasicFileAttributes archive = attributes(of(journal));
    if (archive != null) {
      return archive.fileKey();
    }
    return plain == null ? null : plain.fileKey();
  }

  /** The file key of {@code file}, or null if it does not exist. */
  static Object fileKey(Path file) throws IOException {
    BasicFileAttributes attributes = attributes(file);
    return attributes == null ? null : attributes.fileKey();
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** The identity of the file {@code channel} reads: what {@link #currentKey} said on opening. */
  static Object keyOf(FileChannel channel, Path journal) throws IOException {
    return channel instanceof ArchiveChannel archive ? archive.fileKey() : fileKey(journal);
  }

  /** Whether the run is archived: it has an archive, and no plain journal (or an empty stray). */
  static boolean isArchived(Path journal) throws IOException {
    BasicFileAttributes plain = attributes(journal);
    return (plain == null || plain.size() == 0) && Files.exists(of(journal));
  }

  /**
   * The size of the journal as {@link #openForRead} would read it: of the plain file, else the size
   * the archive holds (exact once it was decompressed, else from the gzip trailer: exact below 4
   * GiB), else 0.
   */
  static long size(Path journal) throws IOException {
    BasicFileAttributes plain = attributes(journal);
    if (plain != null && plain.size() > 0) {
      return plain.size();
    }
    Path archive = of(journal);
    try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ)) {
      Key key = openArchive(archive).key();
      lock.lock();
      try {
        Content cached = cache.get(key);
        if (cached != null) {
          return cached.length();
        }
      } finally {
        lock.unlock();
      }
      ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      long at = channel.size() - 4;
      if (at < 0) {
        return 0;
      }
      while (trailer.hasRemaining() && channel.read(trailer, at + trailer.position()) > 0) {
        // the last 4 bytes: ISIZE, the uncompressed size modulo 2^32
      }
      return trailer.hasRemaining() ? 0 : Integer.toUnsignedLong(trailer.getInt(0));
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** The decompressed bytes of an archive, from the cache or decompressed now. */
  static Content content(Key key) throws IOException {
    lock.lock();
    try {
      Content cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    } finally {
      lock.unlock();
    }
    Content content = decompress(key.path());
    if (content.length() <= CACHE_BUDGET_BYTES) {
      lock.lock();
      try {
        if (cache.putIfAbsent(key, content) == null) {
          cachedBytes += content.length();
          Iterator<Content> eldest = cache.values().iterator();
          while (cachedBytes > CACHE_BUDGET_BYTES && eldest.hasNext()) {
            cachedBytes -= eldest.next().length();
            eldest.remove();
          }
        }
      } finally {
        lock.unlock();
      }
    }
    return content;
  }

  /** Forgets the cached bytes of every archive at {@code archive} (it was deleted). */
  static void forget(Path archive) {
    Path path = archive.toAbsolutePath().normalize();
    lock.lock();
    try {
      Iterator<Map.Entry<Key, Content>> entries = cache.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<Key, Content> entry = entries.next();
        if (entry.getKey().path().equals(path)) {
          cachedBytes -= entry.getValue().length();
          entries.remove();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private static Content decompress(Path archive) throws IOException {
    List<byte[]> chunks = new ArrayList<>();
    long length = 0;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 64 * 1024)) {
      while (true) {
        byte[] chunk = new byte[CHUNK];
        int filled = in.readNBytes(chunk, 0, CHUNK);
        if (filled < CHUNK) {
          if (filled > 0) {
            chunks.add(java.util.Arrays.copyOf(chunk, filled));
            length += filled;
          }
          break;
        }
        chunks.add(chunk);
        length += CHUNK;
      }
    }
    return new Content(chunks.toArray(new byte[0][]), length);
  }
}
