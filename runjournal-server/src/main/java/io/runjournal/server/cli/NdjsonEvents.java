package io.runjournal.server.cli;

import io.runjournal.InvalidEventException;
import io.runjournal.internal.json.NewEventParser;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads the events of {@code append --ndjson} from stdin with the same parser as the HTTP API: one
 * object {@code {"type", "id"?, "data"?, "meta"?, "seq"?}} per line (a JSON array works too); blank
 * lines are skipped. Every event is validated before anything is appended, and an error names the
 * event and its line, so a bad batch writes nothing.
 */
final class NdjsonEvents {
  private NdjsonEvents() {}

  /**
   * Reads every event of {@code in} (UTF-8).
   *
   * @throws InvalidEventException naming the first bad event and its line, or when there is none
   */
  static List<NewEvent> read(InputStream in) throws IOException {
    return NewEventParser.parse(in, "stdin", Integer.MAX_VALUE);
  }
}
