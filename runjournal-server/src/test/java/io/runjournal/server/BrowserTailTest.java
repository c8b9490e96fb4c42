package io.runjournal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.AppendRequest;
import io.runjournal.model.NewEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-tail page in a real headless Chromium: {@code EventSource} reconnects after every
 * dropped stream with {@code Last-Event-ID}, the page shows every event exactly once, and it stops
 * for good at the {@code end} frame. Uses Debian's {@code chromium} and {@code chromedriver} (never
 * a downloaded browser or driver); skipped when they are not installed.
 */
class BrowserTailTest {
  @TempDir Path data;
  @TempDir Path profile;
  private TestServer server;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    browser = Browser.start(profile, 1000, 1200);
    server =
        TestServer.start(
            data,
            config ->
                config
                    .withSseRetry(Duration.ofMillis(200))
                    .withHeartbeat(Duration.ofMillis(200))
                    .withLimits(
                        ServerConfig.Limits.defaults()
                            .withMaxSubscribers(/* perRun= */ 1, /* total= */ 100)));
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Object js(String script) {
    return browser.js(script);
  }

  private long tailNumber(String field) {
    return ((Number) js("return window.runjournalTail." + field + ";")).longValue();
  }

  @SuppressWarnings("unchecked")
  private List<Long> seqs() {
    List<Long> seqs = new ArrayList<>();
    for (Object seq : (List<Object>) js("return window.runjournalTail.seqs;")) {
      seqs.add(((Number) seq).longValue());
    }
    return seqs;
  }

  private void appendSteps(String run, int count, int from) {
    List<NewEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(NewEvent.of("step", "{\"n\":" + (from + i) + "}"));
    }
    server.server().journal().append(run, AppendRequest.of(events));
  }

  private void screenshot(TestInfo test) throws Exception {
    browser.screenshot(test.getTestMethod().orElseThrow().getName());
  }

  /**
   * The browser console entries that are genuine errors. One kind is not: a transport failure of
   * this run's {@code /stream} request (a {@code net::ERR_…} code), which Chromium logs when a
   * stream is cut at the TCP level; that is what EventSource exists to recover from, and the
   * assertions on {@code seqs} prove it did. ({@code dropStreams()} ends the response cleanly, and
   * Chromium 156 then logs nothing.) Everything else at SEVERE, and any "Uncaught" exception at any
   * level, fails the test: JavaScript errors, any other failed request (a missing asset, a favicon
   * 404), and an HTTP error status for the stream itself (a 429 or a 503 is logged with its status,
   * not with a {@code net::ERR_} code).
   */
  private List<String> consoleErrors(String run) {
    String stream = "/v1/runs/" + run + "/stream";
    return browser.consoleErrors(
        message -> message.contains(stream) && message.contains("net::ERR_"));
  }

  @Test
  void tailPage_reconnectsAfterEveryDrop_showsEveryEventOnce_andStopsAtTheEnd(TestInfo test)
      throws Exception {
    String run = "browser-1";
    appendSteps(run, 5, 1);
    browser.open(server.url() + "/tail.html?run=" + run);
    await().atMost(20, TimeUnit.SECONDS).until(() -> tailNumber("opens") == 1);

    int appended = 5;
    for (int drop = 1; drop <= 5; drop++) {
      appendSteps(run, 7, appended + 1);
      appended += 7;
      await().atMost(10, TimeUnit.SECONDS).until(() -> server.server().openStreams() == 1);
      server.server().dropStreams();
      long opensBefore = drop;
      await("reconnect after drop " + drop)
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> tailNumber("opens") > opensBefore);
    }
    appendSteps(run, 3, appended + 1);
    server.server().journal().append(run, NewEvent.of("run.completed", "{\"ok\":true}"));
    long total = appended + 3 + 1;

    await("the page saw the end")
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> Boolean.TRUE.equals(js("return window.runjournalTail.ended;")));
    assertThat(seqs())
        .as("every event exactly once, in order")
        .isEqualTo(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(tailNumber("opens")).isGreaterThanOrEqualTo(6);
    assertThat(js("return document.getElementById('state').textContent;"))
        .isEqualTo("ended (succeeded)");
    assertThat(js("return document.querySelectorAll('#events li').length;")).isEqualTo(total);

    // After the end frame the page closed its EventSource: no reconnect for many retry periods.
    long opens = tailNumber("opens");
    await("no reconnect after the end")
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> tailNumber("opens") == opens && server.server().openStreams() == 0);

    screenshot(test);
    assertThat(consoleErrors(run)).as("browser console errors").isEmpty();
  }

  /** Regression: the page took any answer that stops EventSource (a 429 too) for the run's end. */
  @Test
  void tailPage_refusedByTheSubscriberLimit_saysSo_andDoesNotClaimTheRunEnded(TestInfo test)
      throws Exception {
    String run = "browser-full";
    appendSteps(run, 2, 1);
    try (SseConnection holder = SseConnection.open(server, "/v1/runs/" + run + "/stream")) {
      assertThat(holder.status()).isEqualTo(200);
      assertThat(holder.next().field("retry")).isNotNull();
      browser.open(server.url() + "/tail.html?run=" + run);
      await("the page gave up")
          .atMost(20, TimeUnit.SECONDS)
          .until(
              () ->
                  js("return window.runjournalTail.refused;") != null
                      || Boolean.TRUE.equals(js("return window.runjournalTail.ended;")));
    }
    assertThat(js("return window.runjournalTail.ended;")).isEqualTo(false);
    assertThat(js("return window.runjournalTail.refused.status;")).isEqualTo(429L);
    assertThat((String) js("return document.getElementById('state').textContent;"))
        .startsWith("stopped")
        .contains("per-run limit");
    screenshot(test);
    // The refusal itself is logged, with its status: expected here, and only that.
    List<String> errors = consoleErrors(run);
    assertThat(errors).isNotEmpty();
    assertThat(errors).allMatch(error -> error.contains("/v1/runs/" + run + "/stream"));
    assertThat(errors).allMatch(error -> error.contains("429"));
  }

  @Test
  void tailPage_openedAfterTheEndOfAnEndedRun_getsNoContent_andShowsEnded() throws Exception {
    String run = "browser-over";
    appendSteps(run, 2, 1);
    server.server().journal().append(run, NewEvent.of("run.cancelled"));
    browser.open(server.url() + "/tail.html?run=" + run + "&afterSeq=3");
    await("the page saw the end")
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> Boolean.TRUE.equals(js("return window.runjournalTail.ended;")));
    assertThat(seqs()).isEmpty();
    assertThat(js("return window.runjournalTail.refused;")).isNull();
    assertThat((String) js("return document.getElementById('state').textContent;"))
        .startsWith("ended");
    assertThat(consoleErrors(run)).as("browser console errors").isEmpty();
  }
}
