package io.runjournal.contract;

import io.runjournal.Journal;
import io.runjournal.JournalOptions;

/**
 * What every contract test works on: journals opened by the store under test, closed by the suite
 * after each test ({@link JournalContract} implements it).
 */
interface JournalFixture {

  /** The test's journal: opened on first use, with the default options, on a fresh, empty store. */
  Journal journal();

  /**
   * A journal on another fresh, empty store, opened with {@code options} (the defaults with at most
   * the clock or the maximum event size changed). It does not replace {@link #journal()}.
   */
  Journal freshJournal(JournalOptions options);

  /**
   * Another, independent instance on the store of the last fresh journal, with its options: another
   * process on the same data directory, another server node on the same database.
   */
  Journal secondJournal();
}
