package io.runjournal.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.runjournal.recovery.Recovery;
import io.runjournal.recovery.RecoveryReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery as the server sees it: {@code GET /v1/recovery} (its progress, then its
 * report), and while it runs the refusal of writes. Thread-safe: recovery's workers report progress
 * while requests read it.
 */
public final class RecoveryApi implements Recovery.Listener {
  /** The report's logger: INFO by default even where the rest of the server logs at WARN. */
  private static final Logger log = LoggerFactory.getLogger(RecoveryApi.class);

  private enum State {
    OFF,
    RUNNING,
    DONE
  }

  private final ObjectMapper json;
  private final Clock clock;
  private volatile State state;
  private volatile Instant startedAt;
  private volatile int activeRuns = -1;
  private final AtomicInteger checked = new AtomicInteger();
  private volatile RecoveryReport report;

  /**
   * @param json the mapper for bodies
   * @param enabled whether recovery runs at this start (false: {@code --no-recovery})
   * @param clock the clock of {@code startedAt} while running
   */
  public RecoveryApi(ObjectMapper json, boolean enabled, Clock clock) {
    this.json = json;
    this.clock = clock;
    this.state = enabled ? State.RUNNING : State.OFF;
    this.startedAt = clock.instant();
  }

  @Override
  public void started(int active) {
    startedAt = clock.instant();
    activeRuns = active;
  }

  @Override
  public void checked(String run) {
    checked.incrementAndGet();
  }

  /** Recovery is over: its report is logged and served from now on, and writes are accepted. */
  public void finished(RecoveryReport done) {
    report = done;
    state = State.DONE;
    if (done.ok()) {
      log.info("{}", done.summary());
    } else {
      log.warn("{}", done.summary());
      done.failures()
          .forEach(
              failure ->
                  log.warn("recovery failed on run {}: {}", failure.run(), failure.reason()));
    }
  }

  /** Whether recovery is still running (writes are refused meanwhile). */
  public boolean running() {
    return state == State.RUNNING;
  }

  /** The 503 a write gets while recovery runs. */
  public Problem unavailable() {
    return Problem.of(
            503,
            "unavailable",
            "Server is recovering",
            "start-up recovery is running ("
                + progress()
                + "); writes are accepted once it is done (GET /readyz turns 200)")
        .with("runsChecked", checked.get());
  }

  private String progress() {
    int total = activeRuns;
    return total < 0
        ? "listing the active runs"
        : checked.get() + " of " + total + " active runs checked";
  }

  /** {@code GET /v1/recovery}: the report, or what recovery is doing, or that it is off. */
  public void get(Context ctx) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator gen = json.createGenerator(out)) {
      gen.writeStartObject();
      switch (state) {
        case OFF -> {
          gen.writeStringField("state", "off");
          gen.writeStringField(
              "detail", "start-up recovery is off (serve --no-recovery, RUNJOURNAL_NO_RECOVERY)");
        }
        case RUNNING -> {
          gen.writeStringField("state", "running");
          gen.writeStringField("startedAt", startedAt.toString());
          if (activeRuns >= 0) {
            gen.writeNumberField("activeRuns", activeRuns);
          }
          gen.writeNumberField("runsChecked", checked.get());
          gen.writeStringField("detail", "start-up recovery is running: " + progress());
        }
        case DONE -> {
          gen.writeStringField("state", "done");
          gen.writeFieldName("report");
          report.writeJson(gen);
        }
      }
      gen.writeEndObject();
    }
    ctx.contentType("application/json");
    ctx.result(out.toByteArray());
  }
}
