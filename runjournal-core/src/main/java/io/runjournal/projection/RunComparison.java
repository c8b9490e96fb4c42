package io.runjournal.projection;

import com.fasterxml.jackson.core.JsonGenerator;
import io.runjournal.Journal;
import io.runjournal.ReadQuery;
import io.runjournal.ReadResult;
import io.runjournal.model.Event;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two runs side by side (DESIGN §8). Deltas are right − left and null when either side has no
 * value; in a set diff {@code added} is in the right run only, {@code removed} in the left only.
 * {@code firstDivergence} is the first 1-based position at which the two runs' sequences of event
 * types (branch {@code main}, in seq order) differ, or null when they are the same sequence.
 *
 * @param left the left run's projection
 * @param right the right run's projection
 * @param participants the participants diff
 * @param signals the signal names diff
 * @param countsByType per event type: count on the left, on the right
 * @param firstDivergence where the type sequences first differ, or null
 */
public record RunComparison(
    RunProjection left,
    RunProjection right,
    SetDiff participants,
    SetDiff signals,
    Map<String, long[]> countsByType,
    Divergence firstDivergence) {

  /**
   * A set compared.
   *
   * @param added in the right set only
   * @param removed in the left set only
   * @param common in both
   */
  public record SetDiff(
      SortedSet<String> added, SortedSet<String> removed, SortedSet<String> common) {
    static SetDiff of(Set<String> left, Set<String> right) {
      SortedSet<String> added = new TreeSet<>(right);
      added.removeAll(left);
      SortedSet<String> removed = new TreeSet<>(left);
      removed.removeAll(right);
      SortedSet<String> common = new TreeSet<>(left);
      common.retainAll(right);
      return new SetDiff(added, removed, common);
    }
  }

  /**
   * The first position where the type sequences differ.
   *
   * @param position the 1-based position
   * @param leftType the left run's type there, or null when the left run has ended its sequence
   * @param rightType the right run's type there, or null when the right run has ended its sequence
   */
  public record Divergence(long position, String leftType, String rightType) {}

  /**
   * Compares two runs.
   *
   * @param leftTypes the left run's event types in seq order
   * @param rightTypes the right run's event types in seq order
   */
  public static RunComparison of(
      RunProjection left,
      RunProjection right,
      Iterator<String> leftTypes,
      Iterator<String> rightTypes) {
    Map<String, long[]> counts = new TreeMap<>();
    left.countsByType().forEach((type, n) -> counts.computeIfAbsent(type, t -> new long[2])[0] = n);
    right
        .countsByType()
        .forEach((type, n) -> counts.computeIfAbsent(type, t -> new long[2])[1] = n);
    return new RunComparison(
        left,
        right,
        SetDiff.of(left.participants(), right.participants()),
        SetDiff.of(left.signals().keySet(), right.signals().keySet()),
        counts,
        divergence(leftTypes, rightTypes));
  }

  /**
   * Compares two runs of {@code journal}: their projections, and their {@code main} branches' type
   * sequences read a page at a time (only up to the first divergence).
   */
  public static RunComparison of(
      Journal journal, RunProjections projections, String left, String right) {
    return of(
        projections.get(left), projections.get(right), types(journal, left), types(journal, right));
  }

  /** The types of the run's main-branch events in seq order, read a page at a time. */
  private static Iterator<String> types(Journal journal, String run) {
    return new Iterator<>() {
      private List<Event> page = List.of();
      private int index;
      private long after;
      private boolean done;

      @Override
      public boolean hasNext() {
        while (index >= page.size() && !done) {
          ReadResult next = journal.read(run, ReadQuery.all().afterSeq(after).limit(1000));
          page = next.events();
          index = 0;
          done = next.next() == null;
          if (!page.isEmpty()) {
            after = page.getLast().seq();
          }
        }
        return index < page.size();
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.get(index++).type();
      }
    };
  }

  private static Divergence divergence(Iterator<String> left, Iterator<String> right) {
    long position = 0;
    while (left.hasNext() || right.hasNext()) {
      position++;
      String l = left.hasNext() ? left.next() : null;
      String r = right.hasNext() ? right.next() : null;
      if (l == null || !l.equals(r)) {
        return new Divergence(position, l, r);
      }
    }
    return null;
  }

  /** Whether both runs have the same status. */
  public boolean statusMatch() {
    return left.status().equals(right.status());
  }

  /** Right duration − left duration, or null. */
  public Long durationDeltaMs() {
    Long l = left.durationMs();
    Long r = right.durationMs();
    return l == null || r == null ? null : r - l;
  }

  /** Right confidence − left confidence (rounded to 6 decimals), or null. */
  public Double confidenceDelta() {
    return delta(left.confidence(), right.confidence());
  }

  /** Right progress − left progress in percent points, or null. */
  public Double progressDelta() {
    return delta(left.progressPercent(), right.progressPercent());
  }

  private static Double delta(Double left, Double right) {
    return left == null || right == null ? null : Math.round((right - left) * 1e6) / 1e6;
  }

  /** Writes the comparison as the API answers it. */
  public void writeJson(JsonGenerator gen) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("left", left.run());
    gen.writeStringField("right", right.run());
    gen.writeBooleanField("statusMatch", statusMatch());
    gen.writeObjectFieldStart("status");
    gen.writeStringField("left", left.status());
    gen.writeStringField("right", right.status());
    gen.writeEndObject();
    gen.writeObjectFieldStart("durationMs");
    nullableNumber(gen, "left", left.durationMs());
    nullableNumber(gen, "right", right.durationMs());
    gen.writeEndObject();
    nullableNumber(gen, "durationDeltaMs", durationDeltaMs());
    nullableNumber(gen, "confidenceDelta", confidenceDelta());
    nullableNumber(gen, "progressDelta", progressDelta());
    diff(gen, "participantsDiff", participants);
    diff(gen, "signalsDiff", signals);
    gen.writeObjectFieldStart("countsByTypeDiff");
    for (Map.Entry<String, long[]> entry : countsByType.entrySet()) {
      long[] n = entry.getValue();
      gen.writeObjectFieldStart(entry.getKey());
      gen.writeNumberField("left", n[0]);
      gen.writeNumberField("right", n[1]);
      gen.writeNumberField("delta", n[1] - n[0]);
      gen.writeEndObject();
    }
    gen.writeEndObject();
    if (firstDivergence == null) {
      gen.writeNullField("firstDivergence");
    } else {
      gen.writeObjectFieldStart("firstDivergence");
      gen.writeNumberField("position", firstDivergence.position());
      gen.writeStringField("leftType", firstDivergence.leftType());
      gen.writeStringField("rightType", firstDivergence.rightType());
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static void nullableNumber(JsonGenerator gen, String name, Number value)
      throws IOException {
    if (value == null) {
      gen.writeNullField(name);
    } else if (value instanceof Long n) {
      gen.writeNumberField(name, n);
    } else {
      gen.writeNumberField(name, value.doubleValue());
    }
  }

  private static void diff(JsonGenerator gen, String name, SetDiff diff) throws IOException {
    gen.writeObjectFieldStart(name);
    strings(gen, "added", diff.added());
    strings(gen, "removed", diff.removed());
    strings(gen, "common", diff.common());
    gen.writeEndObject();
  }

  private static void strings(JsonGenerator gen, String name, Set<String> values)
      throws IOException {
    gen.writeArrayFieldStart(name);
    for (String value : values) {
      gen.writeString(value);
    }
    gen.writeEndArray();
  }
}
