package io.runjournal.torture;

import io.runjournal.IdConflictException;
import io.runjournal.RunEndedException;
import io.runjournal.RunJournalException;
import io.runjournal.SequenceConflictException;
import io.runjournal.model.EventTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The reference the model-based test checks the journal against: DESIGN §2 and §4 written as
 * plainly as possible, with maps of lists and no files. Not thread-safe.
 */
final class JournalModel {

  /** An event to append, with its {@code data} as the journal must store it (canonical JSON). */
  record Input(
      String type, String id, String canonicalData, String canonicalMeta, Long explicitSeq) {}

  /** A stored event. */
  record Stored(
      long seq, long ts, String branch, String type, String id, String data, String meta) {}

  /** What an append must do: write (or answer duplicates), or refuse with one of these. */
  record Outcome(
      List<Long> seqs, List<Boolean> duplicate, long head, List<Refusal> acceptableRefusals) {
    boolean refused() {
      return !acceptableRefusals.isEmpty();
    }
  }

  /**
   * One refusal the contract allows; fields that do not apply are null. A batch with several
   * problems may be refused for any of them.
   */
  record Refusal(
      Class<? extends RunJournalException> type, Long expected, Long actual, String eventId) {
    boolean matches(RunJournalException e) {
      if (e.getClass() != type) {
        return false;
      }
      return switch (e) {
        case SequenceConflictException conflict ->
            conflict.expected() == expected && conflict.actual() == actual;
        case IdConflictException conflict -> conflict.eventId().equals(eventId);
        default -> true;
      };
    }
  }

  private static final class Run {
    final Map<String, List<Stored>> branches = new TreeMap<>();
    final Map<String, Stored> ids = new LinkedHashMap<>();
    String endedBy;
    long lastTs = Long.MIN_VALUE;

    List<Stored> branch(String name) {
      return branches.computeIfAbsent(name, ignored -> new ArrayList<>());
    }
  }

  private final Map<String, Run> runs = new HashMap<>();

  /** Applies an append at clock time {@code now} and returns what the journal must answer. */
  Outcome append(String runId, String branch, Long expectedSeq, List<Input> events, long now) {
    Run run = runs.computeIfAbsent(runId, ignored -> new Run());
    List<Stored> stored = run.branch(branch);
    long head = stored.size();
    long next = head + 1;
    String endedBy = run.endedBy;
    List<Refusal> refusals = new ArrayList<>();
    Map<String, Integer> batchIds = new HashMap<>();
    List<Long> seqs = new ArrayList<>();
    List<Boolean> duplicate = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      Input event = events.get(i);
      if (event.id() != null) {
        Stored prior = run.ids.get(event.id());
        Integer inBatch = batchIds.putIfAbsent(event.id(), i);
        if (prior != null || inBatch != null) {
          Input first = inBatch == null ? null : events.get(inBatch);
          boolean same =
              prior != null
                  ? prior.type().equals(event.type())
                      && Objects.equals(prior.data(), event.canonicalData())
                  : first.type().equals(event.type())
                      && Objects.equals(first.canonicalData(), event.canonicalData());
          if (!same) {
            refusals.add(new Refusal(IdConflictException.class, null, null, event.id()));
          }
          seqs.add(prior != null ? prior.seq() : seqs.get(inBatch));
          duplicate.add(true);
          continue;
        }
      }
      if (endedBy != null) {
        refusals.add(new Refusal(RunEndedException.class, null, null, null));
      }
      if (event.explicitSeq() != null && event.explicitSeq() != next) {
        refusals.add(new Refusal(SequenceConflictException.class, next, event.explicitSeq(), null));
      }
      if (EventTypes.isTerminal(event.type())) {
        endedBy = event.type();
      }
      seqs.add(next++);
      duplicate.add(false);
    }
    long fresh = next - head - 1;
    if (fresh > 0 && expectedSeq != null && expectedSeq != head) {
      refusals.add(new Refusal(SequenceConflictException.class, head, expectedSeq, null));
    }
    if (!refusals.isEmpty()) {
      return new Outcome(List.of(), List.of(), head, refusals);
    }
    if (fresh > 0) {
      long ts = Math.max(now, run.lastTs);
      run.lastTs = ts;
      for (int i = 0; i < events.size(); i++) {
        if (!duplicate.get(i)) {
          Input event = events.get(i);
          Stored written =
              new Stored(
                  seqs.get(i),
                  ts,
                  branch,
                  event.type(),
                  event.id(),
                  event.canonicalData(),
                  event.canonicalMeta());
          stored.add(written);
          if (event.id() != null) {
            run.ids.putIfAbsent(event.id(), written);
          }
        }
      }
      run.endedBy = endedBy;
    }
    return new Outcome(seqs, duplicate, stored.size(), List.of());
  }

  /** The events of a read, in order, and whether matching events remain beyond the limit. */
  record ReadAnswer(List<Stored> events, long head, boolean moreMatching) {}

  ReadAnswer read(
      String runId,
      String branch,
      long afterSeq,
      long beforeSeq,
      int limit,
      Set<String> types,
      boolean newestFirst) {
    List<Stored> all = branchEvents(runId, branch);
    List<Stored> matching = new ArrayList<>();
    for (Stored event : all) {
      if (event.seq() > afterSeq
          && event.seq() < beforeSeq
          && (types.isEmpty() || types.contains(event.type()))) {
        matching.add(event);
      }
    }
    if (newestFirst) {
      java.util.Collections.reverse(matching);
    }
    List<Stored> page = matching.subList(0, Math.min(limit, matching.size()));
    return new ReadAnswer(List.copyOf(page), all.size(), matching.size() > limit);
  }

  long head(String runId, String branch) {
    return branchEvents(runId, branch).size();
  }

  /** The head of every branch with events. */
  Map<String, Long> heads(String runId) {
    Map<String, Long> heads = new TreeMap<>();
    Run run = runs.get(runId);
    if (run != null) {
      run.branches.forEach(
          (name, events) -> {
            if (!events.isEmpty()) {
              heads.put(name, (long) events.size());
            }
          });
    }
    return heads;
  }

  /** Every event of the run, over all branches. */
  long eventCount(String runId) {
    return heads(runId).values().stream().mapToLong(Long::longValue).sum();
  }

  boolean ended(String runId) {
    Run run = runs.get(runId);
    return run != null && run.endedBy != null;
  }

  /** The ids of the run in first-write order. */
  List<Stored> eventsWithIds(String runId) {
    Run run = runs.get(runId);
    return run == null ? List.of() : List.copyOf(run.ids.values());
  }

  private List<Stored> branchEvents(String runId, String branch) {
    Run run = runs.get(runId);
    return run == null ? List.of() : run.branches.getOrDefault(branch, List.of());
  }
}
