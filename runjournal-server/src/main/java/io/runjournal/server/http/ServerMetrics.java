package io.runjournal.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.runjournal.AppendResult;
import io.runjournal.JournalObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's Prometheus metrics ({@code GET /metrics}): appends and bytes, fsync latency and
 * group-commit batch sizes (reported by the journal), live subscribers, SSE frames, and errors by
 * problem type. Thread-safe.
 */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter appendRequests;
  private final Counter eventsAppended;
  private final Counter duplicates;
  private final Counter bytesAppended;
  private final Timer fsyncs;
  private final DistributionSummary groupCommitBatch;
  private final AtomicInteger subscribers = new AtomicInteger();
  private final Counter sseFrames;

  /** A fresh registry with every meter registered (so each shows from the first scrape). */
  public ServerMetrics() {
    appendRequests =
        Counter.builder("runjournal.append.requests")
            .description("Append requests that succeeded")
            .register(registry);
    eventsAppended =
        Counter.builder("runjournal.events.appended")
            .description("Events written to journals (duplicates excluded)")
            .register(registry);
    duplicates =
        Counter.builder("runjournal.events.duplicate")
            .description("Events answered as duplicates of an earlier append (idempotent retry)")
            .register(registry);
    bytesAppended =
        Counter.builder("runjournal.bytes.appended")
            .baseUnit("bytes")
            .description("Bytes of journal lines written")
            .register(registry);
    fsyncs =
        Timer.builder("runjournal.fsync")
            .description("fdatasync latency of journal files")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(5))
            .register(registry);
    groupCommitBatch =
        DistributionSummary.builder("runjournal.group.commit.batch")
            .baseUnit("events")
            .description("Events made durable by one fdatasync (group commit)")
            .publishPercentileHistogram()
            .minimumExpectedValue(1.0)
            .maximumExpectedValue(10_000.0)
            .register(registry);
    Gauge.builder("runjournal.sse.subscribers", subscribers, AtomicInteger::get)
        .description("Live SSE streams")
        .register(registry);
    sseFrames =
        Counter.builder("runjournal.sse.frames")
            .description("SSE event frames sent")
            .register(registry);
  }

  /** What the journal reports: bytes written, fsync latency and group-commit batch sizes. */
  public JournalObserver journalObserver() {
    return new JournalObserver() {
      @Override
      public void appended(String run, int events, long bytes) {
        bytesWritten(bytes);
      }

      @Override
      public void synced(String run, long nanos, long events) {
        fsync(nanos, events);
      }
    };
  }

  /** Counts one successful append. */
  public void appended(AppendResult result) {
    appendRequests.increment();
    int duplicate = result.duplicates();
    eventsAppended.increment(result.seqs().size() - duplicate);
    duplicates.increment(duplicate);
  }

  /** Counts bytes the journal wrote. */
  public void bytesWritten(long bytes) {
    bytesAppended.increment(bytes);
  }

  /** Records one fdatasync and the events it made durable. */
  public void fsync(long nanos, long events) {
    fsyncs.record(nanos, TimeUnit.NANOSECONDS);
    if (events > 0) {
      groupCommitBatch.record(events);
    }
  }

  /** A stream opened. */
  public void subscriberOpened() {
    subscribers.incrementAndGet();
  }

  /** A stream closed. */
  public void subscriberClosed() {
    subscribers.decrementAndGet();
  }

  /** Counts event frames sent. */
  public void sseFrames(int frames) {
    sseFrames.increment(frames);
  }

  /** Counts an error response by its problem type and status. */
  public void error(Problem problem) {
    Counter.builder("runjournal.http.errors")
        .description("Error responses by problem type")
        .tag("type", problem.type())
        .tag("status", Integer.toString(problem.status()))
        .register(registry)
        .increment();
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
