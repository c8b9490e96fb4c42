package io.runjournal.internal.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <data>/trash}: where a deleted run's directory is renamed to (so the run disappears at
 * once, whatever happens next) before its files are removed. Whatever is in it is garbage: a crash
 * in the middle of a removal leaves an entry that the next delete removes. Thread-safe; several
 * processes may empty it at once.
 */
final class Trash {
  private static final Logger log = LoggerFactory.getLogger(Trash.class);

  private final Path dir;

  Trash(Path dir) {
    this.dir = dir;
  }

  /** A fresh name for the directory of {@code run}, unique across processes and calls. */
  Path entryFor(String run) {
    return dir.resolve(run + "." + ProcessHandle.current().pid() + "-" + System.nanoTime());
  }

  /** Removes everything in the trash; a failure is logged and left for the next call. */
  void empty() {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        removeTree(entry);
      }
    } catch (NoSuchFileException e) {
      // nothing was ever deleted
    } catch (IOException e) {
      log.warn("could not empty {}: {}", dir, e.toString());
    }
  }

  private static void removeTree(Path root) throws IOException {
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE; // another process is emptying the trash too
            }
            throw e;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path directory, IOException e)
              throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(directory);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
