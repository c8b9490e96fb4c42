package io.runjournal.server.store;

import io.runjournal.ImportResult;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.RunExistsException;
import io.runjournal.RunJournalException;
import io.runjournal.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Copies runs from one journal to another exactly: every event with its seq, ts, id, data and meta,
 * so that the destination's journal lines are byte for byte the source's ({@link
 * Journal#importEvents}). Runs are copied one at a time, each all or nothing; rerunning after an
 * interruption skips what is there already and copies the rest.
 *
 * <p>Per run: a destination run with the source's heads and the same last event is a complete
 * earlier copy (imports are atomic, so no run is ever half copied) and is skipped without reading
 * the source; a destination run holding anything else is a conflict and is left as it is; otherwise
 * the source's events are read in journal order and imported. An archived source run is archived at
 * the destination too.
 *
 * <p>A run is read into memory whole: {@link Journal#importEvents} takes all of a run's events at
 * once (it writes them as one batch into an empty run), and the {@code Journal} API has no way to
 * import a run in parts that would keep its timestamps.
 *
 * <p>Not thread-safe for concurrent {@link #copy} calls on one run; different runs may be copied in
 * parallel (the journals are thread-safe).
 */
public final class RunMigration {
  /** What happened to one run. */
  public enum Kind {
    /** Its events were written to the destination. */
    COPIED,
    /** The destination holds it already. */
    SKIPPED,
    /** The destination holds other events under its id; left as it is. */
    CONFLICT,
    /** It could not be read or written. */
    FAILED
  }

  /**
   * The outcome of one run.
   *
   * @param run the run id
   * @param kind what happened
   * @param events how many events were copied (0 unless copied)
   * @param detail why, for a conflict or failure; null otherwise
   * @param code the error slug of a conflict or failure (as {@code RunJournalException.code()})
   */
  public record Outcome(String run, Kind kind, long events, String detail, String code) {}

  private final Journal source;
  private final Journal destination;

  /** Copies from {@code source} into {@code destination}; neither is closed here. */
  public RunMigration(Journal source, Journal destination) {
    this.source = Objects.requireNonNull(source, "source");
    this.destination = Objects.requireNonNull(destination, "destination");
  }

  /** Copies {@code run}; never throws for a problem with that one run, reports it instead. */
  public Outcome copy(String run) {
    try {
      return copyOrThrow(run);
    } catch (RunExistsException e) {
      return new Outcome(run, Kind.CONFLICT, 0, e.getMessage(), e.code());
    } catch (RunJournalException e) {
      return new Outcome(run, Kind.FAILED, 0, e.getMessage(), e.code());
    }
  }

  private Outcome copyOrThrow(String run) {
    Map<String, Long> sourceHeads = source.heads(run);
    Map<String, Long> destinationHeads = destination.heads(run);
    if (!destinationHeads.isEmpty() || (sourceHeads.isEmpty() && destination.exists(run))) {
      String difference = difference(run, sourceHeads, destinationHeads);
      if (difference != null) {
        return new Outcome(
            run,
            Kind.CONFLICT,
            0,
            "run \"" + run + "\" differs at the destination (" + difference + "): left as it is",
            "run-exists");
      }
      archiveLikeSource(run);
      return new Outcome(run, Kind.SKIPPED, 0, null, null);
    }
    List<Event> events = new ArrayList<>();
    source.forEachEvent(run, Long.MAX_VALUE, events::add);
    ImportResult result = destination.importEvents(run, events);
    archiveLikeSource(run);
    return result.created()
        ? new Outcome(run, Kind.COPIED, result.events(), null, null)
        : new Outcome(run, Kind.SKIPPED, 0, null, null);
  }

  /** How the destination's run differs from the source's, or null if it holds a whole copy. */
  private String difference(
      String run, Map<String, Long> sourceHeads, Map<String, Long> destinationHeads) {
    Optional<Event> destinationLast = destination.lastEvent(run);
    if (!sourceHeads.equals(destinationHeads)) {
      String heads = "heads " + destinationHeads + " there, " + sourceHeads + " in the source";
      return destinationLast.isPresent() && isInSource(run, destinationLast.get())
          ? heads
              + "; it holds the start of the source's run: a copy cut short (a crash in an"
              + " earlier migrate) or a run that grew since; remove it there and run again"
          : heads;
    }
    Optional<String> sourceLast = source.lastEvent(run).map(Event::line);
    if (!sourceLast.equals(destinationLast.map(Event::line))) {
      return "the same heads " + sourceHeads + ", but another last event";
    }
    return null;
  }

  /** Whether the source has {@code event}, the same line at the same branch and seq. */
  private boolean isInSource(String run, Event event) {
    List<Event> same =
        source
            .read(run, ReadQuery.all().branch(event.branch()).afterSeq(event.seq() - 1).limit(1))
            .events();
    return !same.isEmpty() && same.getFirst().line().equals(event.line());
  }

  private void archiveLikeSource(String run) {
    if (source.isArchived(run) && !destination.isArchived(run)) {
      destination.archive(run);
    }
  }
}
