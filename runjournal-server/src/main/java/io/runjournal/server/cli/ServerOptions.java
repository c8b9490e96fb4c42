package io.runjournal.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --server URL} and {@code --token-file FILE} options of the commands that can work
 * through a server instead of on a data directory ({@code append}, {@code cat}, {@code tail},
 * {@code ls}).
 */
final class ServerOptions {
  /** The environment variable holding the bearer token for {@code --server}. */
  static final String TOKEN_ENV = "RUNJOURNAL_TOKEN";

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Work through the RunJournal server at URL (e.g. http://127.0.0.1:7070) instead of"
              + " a data directory; excludes --data.")
  private String url;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "A file holding the bearer token for --server (the token alone);"
              + " default: $RUNJOURNAL_TOKEN.")
  private Path tokenFile;

  /** Whether {@code --server} was given. */
  boolean isSet() {
    return url != null;
  }

  /** The server's URL, or null. */
  String url() {
    return url;
  }

  /** The {@code --token-file}, or null. */
  Path tokenFile() {
    return tokenFile;
  }

  /**
   * The bearer token: the content of {@code --token-file} (surrounding whitespace removed), else
   * {@code $RUNJOURNAL_TOKEN}, else null.
   *
   * @throws IllegalArgumentException if the file cannot be read, is empty, or holds more than one
   *     word (such as a server's {@code name scope secret} token file); the message never quotes
   *     the file's content
   */
  String token(Map<String, String> env) {
    if (tokenFile == null) {
      String fromEnv = env.get(TOKEN_ENV);
      return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--token-file " + tokenFile + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
    }
    if (token.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "--token-file "
              + tokenFile
              + " must hold the token alone (it holds several words: a server's token list?)");
    }
    return token;
  }
}
