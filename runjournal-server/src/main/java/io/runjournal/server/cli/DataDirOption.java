package io.runjournal.server.cli;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option every command shares. */
final class DataDirOption {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "The data directory; default: $RUNJOURNAL_DATA, else 'data' in the current directory.")
  private Path dataDir;

  /** Whether {@code --data} was given. */
  boolean isSet() {
    return dataDir != null;
  }

  /**
   * The directory given with {@code --data}, else {@code $RUNJOURNAL_DATA}, else {@code ./data}.
   */
  Path resolve(Map<String, String> env) {
    if (dataDir != null) {
      return dataDir;
    }
    String fromEnv = env.get(CliContext.DATA_ENV);
    return fromEnv == null || fromEnv.isBlank() ? Path.of("data") : Path.of(fromEnv);
  }
}
