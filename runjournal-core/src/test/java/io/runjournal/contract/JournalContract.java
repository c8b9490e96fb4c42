package io.runjournal.contract;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * The store-independent contract of {@link Journal} (DESIGN §1–§5, §8): every store runs it by
 * extending this class and saying how it opens a journal. It ships in core's test-jar.
 *
 * <p>Each area of the contract is one interface of tests (appends, identifiers, optimistic
 * concurrency, idempotency, run end, reads, run info, runs, subscriptions, several instances,
 * concurrency, import, retention, life cycle); this class gathers them and manages the journals
 * they open. Behaviour that only a file store has (torn tails, malformed lines, file locks, run
 * directories) is tested by the file store's own tests, not here.
 *
 * <p>A subclass implements {@link #openJournal} and {@link #openSecondJournal}. The suite passes
 * {@link JournalOptions#defaults()} with at most the clock and the maximum event size changed; a
 * store ignores the options that do not apply to it. The suite closes every journal it opened after
 * each test. Not thread-safe: JUnit gives each test its own instance.
 */
@Timeout(60)
public abstract class JournalContract
    implements AppendContract,
        IdentifierContract,
        OptimisticConcurrencyContract,
        IdempotencyContract,
        RunEndContract,
        ReadContract,
        RunInfoContract,
        RunsContract,
        SubscriptionContract,
        CrossInstanceContract,
        ConcurrencyContract,
        ImportContract,
        RetentionContract,
        LifecycleContract {

  private final List<Journal> opened = new ArrayList<>();
  private Journal journal;
  private JournalOptions lastOptions;

  /** For subclasses. */
  protected JournalContract() {}

  /**
   * Opens a journal on a fresh, empty store, one per call: a new data directory for a file store, a
   * new database for PostgreSQL. The suite closes it.
   *
   * @param options the defaults with at most the clock or the maximum event size changed
   */
  protected abstract Journal openJournal(JournalOptions options);

  /**
   * Opens a second, independent journal on the store of the last {@link #openJournal} call, as
   * another process on the same data directory or another server node on the same database would.
   * The suite closes it.
   *
   * @param options the options the last journal was opened with
   */
  protected abstract Journal openSecondJournal(JournalOptions options);

  /**
   * The test's journal, opened on first use with the default options on a fresh store. Not
   * thread-safe.
   */
  @Override
  public final Journal journal() {
    if (journal == null) {
      journal = freshJournal(JournalOptions.defaults());
    }
    return journal;
  }

  /**
   * A journal on another fresh, empty store, opened with {@code options}; it does not replace
   * {@link #journal()}. Not thread-safe.
   */
  @Override
  public final Journal freshJournal(JournalOptions options) {
    Journal fresh = openJournal(options);
    opened.add(fresh);
    lastOptions = options;
    return fresh;
  }

  /**
   * A second instance on the store of the last fresh journal, with its options; opens the test's
   * journal first if no journal was opened yet. Not thread-safe.
   */
  @Override
  public final Journal secondJournal() {
    if (lastOptions == null) {
      journal();
    }
    Journal second = openSecondJournal(lastOptions);
    opened.add(second);
    return second;
  }

  /**
   * Closes every journal the test opened, newest first, each even if another fails.
   *
   * @throws IllegalStateException carrying every failure (the first as cause, the rest suppressed)
   */
  @AfterEach
  protected final void closeJournals() {
    List<RuntimeException> failures = new ArrayList<>();
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    opened.clear();
    if (!failures.isEmpty()) {
      IllegalStateException failure =
          new IllegalStateException(
              "closing " + failures.size() + " journal(s) after the test failed",
              failures.getFirst());
      failures.stream().skip(1).forEach(failure::addSuppressed);
      throw failure;
    }
  }
}
