package io.runjournal.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Prints the RunJournal version (filtered in by the build) and the JVM running it. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {
      "runjournal " + version(),
      "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  /** The project version, or {@code unknown} when run from an unfiltered class path. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version", "unknown");
  }
}
