package io.runjournal.internal.logging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Finds where the last whole line of a file ends, reading backwards from its end. */
final class LineEnds {
  private static final int BLOCK = 8192;

  private LineEnds() {}

  /**
   * The offset just after the last {@code \n} among the first {@code size} bytes of the file, or 0
   * if there is none; {@code size} itself when the file ends with a whole line.
   */
  static long endOfLastLine(Path path, long size) throws IOException {
    if (size == 0) {
      return 0;
    }
    try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer block = ByteBuffer.allocate((int) Math.min(BLOCK, size));
      long end = size;
      while (end > 0) {
        long start = Math.max(0, end - block.capacity());
        block.clear().limit((int) (end - start));
        readFully(reader, block, start);
        for (int i = block.limit() - 1; i >= 0; i--) {
          if (block.get(i) == '\n') {
            return start + i + 1;
          }
        }
        end = start;
      }
      return 0;
    }
  }

  private static void readFully(FileChannel reader, ByteBuffer block, long position)
      throws IOException {
    while (block.hasRemaining()) {
      if (reader.read(block, position + block.position()) < 0) {
        throw new IOException("the file shrank while its tail was read");
      }
    }
  }
}
