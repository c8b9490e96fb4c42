package io.runjournal.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file operations on the append path, behind an interface so that tests can inject failures (a
 * full disk, a failing sync). The default implementation is plain NIO.
 */
public interface FileOps {
  /** Plain NIO. */
  FileOps DEFAULT = new FileOps() {};

  /** Opens {@code path} for appending, creating it if missing. */
  default FileChannel openAppend(Path path) throws IOException {
    return FileChannel.open(
        path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Writes some of {@code buffer}; returns how many bytes. */
  default int write(FileChannel channel, ByteBuffer buffer) throws IOException {
    return channel.write(buffer);
  }

  /** Forces written data to stable storage ({@code fdatasync}). */
  default void force(FileChannel channel) throws IOException {
    channel.force(/* metaData= */ false);
  }

  /** Creates a directory and its parents. */
  default void createDirectories(Path dir) throws IOException {
    Files.createDirectories(dir);
  }
}
