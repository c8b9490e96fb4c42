package io.runjournal;

import io.runjournal.internal.store.FileJournal;
import io.runjournal.model.Event;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An append-only event journal with one ordered stream of events per run and branch (DESIGN §2–5).
 *
 * <p>Every method is thread-safe. The file store is also safe across processes: several processes
 * may append to and read the same data directory at once and still produce dense sequences and
 * whole lines. Every method validates its run id before it touches storage and throws a subclass of
 * {@link RunJournalException}:
 *
 * <ul>
 *   <li>{@link InvalidIdentifierException} for a bad run id, branch, type or event id;
 *   <li>{@link InvalidEventException} for bad {@code data}/{@code meta} JSON;
 *   <li>{@link EventTooLargeException} for an event over the size limit;
 *   <li>{@link SequenceConflictException}, {@link IdConflictException}, {@link RunEndedException}
 *       when an append is refused (nothing of the batch is written);
 *   <li>{@link LockTimeoutException}, {@link StorageFullException}, {@link StorageException} when
 *       the store fails (nothing of the batch is acknowledged);
 *   <li>{@link RunExistsException} when an import finds the run holding other events;
 *   <li>{@link MalformedEventException} from strict reads;
 *   <li>{@link RunActiveException}, {@link RunNotFoundException} when a run cannot be archived or
 *       deleted;
 *   <li>{@link JournalClosedException} after {@link #close()}.
 * </ul>
 */
public interface Journal extends AutoCloseable {

  /** Opens the file store in {@code dataDir} with the default options (fsync always). */
  static Journal open(Path dataDir) {
    return open(dataDir, JournalOptions.defaults());
  }

  /** Opens the file store in {@code dataDir}; the directory is created on the first append. */
  static Journal open(Path dataDir, JournalOptions options) {
    return FileJournal.open(dataDir, options);
  }

  /** Appends one event to branch {@code main} of {@code run}. */
  default AppendResult append(String run, NewEvent event) {
    return append(run, AppendRequest.of(event));
  }

  /**
   * Appends a batch atomically: every event gets the next contiguous seq, or nothing is written.
   * Events whose id the run already has are not written again: they answer their original seq and
   * are flagged duplicates. The call returns once the batch is as durable as the fsync policy
   * promises.
   */
  AppendResult append(String run, AppendRequest request);

  /** Reads events of one branch of {@code run}; a run with no journal reads as empty. */
  ReadResult read(String run, ReadQuery query);

  /** The head (last seq, 0 when empty) of {@code branch} of {@code run}. */
  long head(String run, String branch);

  /** The head of every branch of {@code run} that has events, by branch name. */
  Map<String, Long> heads(String run);

  /** Heads, end state and last event time of {@code run}; a run with no journal has no heads. */
  RunInfo info(String run);

  /**
   * The size in bytes of the run's journal as stored now (0 without one), without reading it: a
   * cheap way to tell whether anything was appended since a size was last seen.
   */
  long size(String run);

  /**
   * The run's last complete event as stored now, read from the end of its journal without reading
   * the rest: with {@link #size}, a cheap check that a snapshot still matches the journal. Empty
   * when the run has no events or its last line is not a readable event.
   */
  Optional<Event> lastEvent(String run);

  /** Whether {@code run} exists: its directory exists, even before its first event. */
  boolean exists(String run);

  /**
   * Creates the run's directory if it does not exist.
   *
   * @return true if it was created, false if it already existed
   */
  boolean create(String run);

  /** Every run, sorted by id, including runs that have a directory but no journal yet. */
  List<String> listRuns();

  /**
   * The runs marked active, sorted by id: every run whose first event was appended and that has not
   * ended, as the store's markers ({@code <data>/active/<run>}) say. Reads only the markers, never
   * the runs, so it costs O(active runs) however many runs the store holds. A marker can outlive
   * its run's end or its journal (a crash between the terminal append and the marker's removal);
   * {@link #releaseActiveMarker} removes those.
   */
  List<String> activeRuns();

  /**
   * Removes the active marker of {@code run} if the run has ended or has no events (a marker left
   * behind by a crash or by a deleted run); the marker of an open run with events stays. Safe
   * beside other processes appending to the run: it decides under the run's file lock.
   *
   * @return true if a marker was removed
   */
  boolean releaseActiveMarker(String run);

  /**
   * Subscribes to one branch of {@code run} from {@code options.afterSeq()}: replay first, then the
   * live tail, as one loop. The caller must close the subscription.
   */
  Subscription subscribe(String run, SubscribeOptions options);

  /**
   * Calls {@code action} with the events of every branch of {@code run} in journal order (the order
   * they were appended, which is the order of the journal's lines), from the first up to the end of
   * the journal when the call starts, at most {@code maxEvents} of them. Like tolerant reads it
   * skips malformed lines (and reports them); a run with no journal has no events. What {@code
   * action} throws ends the scan and is thrown on.
   *
   * @return how many events {@code action} was given
   */
  long forEachEvent(String run, long maxEvents, Consumer<? super Event> action);

  /**
   * Writes the run's journal as it is stored, byte for byte, to {@code out}: its first {@code
   * maxLines} complete lines (malformed ones included), up to the end of the journal when the call
   * starts; never a partial line. A run with no journal writes nothing.
   *
   * @return how many bytes were written
   * @throws IOException if writing to {@code out} fails
   */
  long copyJournal(String run, long maxLines, OutputStream out) throws IOException;

  /**
   * Imports a run's events exactly as given, so that its journal lines are byte for byte those of
   * the run they were exported from (DESIGN §8). Every event must belong to {@code run}; seqs must
   * be dense from 1 per branch in list order; {@code ts} must never decrease; no event may follow a
   * terminal event or repeat an id; and each must be a valid canonical event whose {@link
   * Event#line()} is what the journal would write for its fields. Anything else is refused before
   * anything is written.
   *
   * <p>If the run has no events, they are all written as one batch under the run's locks, as
   * durable as the fsync policy promises an append; if it already holds exactly these events (the
   * same lines), nothing changes and the result says so (an idempotent re-import).
   *
   * @throws InvalidEventException naming the 1-based position of the first offending event
   * @throws EventTooLargeException if an event's line is over the maximum event size
   * @throws RunExistsException if the run holds other events
   */
  ImportResult importEvents(String run, List<Event> events);

  /** Checks every line of the run's journal strictly and reports each malformed line. */
  VerifyReport verify(String run);

  /** Moves a torn tail to {@code events.jsonl.torn} and truncates the journal to its last line. */
  RepairReport repair(String run);

  /**
   * Whether {@code run} is finished: it has ended (a terminal event) and is not marked active. Only
   * a finished run can be {@linkplain #archive archived} or {@linkplain #delete deleted}.
   */
  boolean isFinished(String run);

  /**
   * Compresses the journal of a finished run into an archive ({@code events.jsonl.gz}) that every
   * read serves transparently; appends to it fail with {@link RunEndedException}. Crash-safe: at
   * every step the run has its plain journal or its complete archive. Takes the run's locks, so a
   * writer in this or another process is never cut off. Archiving an archived run changes nothing.
   *
   * @throws RunActiveException if the run has not ended or is marked active
   * @throws RunNotFoundException if the run does not exist
   */
  ArchiveReport archive(String run);

  /** Whether {@code run} is archived: it has an archive and no plain journal. */
  boolean isArchived(String run);

  /**
   * Deletes a finished run (plain or archived): its directory, atomically, under the run's locks.
   * An append afterwards starts a new run of that id.
   *
   * @return true if the run was deleted, false if it did not exist
   * @throws RunActiveException if the run has not ended or is marked active
   */
  boolean delete(String run);

  /**
   * An appender for producers whose work must never fail because of the journal: it logs the first
   * failure, counts and drops the rest, never throws, and does nothing once closed.
   */
  default BestEffortAppender bestEffort() {
    return new BestEffortAppender(this);
  }

  /** Syncs what is written, releases files and wakes subscriptions; idempotent. */
  @Override
  void close();
}
