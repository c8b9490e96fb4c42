package io.runjournal.bench;

import io.runjournal.internal.store.FileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plain NIO file operations that count the journal's {@code write} and {@code force} calls, so a
 * benchmark can report the group-commit batch size (events per {@code fdatasync}) it actually got;
 * each force is also counted for the forcing thread's {@link FsyncCounter}. Thread-safe.
 */
final class CountingFileOps implements FileOps {
  private final LongAdder writes = new LongAdder();
  private final LongAdder forces = new LongAdder();

  @Override
  public int write(FileChannel channel, ByteBuffer buffer) throws IOException {
    writes.increment();
    return FileOps.super.write(channel, buffer);
  }

  @Override
  public void force(FileChannel channel) throws IOException {
    FileOps.super.force(channel);
    forces.increment();
    FsyncCounter.forced();
  }

  long writes() {
    return writes.sum();
  }

  long forces() {
    return forces.sum();
  }

  void reset() {
    writes.reset();
    forces.reset();
  }
}
