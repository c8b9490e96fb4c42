package io.runjournal.logging;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a file sink writes: where, when it rotates, when it syncs, what clock it reads. Immutable;
 * start from {@link #at(Path)} and change fields with the {@code with…} methods, which validate.
 *
 * @param path the live file; rotated files are {@code path.1} (newest) to {@code path.N}
 * @param maxBytes the most bytes the live file may hold: when the next line would pass it, the file
 *     rotates first (a single longer line gets a file of its own)
 * @param keep how many rotated files to keep (N); older ones are deleted
 * @param fsync when to force writes to stable storage
 * @param fsyncInterval the interval of {@link FileFsync#PERIODIC}
 * @param queueCapacity how many records may wait for the writer thread before new ones are dropped
 *     (with a warning) rather than block the caller
 * @param clock the clock that times periodic syncs
 * @param warnings where dropped records are reported
 */
public record FileSinkOptions(
    Path path,
    long maxBytes,
    int keep,
    FileFsync fsync,
    Duration fsyncInterval,
    int queueCapacity,
    Clock clock,
    SinkWarnings warnings) {

  /** 50 MiB. */
  public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

  /** Five rotated files. */
  public static final int DEFAULT_KEEP = 5;

  /** Five seconds. */
  public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(5);

  /** 65,536 records. */
  public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

  /**
   * Validates every field, naming the bad value.
   *
   * @throws IllegalArgumentException for a non-positive size, count or interval
   * @throws NullPointerException for a null path, mode, interval, clock or warnings
   */
  public FileSinkOptions {
    Objects.requireNonNull(path, "path");
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
    }
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1, got " + keep);
    }
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(fsyncInterval, "fsyncInterval");
    if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
      throw new IllegalArgumentException("fsyncInterval must be positive, got " + fsyncInterval);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(warnings, "warnings");
  }

  /** The defaults for a file at {@code path}: 50 MiB, keep 5, periodic fsync every 5 s. */
  public static FileSinkOptions at(Path path) {
    return new FileSinkOptions(
        path,
        DEFAULT_MAX_BYTES,
        DEFAULT_KEEP,
        FileFsync.PERIODIC,
        DEFAULT_FSYNC_INTERVAL,
        DEFAULT_QUEUE_CAPACITY,
        Clock.systemUTC(),
        SinkWarnings.SLF4J);
  }

  /** A copy that rotates when the next line would pass {@code bytes}. */
  public FileSinkOptions withMaxBytes(long bytes) {
    return new FileSinkOptions(
        path, bytes, keep, fsync, fsyncInterval, queueCapacity, clock, warnings);
  }

  /** A copy that keeps {@code files} rotated files. */
  public FileSinkOptions withKeep(int files) {
    return new FileSinkOptions(
        path, maxBytes, files, fsync, fsyncInterval, queueCapacity, clock, warnings);
  }

  /** A copy with this fsync mode. */
  public FileSinkOptions withFsync(FileFsync mode) {
    return new FileSinkOptions(
        path, maxBytes, keep, mode, fsyncInterval, queueCapacity, clock, warnings);
  }

  /** A copy with this periodic fsync interval. */
  public FileSinkOptions withFsyncInterval(Duration interval) {
    return new FileSinkOptions(
        path, maxBytes, keep, fsync, interval, queueCapacity, clock, warnings);
  }

  /** A copy whose writer queue holds this many records. */
  public FileSinkOptions withQueueCapacity(int records) {
    return new FileSinkOptions(
        path, maxBytes, keep, fsync, fsyncInterval, records, clock, warnings);
  }

  /** A copy that reads time from {@code source}. */
  public FileSinkOptions withClock(Clock source) {
    return new FileSinkOptions(
        path, maxBytes, keep, fsync, fsyncInterval, queueCapacity, source, warnings);
  }

  /** A copy that reports to {@code handler}. */
  public FileSinkOptions withWarnings(SinkWarnings handler) {
    return new FileSinkOptions(
        path, maxBytes, keep, fsync, fsyncInterval, queueCapacity, clock, handler);
  }
}
