package io.runjournal.internal.logging;

import io.runjournal.internal.store.FileOps;
import io.runjournal.logging.FileFsync;
import io.runjournal.logging.FileSinkOptions;
import io.runjournal.logging.LogRecord;
import io.runjournal.logging.LogSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes records to a file as NDJSON, one {@link RecordCodec#toLine line} per record, in the
 * calling thread (wrap it in an {@link AsyncSink} to keep I/O off the caller).
 *
 * <p><b>Invariant:</b> every line in the file is a whole record. A write that fails part-way is cut
 * off when the file is next opened ({@code repairTo}); a torn last line left by a crash is cut off
 * (with a warning) when the sink opens the file.
 *
 * <p><b>States:</b> the channel is open, or null (not opened yet, or closed after a failure: the
 * next emit opens it again), or the sink is closed for good. The file is opened lazily; missing
 * directories are not created, so a wrong path drops records with a warning until it exists.
 *
 * <p><b>Rotation:</b> when the next line would take the file past {@code maxBytes}, the file moves
 * to {@code path.1} (older ones shift up to {@code path.N}; {@code path.N} is deleted first, so
 * {@code path.(N+1)} never exists) and a fresh file starts.
 *
 * <p><b>Failures</b> drop the record, close the channel and warn once per streak of failures; the
 * first success after a streak warns how many records it dropped. Nothing throws into the caller.
 *
 * <p>Thread-safe: one {@link ReentrantLock} guards the channel and all state below it.
 */
public final class FileSink implements LogSink, Ticking {
  private final FileSinkOptions options;
  private final FileOps ops;
  private final Path path;
  private final boolean periodic;
  private final ReentrantLock lock = new ReentrantLock();
  private final AtomicLong dropped = new AtomicLong();

  // Guarded by lock.
  private final WarningStreak streak;
  private FileChannel channel;
  private long size;
  private long repairTo = -1;
  private Instant lastSync;
  private boolean unsynced;
  private boolean closed;

  /**
   * A sink writing to {@code options.path()} through {@code ops}. Opens nothing yet.
   *
   * @throws NullPointerException if an argument is null
   */
  public FileSink(FileSinkOptions options, FileOps ops) {
    this.options = Objects.requireNonNull(options, "options");
    this.ops = Objects.requireNonNull(ops, "ops");
    this.path = options.path();
    this.streak = new WarningStreak(options.warnings(), "log file " + path);
    this.periodic = options.fsync() == FileFsync.PERIODIC;
  }

  /**
   * Appends the record as one line, rotating first if the line would not fit; syncs if the periodic
   * interval has passed. A failure drops the record with a warning; never throws. After {@link
   * #close()}, records are dropped silently (and counted).
   */
  @Override
  public void emit(LogRecord record) {
    lock.lock();
    try {
      if (closed) {
        dropped.incrementAndGet();
        return;
      }
      append(record);
    } finally {
      lock.unlock();
    }
  }

  private void append(LogRecord record) {
    String step = "encode a record for";
    try {
      byte[] line = RecordCodec.toLine(record);
      step = "open";
      open();
      if (size > 0 && size + line.length > options.maxBytes()) {
        step = "rotate";
        rotate();
      }
      step = "write to";
      write(line);
      step = "sync";
      syncIfDue();
    } catch (IOException | RuntimeException e) {
      fail(1, "could not " + step + " log file " + path + "; dropped the record", e);
      return;
    }
    streak.succeeded();
  }

  /** Opens the file if it is not open, cutting off a failed write or a torn last line. */
  private void open() throws IOException {
    if (channel != null) {
      return;
    }
    FileChannel opened = ops.openAppend(path);
    try {
      long length = opened.size();
      if (repairTo >= 0 && length > repairTo) {
        opened.truncate(repairTo); // the part of a line whose write failed
        length = repairTo;
      }
      repairTo = -1;
      long whole = LineEnds.endOfLastLine(path, length);
      if (whole < length) {
        opened.truncate(whole);
        warn(
            "log file "
                + path
                + " ended in a torn line; cut off its "
                + (length - whole)
                + " bytes",
            null);
        length = whole;
      }
      size = length;
    } catch (IOException | RuntimeException e) {
      closeQuietly(opened);
      throw e;
    }
    channel = opened;
    lastSync = options.clock().instant();
    unsynced = false;
  }

  private void rotate() throws IOException {
    if (periodic && unsynced) {
      force();
    }
    FileChannel old = channel;
    channel = null;
    old.close();
    ops.delete(rotated(options.keep()));
    for (int i = options.keep() - 1; i >= 1; i--) {
      moveIfPresent(rotated(i), rotated(i + 1));
    }
    moveIfPresent(path, rotated(1));
    if (periodic) {
      ops.forceDirectory(path.toAbsolutePath().getParent());
    }
    open();
  }

  private void moveIfPresent(Path source, Path target) throws IOException {
    try {
      ops.move(source, target);
    } catch (NoSuchFileException e) {
      // Fewer rotated files than keep so far, or the live file was removed from under us.
    }
  }

  private Path rotated(int generation) {
    return path.resolveSibling(path.getFileName() + "." + generation);
  }

  private void write(byte[] line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line);
    boolean whole = false;
    try {
      while (buffer.hasRemaining()) {
        ops.write(channel, buffer);
      }
      whole = true;
    } finally {
      if (!whole) {
        repairTo = size; // the reopen cuts off whatever part of the line reached the file
      }
    }
    size += line.length;
    unsynced = true;
  }

  private void syncIfDue() throws IOException {
    if (periodic && unsynced && syncDue()) {
      force();
    }
  }

  private boolean syncDue() {
    Duration sinceSync = Duration.between(lastSync, options.clock().instant());
    return sinceSync.compareTo(options.fsyncInterval()) >= 0;
  }

  private void force() throws IOException {
    ops.force(channel);
    lastSync = options.clock().instant();
    unsynced = false;
  }

  /**
   * With periodic fsync: forces the lines written since the last sync if the interval has passed
   * since then. A failure warns (once per streak) and closes the file; the next emit reopens it.
   * Never throws.
   */
  @Override
  public void tick() {
    lock.lock();
    try {
      if (closed || channel == null || !periodic || !unsynced || !syncDue()) {
        return;
      }
      force();
    } catch (IOException | RuntimeException e) {
      fail(0, "could not sync log file " + path + "; its last records may be lost", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Forces unsynced lines (periodic fsync only) and closes the file. Idempotent; later records are
   * dropped silently. Never throws: a failure is a warning.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (channel == null) {
        return;
      }
      try {
        if (periodic && unsynced) {
          force();
        }
      } catch (IOException | RuntimeException e) {
        warn("could not sync log file " + path + " at close; its last records may be lost", e);
      }
      try {
        channel.close();
      } catch (IOException e) {
        warn("could not close log file " + path, e);
      }
      channel = null;
    } finally {
      lock.unlock();
    }
  }

  /** How many records were not written (or not synced) since this sink was made. Thread-safe. */
  public long dropped() {
    return dropped.get();
  }

  private void fail(long records, String message, Exception error) {
    dropped.addAndGet(records);
    if (channel != null) {
      closeQuietly(channel);
      channel = null;
    }
    streak.failed(records, message, error);
  }

  private static void closeQuietly(FileChannel toClose) {
    try {
      toClose.close();
    } catch (IOException ignored) {
      // Already failing: the first error is the one reported.
    }
  }

  private void warn(String message, Throwable error) {
    QuietWarnings.warn(options.warnings(), message, error);
  }
}
