package io.runjournal;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** Test helper: take a run's append lock (byte 0 of events.jsonl.lock) as another writer would. */
final class LockFiles {
  private LockFiles() {}

  /**
   * Takes the append lock exclusively through {@code channel}, waiting until the journal of this
   * JVM has let go of it (it keeps it for about a millisecond after its last append while alone).
   */
  static FileLock takeAppendLock(FileChannel channel) {
    AtomicReference<FileLock> held = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              try {
                held.set(channel.tryLock(0, 1, /* shared= */ false));
              } catch (OverlappingFileLockException e) {
                return false;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
              return held.get() != null;
            });
    return held.get();
  }
}
