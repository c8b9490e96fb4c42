/**
 * Torture tests of the file store: several JVMs appending to one run, SIGKILL during appends,
 * journals cut at every byte of their tail, full disks and failing syncs, random operations checked
 * against an in-memory model, and live subscriptions across processes.
 *
 * <p>The default build runs them small ({@code -Drunjournal.torture=quick}, a few seconds each);
 * {@code mvn verify -Drunjournal.torture=long} runs them for minutes. Randomised tests print their
 * seed on failure; {@code -Drunjournal.seed=N} replays it. Child JVMs are started from the test
 * class path with the test's own {@code java} and are killed when a test ends, however it ends.
 */
package io.runjournal.torture;
