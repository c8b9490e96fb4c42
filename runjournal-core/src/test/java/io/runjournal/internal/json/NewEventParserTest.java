package io.runjournal.internal.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runjournal.InvalidEventException;
import io.runjournal.model.NewEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NewEventParserTest {

  private static List<NewEvent> parse(String body, int maxEvents) throws IOException {
    return NewEventParser.parse(
        new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), "body", maxEvents);
  }

  private static List<NewEvent> parse(String body) throws IOException {
    return parse(body, 100);
  }

  @Test
  void oneObject_isOneEventWithItsFieldsKeptAsWritten() throws IOException {
    assertThat(
            parse(
                "{\"type\":\"a\",\"id\":\"e1\",\"data\":{\"n\":1.50},\"meta\":{\"k\":[1]},\"seq\":4}"))
        .containsExactly(new NewEvent("a", "e1", "{\"n\":1.50}", "{\"k\":[1]}", 4L));
  }

  @Test
  void array_andNdjson_giveTheEventsInOrder() throws IOException {
    assertThat(parse(" [ {\"type\":\"a\"}, {\"type\":\"b\",\"data\":\"x\"} ] "))
        .containsExactly(NewEvent.of("a"), NewEvent.of("b", "\"x\""));
    assertThat(parse("{\"type\":\"a\"}\n\n{\"type\":\"b\"}\r\n{\"type\":\"c\"}\n"))
        .extracting(NewEvent::type)
        .containsExactly("a", "b", "c");
  }

  @Test
  void errors_nameTheEventAndItsLine() {
    assertThatThrownBy(() -> parse("{\"type\":\"a\"}\n{\"data\":1}\n"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessage("body event 2 (line 2): missing \"type\"");
    assertThatThrownBy(() -> parse("{\"type\":\"a\"}\n{\"type\":\"b\",\"data\":{nope}\n"))
        .hasMessageStartingWith("body event 2 (line 2): invalid JSON");
    assertThatThrownBy(() -> parse("[{\"type\":\"a\"},{\"type\":\"b\",\"colour\":1}]"))
        .hasMessageStartingWith("body event 2 (line 1): unknown field \"colour\"");
    assertThatThrownBy(() -> parse("[{\"type\":\"bad type\"}]"))
        .hasMessageStartingWith("body event 1 (line 1): invalid event type");
    assertThatThrownBy(() -> parse("{\"type\":\"a\",\"meta\":[1]}"))
        .hasMessage("body event 1 (line 1): \"meta\" must be a JSON object");
    assertThatThrownBy(() -> parse("{\"type\":\"a\",\"seq\":0}"))
        .hasMessage("body event 1 (line 1): \"seq\" must be a positive integer");
    assertThatThrownBy(() -> parse("{\"type\":\"a\",\"type\":\"b\"}"))
        .hasMessageContaining("Duplicate field 'type'");
    assertThatThrownBy(() -> parse("[1]")).hasMessage("body event 1 (line 1): not a JSON object");
    assertThatThrownBy(() -> parse("[{\"type\":\"a\"}] {\"type\":\"b\"}"))
        .hasMessage("body trailing content after the JSON array");
  }

  @Test
  void emptyInput_andTooManyEvents_areRefused() {
    assertThatThrownBy(() -> parse(" \n"))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith("body has no events");
    assertThatThrownBy(() -> parse("[]")).hasMessageStartingWith("body has no events");
    assertThatThrownBy(() -> parse("[{\"type\":\"a\"},{\"type\":\"b\"},{\"type\":\"c\"}]", 2))
        .hasMessage("body has more than 2 events (the batch limit)");
  }
}
