package io.runjournal.postgres;

import io.runjournal.AppendRequest;
import io.runjournal.AppendResult;
import io.runjournal.ArchiveReport;
import io.runjournal.ImportResult;
import io.runjournal.Journal;
import io.runjournal.JournalClosedException;
import io.runjournal.JournalObserver;
import io.runjournal.JournalOptions;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.RepairReport;
import io.runjournal.RunInfo;
import io.runjournal.StorageException;
import io.runjournal.SubscribeOptions;
import io.runjournal.Subscription;
import io.runjournal.VerifyReport;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.live.ChangeNotifier;
import io.runjournal.internal.live.CursorSubscription;
import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Journal} contract on PostgreSQL (DESIGN §10), for several nodes sharing one journal.
 *
 * <h2>State</h2>
 *
 * Everything lives in the database (schema {@code V1__journal.sql}): a {@code runs} row per run
 * (end, active and archived flags, size, last ts), a {@code branches} row per branch with events
 * (its head), and an {@code events} row per event holding its canonical line exactly as the file
 * store writes it. This object holds no run state, only the pool, the listener and the local
 * subscriptions, so any number of instances on any number of nodes see one journal.
 *
 * <h2>Locking</h2>
 *
 * Every write to a run (append, import, archive, delete) locks the run's {@code runs} row {@code
 * for update} first, in a READ COMMITTED transaction: the row lock is what serialises a run's
 * writers across nodes, as the file lock does across processes. A transaction locks one run row
 * only, so writers never deadlock; a serialization failure or deadlock would be retried twice.
 * Reads take no locks: they read a branch's head, then the events up to it. Within one instance,
 * appends to a run that arrive while its transaction is in flight wait without a connection and
 * then share one transaction ({@link GroupCommit}), so a run is not held to one commit per request.
 *
 * <h2>Wake-ups</h2>
 *
 * An append {@code NOTIFY}s the run id in its transaction (delivered at commit). Each instance's
 * {@link NotificationListener} {@code LISTEN}s on its own connection and signals the run's local
 * subscriptions ({@link CursorSubscription}, as the file store's); appends through this instance
 * also signal them directly. Waiting subscriptions re-read their run every {@code recheckInterval}
 * regardless, so a lost notification delays a subscriber by at most that, never stalls it.
 *
 * <h2>Differences from the file store</h2>
 *
 * No fsync policy (a commit is as durable as the server's settings make it) and so no {@link
 * JournalObserver#synced} calls; no torn tails ({@link #repair} has nothing to do); archiving sets
 * a flag (nothing is compressed; the run stays readable and refuses appends as any ended run); no
 * malformed lines unless a row is edited by hand. Reports and errors name a run as {@code
 * postgresql:<database>/runs/<run>}.
 *
 * <p>Thread-safe.
 */
public final class PostgresJournal implements Journal {
  private static final Logger log = LoggerFactory.getLogger(PostgresJournal.class);

  private final PostgresOptions options;
  private final JournalOptions journalOptions;
  private final JournalObserver observer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ChangeNotifier notifier = new ChangeNotifier();
  private final MalformedLines malformed = new MalformedLines();
  private final Database database;
  private final GroupCommit appends;
  private final EventReader reader;
  private final JournalLines lines;
  private final Importer importer;
  private final RunCatalog catalog;
  private final NotificationListener listener;

  private PostgresJournal(PostgresOptions options, PgUrl url) {
    this.options = options;
    this.journalOptions = options.journal();
    this.observer = journalOptions.observer();
    this.database = Database.open(url, options, closed::get);
    this.appends =
        new GroupCommit(
            new Appender(database, journalOptions.clock(), journalOptions.maxEventBytes()));
    this.reader = new EventReader(database, malformed);
    this.lines = new JournalLines(database, malformed);
    this.importer = new Importer(database, journalOptions.maxEventBytes());
    this.catalog = new RunCatalog(database);
    try {
      this.listener =
          NotificationListener.start(
              database::connectOutsidePool, notifier, "runjournal-pg-listen-" + url.database());
    } catch (SQLException e) {
      database.close();
      throw new StorageException(database.location(), "listening for appends in", e);
    }
  }

  /**
   * Connects to the database of {@code options.url()}, applies the schema migrations if {@code
   * options.migrate()}, and starts listening for appends of other nodes.
   *
   * @throws IllegalArgumentException if the URL cannot be parsed (naming it, password masked)
   * @throws StorageException naming host, port and database if the database cannot be reached, is
   *     not UTF-8, or lacks the schema (with migrations off) or cannot be migrated
   */
  public static PostgresJournal open(PostgresOptions options) {
    Objects.requireNonNull(options, "options");
    return new PostgresJournal(options, PgUrl.parse(options.url()));
  }

  /** The options this journal was opened with. */
  public PostgresOptions options() {
    return options;
  }

  /** How many distinct malformed lines (rows edited by hand) reads of this journal skipped. */
  public long malformedLines() {
    return malformed.count();
  }

  /** The database, for the store's snapshots. */
  Database database() {
    return database;
  }

  /** The group commit of appends, for tests. */
  GroupCommit appends() {
    return appends;
  }

  /** The listener, for tests. */
  NotificationListener listener() {
    return listener;
  }

  // ---------------------------------------------------------------- append

  /**
   * {@inheritDoc}
   *
   * <p>Acknowledged once its transaction has committed. Concurrent appends to one run through this
   * instance share a transaction (group commit, see {@link GroupCommit}); each keeps its own checks
   * and outcome.
   */
  @Override
  public AppendResult append(String run, AppendRequest request) {
    Ids.requireRunId(run);
    Ids.requireBranch(request.branch());
    List<PreparedEvent> prepared = new ArrayList<>(request.events().size());
    for (var event : request.events()) {
      prepared.add(EventCodec.prepare(event));
    }
    ensureOpen();
    Appender.Appended appended = appends.append(run, request, prepared);
    if (appended.events() > 0) {
      notifier.signal(run);
      observe(() -> observer.appended(run, appended.events(), appended.bytes()));
    }
    return appended.result();
  }

  /** Runs an observer callback; its failure is logged, never passed on to the append. */
  private void observe(Runnable callback) {
    if (observer == JournalObserver.NONE) {
      return;
    }
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("the journal observer failed: {}", e.toString());
    }
  }

  @Override
  public ImportResult importEvents(String run, List<Event> events) {
    requireOpen(run);
    ImportResult result = importer.importEvents(run, events);
    if (result.created() && result.events() > 0) {
      notifier.signal(run);
      observe(() -> observer.appended(run, (int) result.events(), result.bytes()));
    }
    return result;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public ReadResult read(String run, ReadQuery query) {
    requireOpen(run);
    return reader.read(run, query);
  }

  @Override
  public long head(String run, String branch) {
    Ids.requireRunId(run);
    String name = Ids.requireBranch(branch);
    ensureOpen();
    return catalog.head(run, name);
  }

  @Override
  public Map<String, Long> heads(String run) {
    return info(run).heads();
  }

  /**
   * {@inheritDoc}
   *
   * <p>{@code malformedLines} is always 0 here: the store writes no malformed lines and does not
   * scan for rows edited by hand ({@link #verify} does).
   */
  @Override
  public RunInfo info(String run) {
    requireOpen(run);
    return catalog.info(run);
  }

  @Override
  public long size(String run) {
    requireOpen(run);
    return catalog.size(run);
  }

  @Override
  public Optional<Event> lastEvent(String run) {
    requireOpen(run);
    return lines.lastEvent(run);
  }

  /** {@inheritDoc} Here: the run has a row in {@code runs}. */
  @Override
  public boolean exists(String run) {
    requireOpen(run);
    return catalog.exists(run);
  }

  /** {@inheritDoc} Here: inserts the run's row. */
  @Override
  public boolean create(String run) {
    requireOpen(run);
    return catalog.create(run);
  }

  @Override
  public List<String> listRuns() {
    ensureOpen();
    return catalog.listRuns();
  }

  /** {@inheritDoc} Here: the runs whose {@code active} flag is set. */
  @Override
  public List<String> activeRuns() {
    ensureOpen();
    return catalog.activeRuns();
  }

  /** {@inheritDoc} Here: clears the {@code active} flag, in one statement under the row lock. */
  @Override
  public boolean releaseActiveMarker(String run) {
    requireOpen(run);
    return catalog.releaseActive(run);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Waiting subscriptions wake on appends of any node ({@code NOTIFY}) and re-read their run
   * every {@code recheckInterval} in any case.
   */
  @Override
  public Subscription subscribe(String run, SubscribeOptions subscribeOptions) {
    requireOpen(run);
    String branch = subscribeOptions.branch();
    var types = subscribeOptions.types();
    return new CursorSubscription(
        (afterSeq, limit) -> reader.batch(run, branch, afterSeq, limit, types),
        notifier,
        run,
        subscribeOptions.afterSeq(),
        subscribeOptions.maxBatch(),
        options.recheckInterval(),
        closed::get);
  }

  @Override
  public long forEachEvent(String run, long maxEvents, Consumer<? super Event> action) {
    requireOpen(run);
    return lines.forEachEvent(run, maxEvents, action);
  }

  @Override
  public long copyJournal(String run, long maxLines, OutputStream out) throws IOException {
    requireOpen(run);
    return lines.copy(run, maxLines, out);
  }

  // ---------------------------------------------------------------- verify, repair, retention

  /**
   * {@inheritDoc}
   *
   * <p>Here: each stored line must parse strictly, match its row's seq and branch, and be the next
   * seq of its branch; problems are numbered by the line's position in the run's journal.
   */
  @Override
  public VerifyReport verify(String run) {
    requireOpen(run);
    return lines.verify(run);
  }

  /** {@inheritDoc} Here: nothing to repair (a transaction leaves no torn tail); reports 0 bytes. */
  @Override
  public RepairReport repair(String run) {
    requireOpen(run);
    return new RepairReport(database.location(run), 0);
  }

  @Override
  public boolean isFinished(String run) {
    requireOpen(run);
    return catalog.isFinished(run);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: flags the run archived; nothing is compressed, so the report's archive size is the
   * journal's size. An archived run stays readable and refuses new events.
   */
  @Override
  public ArchiveReport archive(String run) {
    requireOpen(run);
    return catalog.archive(run);
  }

  @Override
  public boolean isArchived(String run) {
    requireOpen(run);
    return catalog.isArchived(run);
  }

  /** {@inheritDoc} Here: deletes the run's rows in one transaction. */
  @Override
  public boolean delete(String run) {
    requireOpen(run);
    boolean deleted = catalog.delete(run);
    if (deleted) {
      notifier.signal(run);
      log.info("deleted run {}", run);
    }
    return deleted;
  }

  /** Validates the run id, then refuses a closed journal ({@link JournalClosedException}). */
  private void requireOpen(String run) {
    Ids.requireRunId(run);
    ensureOpen();
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Stops the listener, wakes every subscription and closes the pool; idempotent. Later calls of
   * other methods throw {@link JournalClosedException}.
   *
   * @throws StorageException if stopping the listener or closing the pool failed (both are tried)
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Exception> failures = new ArrayList<>();
    try {
      listener.close();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    notifier.wakeAll();
    try {
      database.close();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      StorageException failure =
          new StorageException(database.location(), "closing", failures.getFirst());
      failures.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new JournalClosedException("journal");
    }
  }
}
