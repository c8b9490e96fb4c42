package io.runjournal.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium for the browser tests: Debian's {@code chromium} driven by Debian's
 * {@code chromedriver} (never a downloaded browser or driver). {@link #start} skips the calling
 * test when they are not installed. Screenshots go to {@code target/screenshots/}; {@link
 * #consoleErrors} lists what the page logged as an error.
 */
public final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /**
   * Selenium warns on every start that it has no CDP binding for this Chromium; the tests use none.
   * Held in a field: java.util.logging keeps loggers only weakly.
   */
  private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

  static {
    SELENIUM_LOG.setLevel(Level.SEVERE);
  }

  private final ChromeDriver driver;

  private Browser(ChromeDriver driver) {
    this.driver = driver;
  }

  /**
   * Starts Chromium with a window of {@code width} × {@code height} and a fresh profile in {@code
   * profile}; skips the test (JUnit assumption) when Chromium or chromedriver is missing.
   */
  public static Browser start(Path profile, int width, int height) {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no "
            + CHROMIUM
            + " or "
            + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver): skipping the real-browser test");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
    return new Browser(new ChromeDriver(service, options));
  }

  /** The WebDriver, for finding elements and sending keys. */
  public ChromeDriver driver() {
    return driver;
  }

  /** Opens {@code url}. */
  public void open(String url) {
    driver.get(url);
  }

  /** Runs {@code script} in the page and returns its result. */
  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Saves a screenshot as {@code target/screenshots/NAME.png}, a test artifact. */
  public void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * The console entries logged since the last call that are errors: SEVERE entries (JavaScript
   * errors, failed requests) and any "Uncaught" exception, except those {@code expected} accepts (a
   * stream cut at the TCP level on purpose, say).
   */
  public List<String> consoleErrors(Predicate<String> expected) {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      boolean severe = entry.getLevel().intValue() >= Level.SEVERE.intValue();
      boolean uncaught = entry.getMessage().contains("Uncaught");
      if ((uncaught || severe) && !expected.test(entry.getMessage())) {
        errors.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    return errors;
  }

  /** As {@link #consoleErrors(Predicate)} with nothing expected. */
  public List<String> consoleErrors() {
    return consoleErrors(message -> false);
  }

  /** Quits the browser. */
  @Override
  public void close() {
    driver.quit();
  }
}
