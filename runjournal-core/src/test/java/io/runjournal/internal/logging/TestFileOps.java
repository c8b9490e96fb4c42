package io.runjournal.internal.logging;

import io.runjournal.internal.store.FileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plain NIO that counts syncs and breaks on demand: the next write stops part-way with an error, or
 * every write fails until healed (a full disk), or moves fail. Thread-safe.
 */
final class TestFileOps implements FileOps {
  final AtomicInteger forces = new AtomicInteger();
  final AtomicInteger directoryForces = new AtomicInteger();
  private final AtomicReference<IOException> writeFailure = new AtomicReference<>();
  private final AtomicReference<PartWrite> partWrite = new AtomicReference<>();
  private final AtomicReference<IOException> moveFailure = new AtomicReference<>();

  private record PartWrite(int bytesFirst, IOException error) {}

  /** The next line's write stores {@code bytesFirst} bytes, then throws {@code error}, once. */
  void failNextWriteAfter(int bytesFirst, IOException error) {
    partWrite.set(new PartWrite(bytesFirst, error));
  }

  /** Every write throws {@code error} until {@link #heal()}. */
  void failAllWrites(IOException error) {
    writeFailure.set(error);
  }

  /** Every move throws {@code error} until {@link #heal()}. */
  void failMoves(IOException error) {
    moveFailure.set(error);
  }

  void heal() {
    writeFailure.set(null);
    moveFailure.set(null);
  }

  @Override
  public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
    IOException failure = writeFailure.get();
    if (failure != null) {
      throw failure;
    }
    PartWrite part = partWrite.getAndSet(null);
    if (part != null) {
      if (part.bytesFirst() == 0) {
        throw part.error();
      }
      ByteBuffer first = buffer.slice().limit(Math.min(part.bytesFirst(), buffer.remaining()));
      int written = channel.write(first);
      buffer.position(buffer.position() + written);
      partWrite.set(new PartWrite(0, part.error()));
      return written;
    }
    return channel.write(buffer);
  }

  @Override
  public void force(FileChannel channel) throws IOException {
    forces.incrementAndGet();
    FileOps.super.force(channel);
  }

  @Override
  public void forceDirectory(Path dir) throws IOException {
    directoryForces.incrementAndGet();
    FileOps.super.forceDirectory(dir);
  }

  @Override
  public void move(Path source, Path target) throws IOException {
    IOException failure = moveFailure.get();
    if (failure != null) {
      throw failure;
    }
    FileOps.super.move(source, target);
  }
}
