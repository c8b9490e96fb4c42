package io.runjournal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Temporary directories for benchmark data, under {@code -Drunjournal.bench.dir} (default {@code
 * java.io.tmpdir}), so that every benchmark and its baseline write to the same disk.
 */
final class TempDirs {
  private TempDirs() {}

  /** Creates a fresh directory named after {@code prefix}. */
  static Path create(String prefix) {
    Path parent =
        Path.of(System.getProperty("runjournal.bench.dir", System.getProperty("java.io.tmpdir")));
    try {
      Files.createDirectories(parent);
      return Files.createTempDirectory(parent, "runjournal-bench-" + prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a benchmark directory under " + parent, e);
    }
  }

  /** Deletes {@code dir} and everything in it; a missing directory is fine. */
  static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException failure)
                throws IOException {
              if (failure != null) {
                throw failure;
              }
              Files.deleteIfExists(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (NoSuchFileException e) {
      // Already gone.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete benchmark directory " + dir, e);
    }
  }
}
