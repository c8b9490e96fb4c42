package io.runjournal.internal.store;

import io.runjournal.EventTooLargeException;
import io.runjournal.InvalidEventException;
import io.runjournal.InvalidIdentifierException;
import io.runjournal.RunExistsException;
import io.runjournal.internal.json.EventCodec;
import io.runjournal.internal.json.MalformedLineException;
import io.runjournal.internal.json.PreparedEvent;
import io.runjournal.internal.json.Timestamps;
import io.runjournal.model.Event;
import io.runjournal.model.Ids;
import io.runjournal.model.NewEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The events of one import, checked before any lock is taken: every event belongs to the run, seqs
 * are dense from 1 per branch in order, {@code ts} never decreases, nothing follows a terminal
 * event, ids are unique, {@code data} and {@code meta} are valid and canonical, the timestamp reads
 * back as itself, and every line is the canonical line of its fields (so it is what an append of
 * these fields writes). The lines are encoded again when written or compared rather than kept,
 * which halves what a large import holds in memory. Immutable once built.
 *
 * <p>Public for the other stores (the PostgreSQL store imports with the same checks); not an API.
 */
public final class ImportPlan {
  private final String run;
  private final List<Event> lines;
  private final long bytes;
  private final Map<String, Long> heads;
  private final boolean ends;

  private ImportPlan(
      String run, List<Event> lines, long bytes, Map<String, Long> heads, boolean ends) {
    this.run = run;
    this.lines = lines;
    this.bytes = bytes;
    this.heads = heads;
    this.ends = ends;
  }

  /**
   * Checks {@code events} and encodes their lines.
   *
   * @throws InvalidEventException naming the first offending event's 1-based position
   * @throws EventTooLargeException if a line (with its newline) is over {@code maxEventBytes}
   */
  public static ImportPlan of(String run, List<Event> events, int maxEventBytes) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i) == null) {
        throw invalid(i + 1, "is null");
      }
    }
    List<Event> lines = List.copyOf(events); // what is checked is what is written
    Map<String, Long> heads = new TreeMap<>();
    Map<String, Integer> ids = new HashMap<>();
    long bytes = 0;
    long lastTs = Long.MIN_VALUE;
    int terminal = 0;
    for (int i = 0; i < lines.size(); i++) {
      int position = i + 1;
      Event event = lines.get(i);
      if (terminal > 0) {
        throw invalid(
            position,
            "follows the terminal event "
                + terminal
                + " ("
                + lines.get(terminal - 1).type()
                + "): a run takes no events after its end");
      }
      if (!event.run().equals(run)) {
        throw invalid(position, "belongs to run \"" + event.run() + "\", not \"" + run + "\"");
      }
      checkIdentifiers(position, event);
      long expected = heads.getOrDefault(event.branch(), 0L) + 1;
      if (event.seq() != expected) {
        throw invalid(
            position,
            "has seq "
                + event.seq()
                + " on branch \""
                + event.branch()
                + "\", expected "
                + expected
                + ": seqs are dense from 1 per branch, in journal order");
      }
      if (event.tsMillis() < lastTs) {
        throw invalid(
            position,
            "has ts "
                + Timestamps.format(event.tsMillis())
                + ", before the "
                + Timestamps.format(lastTs)
                + " of the event before it: ts never decreases within a run");
      }
      if (event.id() != null) {
        Integer first = ids.putIfAbsent(event.id(), position);
        if (first != null) {
          throw invalid(
              position,
              "repeats the id \"" + event.id() + "\" of event " + first + ": ids are unique");
        }
      }
      checkCanonicalJson(position, event);
      bytes += checkLine(run, position, event, maxEventBytes);
      heads.put(event.branch(), event.seq());
      lastTs = event.tsMillis();
      if (event.isTerminal()) {
        terminal = position;
      }
    }
    return new ImportPlan(run, lines, bytes, heads, terminal > 0);
  }

  private static void checkIdentifiers(int position, Event event) {
    try {
      Ids.requireBranch(event.branch());
      Ids.requireType(event.type());
      Ids.requireEventId(event.id());
    } catch (InvalidIdentifierException e) {
      throw invalid(position, "has an " + e.getMessage());
    }
  }

  /** {@code data} and {@code meta} must be valid JSON already in the form an append stores. */
  private static void checkCanonicalJson(int position, Event event) {
    PreparedEvent prepared;
    try {
      prepared =
          EventCodec.prepare(
              new NewEvent(event.type(), event.id(), event.data(), event.meta(), null));
    } catch (InvalidEventException e) {
      throw invalid(position, "is invalid: " + e.getMessage());
    }
    for (String field : new String[] {"data", "meta"}) {
      String given = field.equals("data") ? event.data() : event.meta();
      String canonical = field.equals("data") ? prepared.data() : prepared.meta();
      if (!Objects.equals(given, canonical)) {
        throw invalid(
            position,
            "has "
                + field
                + " that is not in the journal's canonical form (compact, as an append stores it):"
                + " import events exactly as exported");
      }
    }
  }

  /**
   * Checks that the event's line is the canonical line of its fields, that its ts reads back as
   * itself and that it is within the size limit; returns its size with the newline.
   */
  private static int checkLine(String run, int position, Event event, int maxEventBytes) {
    String canonical = EventCodec.encodeLine(event);
    if (!canonical.equals(event.line())) {
      throw invalid(
          position,
          "is not written as the journal writes it (fields in order, no whitespace):"
              + " import events exactly as exported");
    }
    String ts = Timestamps.format(event.tsMillis());
    try {
      if (Timestamps.parse(ts) != event.tsMillis()) {
        throw new MalformedLineException("reads back as another time");
      }
    } catch (MalformedLineException e) {
      throw invalid(position, "has a ts the journal cannot write: " + ts);
    }
    int size = utf8Length(canonical) + 1;
    if (size > maxEventBytes) {
      throw new EventTooLargeException(run, event.type(), size, maxEventBytes);
    }
    return size;
  }

  private static int utf8Length(String text) {
    int length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4; // with its low surrogate: checked to be paired
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }

  private static InvalidEventException invalid(int position, String message) {
    return new InvalidEventException(position, "event " + position + " " + message);
  }

  /** The run. */
  public String run() {
    return run;
  }

  /** How many events. */
  public int events() {
    return lines.size();
  }

  /** The size of all lines, newlines included. */
  public long bytes() {
    return bytes;
  }

  /** The head of every branch the events are on. */
  public Map<String, Long> heads() {
    return heads;
  }

  /** Whether the last event ends the run. */
  public boolean ends() {
    return ends;
  }

  /** The checked event at {@code index} (0-based); its {@link Event#line()} is canonical. */
  public Event event(int index) {
    return lines.get(index);
  }

  /** The line at {@code index} (0-based) with its newline, encoded afresh. */
  public byte[] line(int index) {
    return (lines.get(index).line() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Checks that the journal in {@code reader}, {@code size} bytes of complete lines, holds exactly
   * these lines.
   *
   * @throws RunExistsException naming the first line that differs, if it does not
   */
  void requireSameAs(FileChannel reader, long size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(Math.max(size, 1), 1 << 20));
    long at = 0;
    for (int index = 0; index < lines.size(); index++) {
      if (at == size) {
        throw new RunExistsException(
            run,
            index + 1,
            "its journal holds the first "
                + index
                + " of the "
                + lines.size()
                + " events imported and no more (an interrupted import? delete the run to retry)");
      }
      byte[] line = line(index);
      for (int done = 0; done < line.length; ) {
        long left = Math.min(line.length - done, size - at - done);
        buffer.clear().limit((int) Math.min(buffer.capacity(), left));
        int read = left <= 0 ? 0 : reader.read(buffer, at + done);
        boolean same = read > 0;
        for (int k = 0; same && k < read; k++) {
          same = buffer.get(k) == line[done + k];
        }
        if (!same) {
          throw new RunExistsException(
              run,
              index + 1,
              "line " + (index + 1) + " of its journal differs from event " + (index + 1));
        }
        done += read;
      }
      at += line.length;
    }
    if (at < size) {
      throw new RunExistsException(
          run,
          lines.size() + 1,
          "its journal has more than the "
              + lines.size()
              + " events imported ("
              + size
              + " bytes, the import "
              + bytes
              + ")");
    }
  }
}
