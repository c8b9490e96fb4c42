/**
 * Java client for the RunJournal HTTP API: append, read and resumable subscriptions.
 *
 * <p>{@link io.runjournal.client.RunJournalClient} is the entry point; its methods take and return
 * the small records of this package ({@link io.runjournal.client.NewEvent}, {@link
 * io.runjournal.client.Event}, {@link io.runjournal.client.AppendResult}, {@link
 * io.runjournal.client.ReadPage}, …). Every failure is a {@link
 * io.runjournal.client.RunJournalClientException}. A subscription ({@link
 * io.runjournal.client.RunJournalClient#subscribe}) follows a run over Server-Sent Events and
 * delivers each event exactly once, in order, across reconnects. See {@code docs/client.md}.
 */
package io.runjournal.client;
