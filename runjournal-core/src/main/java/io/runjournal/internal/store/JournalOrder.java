package io.runjournal.internal.store;

import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.model.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a whole journal in its line order, every branch at once, for exports: as events (tolerant,
 * as {@link RunReader} reads one branch) or as the stored bytes. Each call opens the file afresh
 * and reads up to an end the caller took from the run's state, so it never sees a partial line.
 */
final class JournalOrder {
  private JournalOrder() {}

  /**
   * Gives {@code action} the valid events of {@code [0, end)}, at most {@code maxEvents}; skips
   * (and reports) malformed lines and lines whose seq is not above their branch's head.
   *
   * @return how many events {@code action} was given
   */
  static long forEach(
      Path journal,
      String run,
      long end,
      long maxEvents,
      Consumer<? super Event> action,
      RunReader.MalformedSink malformed) {
    if (end == 0 || maxEvents <= 0) {
      return 0;
    }
    Map<String, Long> heads = new HashMap<>();
    long[] delivered = {0};
    try (FileChannel channel = Archives.openForRead(journal)) {
      LineScanner.scan(
          channel,
          0,
          end,
          1,
          (buffer, offset, length, fileOffset, lineNo) -> {
            Event event;
            try {
              event = EventCodec.parseLine(buffer, offset, length, run);
            } catch (MalformedLineException e) {
              malformed.report(journal, lineNo, e.getMessage());
              return true;
            }
            long head = heads.getOrDefault(event.branch(), 0L);
            if (event.seq() <= head) {
              malformed.report(
                  journal, lineNo, RunState.outOfSequence(event.seq(), head + 1, event.branch()));
              return true;
            }
            heads.put(event.branch(), event.seq());
            action.accept(event);
            return ++delivered[0] < maxEvents;
          });
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw FileJournal.storageError(journal, "reading", e);
    }
    return delivered[0];
  }

  /**
   * Writes the first {@code maxLines} complete lines of {@code [0, end)} to {@code out}, as stored.
   *
   * @return how many bytes were written
   * @throws IOException if writing to {@code out} fails
   */
  static long copy(Path journal, long end, long maxLines, OutputStream out) throws IOException {
    if (end == 0 || maxLines <= 0) {
      return 0;
    }
    long[] copied = {0, 0}; // bytes, lines
    try (FileChannel channel = Archives.openForRead(journal)) {
      LineScanner.scan(
          channel,
          0,
          end,
          1,
          (buffer, offset, length, fileOffset, lineNo) -> {
            try {
              out.write(buffer, offset, length);
              out.write('\n');
            } catch (IOException e) {
              throw new OutputFailed(e);
            }
            copied[0] += length + 1;
            return ++copied[1] < maxLines;
          });
    } catch (OutputFailed e) {
      throw e.getCause();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw FileJournal.storageError(journal, "reading", e);
    }
    return copied[0];
  }

  /** Carries a failure of the caller's stream past the scan, apart from the journal's own. */
  private static final class OutputFailed extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    OutputFailed(IOException cause) {
      super(cause);
    }
  }
}
