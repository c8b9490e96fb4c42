/**
 * The PostgreSQL store (DESIGN §10): the {@link io.runjournal.Journal} contract on one PostgreSQL
 * database that several server nodes share. Open it with {@link
 * io.runjournal.postgres.PostgresJournal#open(PostgresOptions)}.
 */
package io.runjournal.postgres;
