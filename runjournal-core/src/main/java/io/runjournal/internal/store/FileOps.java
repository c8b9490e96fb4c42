package io.runjournal.internal.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The file operations on the append path and of archiving and deleting runs, behind an interface so
 * that tests can inject failures (a full disk, a failing sync, a crash between two steps). The
 * default implementation is plain NIO.
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

  /** Opens {@code path} for writing from its start, creating it if missing, emptying it if not. */
  default FileChannel openNew(Path path) throws IOException {
    return FileChannel.open(
        path,
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Renames {@code source} to {@code target} atomically, replacing a file {@code target}. */
  default void move(Path source, Path target) throws IOException {
    Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes a file or an empty directory; a missing one is not an error. */
  default void delete(Path path) throws IOException {
    Files.deleteIfExists(path);
  }

  /** Makes the entries of {@code dir} (names created, renamed, deleted) durable. */
  default void forceDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(/* metaData= */ true);
    }
  }
}
