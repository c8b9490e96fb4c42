/**
 * RunJournal core: the {@link io.runjournal.Journal} API, the event model and the embedded file
 * store. Only {@code io.runjournal} and {@code io.runjournal.model} are public API; everything
 * under {@code io.runjournal.internal} may change without notice.
 */
module io.runjournal.core {
  requires com.fasterxml.jackson.core;
  requires org.slf4j;

  exports io.runjournal;
  exports io.runjournal.model;
}
