package io.runjournal.server.dashboard;

import static io.runjournal.server.dashboard.Dashboard.append;
import static io.runjournal.server.dashboard.Dashboard.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runjournal.model.NewEvent;
import io.runjournal.server.Browser;
import io.runjournal.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/** The login page (#/login) against a server with tokens, and the dashboard without them. */
class LoginPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TOKEN = "dash-read-token-3c9e7a1f5b2d8046";

  @TempDir Path data;
  @TempDir Path config;
  @TempDir Path profile;
  private TestServer server;
  private Browser browser;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private String hash() {
    return (String) browser.js("return location.hash;");
  }

  private boolean runListed(String run) {
    return Boolean.TRUE.equals(
        browser.js(
            "return !!document.querySelector('#runs-rows tr[data-run=\"' + arguments[0] + '\"]');",
            run));
  }

  @Test
  void login_withATokenSetsTheSessionCookie_andTheRunsPageLoads() throws Exception {
    Path tokens = config.resolve("tokens");
    Files.writeString(tokens, "dashboard read " + TOKEN + "\n");
    browser = Browser.start(profile, 1280, 800);
    server = TestServer.start(data, c -> c.withTokenFile(tokens));
    append(server, "secured-1", NewEvent.of("run.created"), NewEvent.of("run.started"));

    browser.open(server.url() + "/");
    await("sent to the login page")
        .atMost(WAIT)
        .until(() -> hash().startsWith("#/login") && text(browser, "login-form") != null);
    assertThat(hash()).isEqualTo("#/login?next=%23%2Fruns");
    assertThat(browser.js("return document.activeElement.id;")).isEqualTo("login-token");
    assertThat(browser.driver().findElement(By.id("login-token")).getAttribute("type"))
        .isEqualTo("password");
    browser.screenshot("login-page");

    browser.driver().findElement(By.id("login-token")).sendKeys("not-the-token-000000", Keys.ENTER);
    await("the refusal is shown")
        .atMost(WAIT)
        .until(() -> "That token is not valid.".equals(text(browser, "login-error")));
    assertThat(browser.driver().manage().getCookieNamed("runjournal_session")).isNull();

    browser.driver().findElement(By.id("login-token")).sendKeys(TOKEN, Keys.ENTER);
    await("back to the runs, signed in")
        .atMost(WAIT)
        .until(() -> "#/runs".equals(hash()) && runListed("secured-1"));
    assertThat(browser.driver().manage().getCookieNamed("runjournal_session")).isNotNull();
    assertThat(browser.driver().manage().getCookieNamed("runjournal_session").isHttpOnly())
        .isTrue();
    assertThat(text(browser, "whoami")).isEqualTo("signed in as dashboard");

    // The run page follows the tail with the cookie (EventSource cannot send a bearer header).
    browser.open(server.url() + "/#/runs/secured-1");
    await("the run's live tail").atMost(WAIT).until(() -> Dashboard.timelineFlag(browser, "live"));
    assertThat(Dashboard.timelineSeqs(browser)).isEqualTo(Dashboard.oneTo(2));

    browser.open(server.url() + "/#/login");
    await()
        .atMost(WAIT)
        .until(() -> String.valueOf(text(browser, "login-state")).startsWith("Signed in as"));
    assertThat(text(browser, "login-state")).contains("dashboard").contains("scope read");
    browser.driver().findElement(By.id("logout")).click();
    await("logged out")
        .atMost(WAIT)
        .until(() -> String.valueOf(text(browser, "login-state")).startsWith("Not signed in"));
    assertThat(text(browser, "whoami")).isEmpty();
    assertThat(browser.driver().manage().getCookieNamed("runjournal_session")).isNull();

    // The dashboard learns that it must log in from the API's 401 answers; Chromium logs each
    // one. Those are expected here, and only those.
    assertThat(
            browser.consoleErrors(
                message -> message.contains("/v1/") && message.contains("status of 401")))
        .as("browser console errors")
        .isEmpty();
  }

  @Test
  void login_withoutTokensOnTheServer_saysNoneIsNeeded() throws Exception {
    browser = Browser.start(profile, 1280, 800);
    server = TestServer.start(data);
    browser.open(server.url() + "/#/login");
    await()
        .atMost(WAIT)
        .until(() -> String.valueOf(text(browser, "login-state")).contains("needs no login"));
    assertThat(text(browser, "whoami")).isEmpty();
    assertThat(browser.consoleErrors()).as("browser console errors").isEmpty();
  }
}
