package io.runjournal.client.internal;

import io.runjournal.client.RunJournalClientException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds the paths and query strings of the HTTP API. A run id is checked against DESIGN §2 before
 * it goes into a path, so no caller-supplied text can change which resource a request names.
 * Thread-safe.
 */
public final class Paths {
  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private Paths() {}

  /**
   * {@code /v1/runs/{run}} followed by {@code suffix}.
   *
   * @throws RunJournalClientException of type {@code invalid-run-id} if {@code run} is not a run id
   */
  public static Query run(String run, String suffix) {
    if (run == null || !RUN_ID.matcher(run).matches()) {
      String message =
          "invalid run id "
              + quote(run)
              + ": must be 1-128 characters from [A-Za-z0-9._-], starting with a letter or digit";
      throw new RunJournalClientException(message, 0, "invalid-run-id", message, null, null);
    }
    return new Query("/v1/runs/" + run + suffix);
  }

  /** A query string under construction for {@code path}. Not thread-safe. */
  public static final class Query {
    private final StringBuilder text;
    private char separator = '?';

    /** A query on {@code path}. */
    public Query(String path) {
      text = new StringBuilder(path);
    }

    /** Adds {@code name=value} unless {@code value} is null. */
    public Query param(String name, Object value) {
      if (value != null) {
        text.append(separator).append(name).append('=');
        text.append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        separator = '&';
      }
      return this;
    }

    /** Adds {@code name=a,b,c} unless {@code values} is empty. */
    public Query list(String name, List<String> values) {
      return values.isEmpty() ? this : param(name, String.join(",", values));
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  private static String quote(String value) {
    if (value == null) {
      return "null";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    StringBuilder quoted = new StringBuilder("\"");
    shown.chars().forEach(c -> quoted.append(c < 0x20 ? String.format("\\u%04x", c) : (char) c));
    return quoted.append('"').toString();
  }
}
