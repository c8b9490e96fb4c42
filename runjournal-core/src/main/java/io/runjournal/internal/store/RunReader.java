package io.runjournal.internal.store;

import io.runjournal.MalformedEventException;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.model.Event;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One read of a branch, against a {@link FileJournal.View}: scans from a sparse-index entry to the
 * end the view knows, in a freshly opened file. Not thread-safe; one per read.
 */
final class RunReader {
  /** Told of each malformed line a tolerant read skips. */
  interface MalformedSink {
    void report(Path journal, long line, String reason);
  }

  private final FileJournal.View view;
  private final ReadQuery query;
  private final MalformedSink malformed;

  RunReader(FileJournal.View view, ReadQuery query, MalformedSink malformed) {
    this.view = view;
    this.query = query;
    this.malformed = malformed;
  }

  /**
   * The result of an ascending read.
   *
   * @param head the branch's head when the read started
   * @param ended whether the run had ended when the read started
   * @param events the matching events
   * @param through the last seq of the branch examined
   * @param more whether the limit stopped the read before the head
   */
  record Ascending(
      String run,
      String branch,
      long head,
      boolean ended,
      List<Event> events,
      long through,
      boolean more) {
    ReadResult toResult() {
      Long next = more ? events.getLast().seq() : null;
      return new ReadResult(run, branch, events, head, next);
    }

    /** Reads {@code query} from the branch's recent events, which must cover it. */
    static Ascending fromMemory(String run, BranchState branch, boolean ended, ReadQuery query) {
      List<Event> events = new ArrayList<>();
      long upTo = Math.min(branch.head, query.beforeSeq() - 1);
      long through = query.afterSeq();
      boolean more = false;
      for (long seq = query.afterSeq() + 1; seq <= upTo && !more; seq++) {
        Event event = branch.recent.get(seq);
        through = seq;
        if (query.acceptsType(event.type())) {
          events.add(event);
          more = events.size() == query.limit() && seq < upTo;
        }
      }
      return new Ascending(
          run,
          query.branch(),
          branch.head,
          ended,
          events,
          more ? through : Math.max(through, upTo),
          more);
    }
  }

  Ascending ascending() {
    List<Event> events = new ArrayList<>(Math.min(query.limit(), 256));
    long[] through = {query.afterSeq()};
    boolean[] more = {false};
    long upTo = Math.min(view.head(), query.beforeSeq() - 1);
    if (view.head() > query.afterSeq()) {
      BranchState.Entry start = view.index().entry(0);
      scan(
          start,
          view.end(),
          event -> {
            if (event.seq() <= query.afterSeq()) {
              return true;
            }
            if (event.seq() > upTo) {
              return false;
            }
            through[0] = event.seq();
            if (query.acceptsType(event.type())) {
              events.add(event);
              if (events.size() == query.limit()) {
                more[0] = event.seq() < upTo;
                return false;
              }
            }
            return true;
          });
    }
    if (!more[0]) {
      through[0] = Math.max(through[0], upTo);
    }
    return new Ascending(
        view.run(),
        view.branch(),
        view.head(),
        view.endedBy() != null,
        events,
        through[0],
        more[0]);
  }

  ReadResult descending() {
    List<Event> result = new ArrayList<>(Math.min(query.limit(), 256));
    BranchState.Index index = view.index();
    boolean more = false;
    for (int i = index.count() - 1; i >= 0; i--) {
      BranchState.Entry entry = index.entry(i);
      if (entry.seq() >= query.beforeSeq()) {
        continue;
      }
      long end = i + 1 < index.count() ? index.entry(i + 1).offset() : view.end();
      List<Event> segment = new ArrayList<>();
      scan(
          entry,
          end,
          event -> {
            if (event.seq() > query.afterSeq()
                && event.seq() < query.beforeSeq()
                && event.seq() <= view.head()
                && query.acceptsType(event.type())) {
              segment.add(event);
            }
            return true;
          });
      Collections.reverse(segment);
      for (Event event : segment) {
        result.add(event);
        if (result.size() == query.limit()) {
          // A full page: older events may match (the next page may also be empty). Looking for
          // one more here could scan the rest of the run for a type that never occurs again.
          more = event.seq() > query.afterSeq() + 1;
          break;
        }
      }
      if (result.size() == query.limit()) {
        break;
      }
      if (entry.seq() <= query.afterSeq() + 1) {
        break;
      }
    }
    Long next = more ? result.getLast().seq() : null;
    return new ReadResult(view.run(), view.branch(), result, view.head(), next);
  }

  private interface EventHandler {
    boolean event(Event event);
  }

  /**
   * Delivers the branch's valid events in {@code [start.offset, end)}; skips or fails on bad lines.
   */
  private void scan(BranchState.Entry start, long end, EventHandler handler) {
    long[] expected = {Math.max(start.seq(), 1)};
    try (FileChannel channel = Archives.openForRead(view.journal())) {
      LineScanner.scan(
          channel,
          start.offset(),
          end,
          start.line(),
          (buffer, offset, length, fileOffset, lineNo) -> {
            Event event;
            try {
              event =
                  query.strict()
                      ? EventCodec.parseAnyLine(buffer, offset, length, view.run())
                      : EventCodec.parseLine(buffer, offset, length, view.run());
            } catch (MalformedLineException e) {
              return skip(lineNo, e.getMessage());
            }
            if (!event.branch().equals(view.branch())) {
              return true;
            }
            if (event.seq() < expected[0]) {
              return skip(lineNo, RunState.outOfSequence(event.seq(), expected[0], event.branch()));
            }
            if (event.seq() > expected[0] && query.strict()) {
              throw new MalformedEventException(
                  view.journal(),
                  lineNo,
                  "seq "
                      + event.seq()
                      + " on branch \""
                      + event.branch()
                      + "\" follows a gap: seqs "
                      + expected[0]
                      + ".."
                      + (event.seq() - 1)
                      + " are missing");
            }
            // Tolerant: lines lost to corruption were reported where they are; later events count.
            expected[0] = event.seq() + 1;
            return handler.event(event);
          });
    } catch (NoSuchFileException e) {
      // A run with no journal reads as empty.
    } catch (IOException e) {
      throw FileJournal.storageError(view.journal(), "reading", e);
    }
  }

  private boolean skip(long line, String reason) {
    if (query.strict()) {
      throw new MalformedEventException(view.journal(), line, reason);
    }
    malformed.report(view.journal(), line, reason);
    return true;
  }
}
