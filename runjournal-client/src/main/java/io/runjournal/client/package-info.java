/** Java client for the RunJournal HTTP API: append, read and resumable subscriptions. */
package io.runjournal.client;
