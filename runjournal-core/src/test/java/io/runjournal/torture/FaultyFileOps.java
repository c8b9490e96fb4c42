package io.runjournal.torture;

import io.runjournal.internal.store.FileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * File operations that break on demand: writes to a journal fail (optionally after a short write of
 * some bytes, as a filling disk does), syncs fail, or the next journal write stalls until released.
 * Only channels opened for {@code events.jsonl} are affected; the torn-tail file and directories
 * work normally. Thread-safe.
 */
final class FaultyFileOps implements FileOps {
  private final Set<FileChannel> journalChannels = ConcurrentHashMap.newKeySet();
  private final AtomicReference<String> writeFailure = new AtomicReference<>();
  private final AtomicLong bytesBeforeFailure = new AtomicLong();
  private final AtomicReference<String> forceFailure = new AtomicReference<>();
  private final AtomicReference<CountDownLatch[]> stall = new AtomicReference<>();

  /**
   * From now on, journal writes accept {@code bytesFirst} more bytes (as short writes) and then
   * fail with an {@link IOException} carrying {@code message}, until {@link #heal()}.
   */
  void failWrites(String message, long bytesFirst) {
    bytesBeforeFailure.set(bytesFirst);
    writeFailure.set(message);
  }

  /** From now on, syncs fail with an {@link IOException} carrying {@code message}. */
  void failForce(String message) {
    forceFailure.set(message);
  }

  /** Ends every failure. */
  void heal() {
    writeFailure.set(null);
    forceFailure.set(null);
  }

  /**
   * The next journal write counts down {@code entered}, then waits for {@code release} before it
   * writes: the appender is stalled inside its locked section.
   */
  void stallNextWrite(CountDownLatch entered, CountDownLatch release) {
    stall.set(new CountDownLatch[] {entered, release});
  }

  @Override
  public FileChannel openAppend(Path path) throws IOException {
    FileChannel channel = FileOps.super.openAppend(path);
    if (path.getFileName().toString().equals("events.jsonl")) {
      journalChannels.add(channel);
    }
    return channel;
  }

  @Override
  public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
    if (!journalChannels.contains(channel)) {
      return channel.write(buffer);
    }
    CountDownLatch[] stalled = stall.getAndSet(null);
    if (stalled != null) {
      stalled[0].countDown();
      try {
        stalled[1].await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("stalled write interrupted");
      }
    }
    String failure = writeFailure.get();
    if (failure == null) {
      return channel.write(buffer);
    }
    long allowed = bytesBeforeFailure.get();
    if (allowed <= 0 || !buffer.hasRemaining()) {
      throw new IOException(failure);
    }
    ByteBuffer part = buffer.slice();
    part.limit((int) Math.min(allowed, part.remaining()));
    int written = channel.write(part);
    buffer.position(buffer.position() + written);
    bytesBeforeFailure.addAndGet(-written);
    return written;
  }

  @Override
  public void force(FileChannel channel) throws IOException {
    String failure = forceFailure.get();
    if (failure != null) {
      throw new IOException(failure);
    }
    FileOps.super.force(channel);
  }
}
