package io.runjournal.projection;

import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.RunInfo;
import io.runjournal.model.Event;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projections of a journal's runs, folded incrementally and kept as snapshots ({@code run.json}
 * on the file store).
 *
 * <p>A projection is caught up from the journal whenever it is asked for: the events after the
 * heads it has folded are read (from the journal's recent-event cache, usually) and applied. A
 * snapshot is trusted only if it matches the journal, never by time: the same size and the same
 * last event (read from the end of the file: the journal is not opened), or heads and size behind
 * the journal's (the tail is folded on top); anything else (a journal truncated by repair, restored
 * from a backup, or a snapshot that does not parse) is rebuilt from the events. {@link #appended}
 * marks a run whose snapshot is behind, and {@link #flush} writes those snapshots, so a crash loses
 * nothing but a fold that is redone.
 *
 * <p>Thread-safe: each run's projection is folded under its own lock.
 */
public final class RunProjections {
  private static final Logger log = LoggerFactory.getLogger(RunProjections.class);
  private static final int PAGE = 1000;

  /** How a projection is kept between restarts. */
  public interface Snapshots {
    /** The saved snapshot of {@code run}, if any and readable. */
    Optional<Snapshot> load(String run);

    /** Saves {@code snapshot} atomically (a reader sees the old or the new one). */
    void save(Snapshot snapshot);
  }

  /**
   * A projection and the size of the journal it was folded from.
   *
   * @param projection the projection (its heads say which events it has folded)
   * @param journalBytes the journal size when it was folded
   */
  public record Snapshot(RunProjection projection, long journalBytes) {}

  /**
   * What listings filter and sort on, kept for every run seen (a few dozen bytes each), so that a
   * listing of many runs does not hold every projection in memory.
   *
   * @param run the run id
   * @param status its status
   * @param lastEventAt its last event's time in epoch milliseconds, or null
   * @param journalBytes the journal size it was folded from
   */
  public record Brief(String run, String status, Long lastEventAt, long journalBytes) {}

  /** One run's projection in memory; guarded by itself. */
  private static final class Folded {
    RunProjection projection;
    long journalBytes;
    boolean unsaved;
  }

  private final Journal journal;
  private final Snapshots snapshots;
  private final int maxCached;
  private final Map<String, Folded> cache;
  private final Set<String> behind = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Brief> briefs = new ConcurrentHashMap<>();

  /**
   * @param journal the journal the projections are folded from
   * @param snapshots where snapshots are kept
   * @param maxCached how many runs' projections stay in memory (least recently used go)
   */
  public RunProjections(Journal journal, Snapshots snapshots, int maxCached) {
    this.journal = journal;
    this.snapshots = snapshots;
    this.maxCached = maxCached;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Folded> eldest) {
            return size() > RunProjections.this.maxCached;
          }
        };
  }

  /** The projection of {@code run}, caught up with its journal; a copy the caller may keep. */
  public RunProjection get(String run) {
    Folded entry = entry(run);
    synchronized (entry) {
      catchUp(run, entry);
      briefs.put(run, brief(entry));
      return entry.projection.copy();
    }
  }

  /** Status and last event time of {@code run}, caught up with its journal. */
  public Brief brief(String run) {
    Brief brief = briefs.get(run);
    if (brief != null && brief.journalBytes() == journal.size(run)) {
      return brief;
    }
    get(run);
    return briefs.get(run);
  }

  private static Brief brief(Folded entry) {
    return new Brief(
        entry.projection.run(),
        entry.projection.status(),
        entry.projection.lastEventAt(),
        entry.journalBytes);
  }

  /** Notes that {@code run} got events; {@link #flush} brings its snapshot up to date. */
  public void appended(String run) {
    behind.add(run);
  }

  /** Catches up and saves the snapshot of every run {@link #appended} since the last flush. */
  public void flush() {
    for (String run : behind) {
      try {
        flush(run);
      } catch (RuntimeException e) {
        log.warn("could not save the projection of run {}: {}", run, e.toString());
      }
    }
  }

  /**
   * Catches up the projection of {@code run} and saves its snapshot if it is not saved yet (one
   * run's part of {@link #flush()}, for callers that flush runs in parallel).
   *
   * @throws io.runjournal.RunJournalException if the journal cannot be read or the snapshot cannot
   *     be written; the run stays marked and the next flush tries again
   */
  public void flush(String run) {
    behind.remove(run);
    try {
      Folded entry = entry(run);
      synchronized (entry) {
        catchUp(run, entry);
        save(entry);
      }
    } catch (RuntimeException e) {
      behind.add(run); // retried at the next flush
      throw e;
    }
  }

  /** Forgets every cached projection (snapshots stay); for tests and after a bulk change. */
  public void invalidate(String run) {
    synchronized (cache) {
      cache.remove(run);
    }
    briefs.remove(run);
  }

  private Folded entry(String run) {
    synchronized (cache) {
      Folded entry = cache.get(run);
      if (entry == null) {
        entry = new Folded();
        cache.put(run, entry);
      }
      return entry;
    }
  }

  /**
   * Brings {@code entry} up to the journal: from memory, a snapshot, or from scratch. When the
   * journal's size is what the projection was folded from, nothing was appended since (the journal
   * only grows; a repair that shrinks it changes the size), and the journal is not even opened.
   */
  private void catchUp(String run, Folded entry) {
    long size = journal.size(run);
    if (entry.projection != null && entry.journalBytes == size && size > 0) {
      return;
    }
    Snapshot snapshot = null;
    if (entry.projection == null) {
      snapshot = snapshots.load(run).orElse(null);
      if (snapshot != null
          && snapshot.journalBytes() == size
          && size > 0
          && endsAt(snapshot, run)) {
        entry.projection = snapshot.projection();
        entry.journalBytes = snapshot.journalBytes();
        return;
      }
    }
    RunInfo info = journal.info(run);
    if (entry.projection == null) {
      if (snapshot != null && usable(snapshot.projection(), snapshot.journalBytes(), info)) {
        entry.projection = snapshot.projection();
        entry.journalBytes = snapshot.journalBytes();
      } else {
        if (snapshot != null) {
          log.info("the projection snapshot of run {} does not match its journal: rebuilt", run);
        }
        entry.projection = new RunProjection(run);
        entry.journalBytes = 0;
        entry.unsaved = true;
      }
    } else if (!usable(entry.projection, entry.journalBytes, info)) {
      entry.projection = new RunProjection(run); // the journal was repaired or replaced
      entry.journalBytes = 0;
      entry.unsaved = true;
    }
    if (entry.journalBytes == info.journalBytes()
        && entry.projection.heads().equals(info.heads())) {
      entry.projection.setMalformedLines(info.malformedLines());
      return;
    }
    for (Map.Entry<String, Long> head : info.heads().entrySet()) {
      long folded = entry.projection.heads().getOrDefault(head.getKey(), 0L);
      while (folded < head.getValue()) {
        ReadResult page =
            journal.read(
                run,
                ReadQuery.all()
                    .branch(head.getKey())
                    .afterSeq(folded)
                    .beforeSeq(head.getValue() + 1)
                    .limit(PAGE));
        if (page.events().isEmpty()) {
          break;
        }
        for (Event event : page.events()) {
          entry.projection.apply(event);
        }
        folded = page.events().getLast().seq();
      }
    }
    entry.projection.setMalformedLines(info.malformedLines());
    entry.journalBytes = info.journalBytes();
    entry.unsaved = true;
  }

  /** Whether the journal's last event is the last one the snapshot folded on its branch. */
  private boolean endsAt(Snapshot snapshot, String run) {
    return journal
        .lastEvent(run)
        .map(last -> snapshot.projection().heads().getOrDefault(last.branch(), 0L) == last.seq())
        .orElse(false);
  }

  /** A projection folded from a prefix of the journal: no head and no size beyond the journal's. */
  private static boolean usable(RunProjection projection, long journalBytes, RunInfo info) {
    if (journalBytes > info.journalBytes()) {
      return false;
    }
    for (Map.Entry<String, Long> head : projection.heads().entrySet()) {
      if (head.getValue() > info.head(head.getKey())) {
        return false;
      }
    }
    return journalBytes < info.journalBytes() || projection.heads().equals(info.heads());
  }

  private void save(Folded entry) {
    if (entry.unsaved) {
      snapshots.save(new Snapshot(entry.projection.copy(), entry.journalBytes));
      entry.unsaved = false;
    }
  }
}
