package io.runjournal.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runjournal.InvalidEventException;
import io.runjournal.InvalidIdentifierException;
import io.runjournal.client.Event;
import io.runjournal.client.NewEvent;
import io.runjournal.client.ReadOptions;
import io.runjournal.client.SubscribeOptions;
import io.runjournal.model.Ids;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts between the journal's model, which the commands print and parse, and the client's, which
 * travels to and from the server. An event read from a server keeps its JSON line exactly as the
 * server sent it, so it prints exactly as on a data directory. Thread-safe (stateless).
 */
final class ClientEvents {
  private ClientEvents() {}

  /** A server's event as the journal's, its line kept as sent. */
  static io.runjournal.model.Event toJournal(Event event) {
    return new io.runjournal.model.Event(
        event.seq(),
        event.ts().toEpochMilli(),
        event.run(),
        event.branch(),
        event.type(),
        event.id(),
        text(event.data()),
        text(event.meta()),
        event.json());
  }

  /**
   * Events to append, from the journal's model (JSON as text) to the client's (JSON trees).
   *
   * <p>Each event is checked as the journal checks it before anything is sent, so that a mistake is
   * reported exactly as on a data directory.
   *
   * @throws InvalidIdentifierException for an invalid type or id
   * @throws InvalidEventException if {@code data} or {@code meta} is not valid JSON
   */
  static List<NewEvent> toClient(List<io.runjournal.model.NewEvent> events) {
    List<NewEvent> converted = new ArrayList<>(events.size());
    for (io.runjournal.model.NewEvent event : events) {
      Ids.requireType(event.type());
      Ids.requireEventId(event.id());
      try {
        NewEvent newEvent = NewEvent.of(event.type()).withId(event.id());
        newEvent = event.data() == null ? newEvent : newEvent.withDataJson(event.data());
        newEvent = event.meta() == null ? newEvent : newEvent.withMetaJson(event.meta());
        converted.add(event.seq() == null ? newEvent : newEvent.withSeq(event.seq()));
      } catch (IllegalArgumentException e) {
        throw new InvalidEventException(e.getMessage());
      }
    }
    return converted;
  }

  /** The client's read options for the filter's branch and types. */
  static ReadOptions readOptions(EventFilterOptions filter) {
    return ReadOptions.defaults().branch(filter.branch()).types(filter.types());
  }

  /** The client's subscribe options for the filter's branch and types, after {@code seq}. */
  static SubscribeOptions subscribeOptions(EventFilterOptions filter, long seq) {
    return SubscribeOptions.after(seq).branch(filter.branch()).types(filter.types());
  }

  private static String text(JsonNode json) {
    return json == null ? null : json.toString();
  }
}
