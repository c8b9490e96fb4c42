package io.runjournal.postgres;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The malformed lines tolerant reads skipped (a row edited by hand: the store itself never writes
 * one), each logged once with its run and line number. Thread-safe.
 */
final class MalformedLines {
  private static final Logger log = LoggerFactory.getLogger(MalformedLines.class);
  private static final int MAX_REPORTED = 10_000;

  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final AtomicLong count = new AtomicLong();

  /** Logs and counts a skipped line, once per line (up to a bound). */
  void report(Path location, long lineNo, String reason) {
    if (reported.size() < MAX_REPORTED && reported.add(location + ":" + lineNo)) {
      count.incrementAndGet();
      log.warn("{}:{}: skipping malformed line: {}", location, lineNo, reason);
    }
  }

  /** How many distinct lines were reported. */
  long count() {
    return count.get();
  }
}
