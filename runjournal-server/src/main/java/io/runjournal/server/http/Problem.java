package io.runjournal.server.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem the API answers with: a short {@code type} slug, a {@code title} per type,
 * the HTTP status, a {@code detail} that says exactly what happened, and the fields that explain it
 * ({@code expected}, {@code actual}, {@code line}, …). Thrown by handlers and rendered by {@link
 * ProblemWriter}.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final String title;
  private final transient Map<String, Object> fields;

  private Problem(int status, String type, String title, String detail, Map<String, Object> extra) {
    super(detail, null, false, false);
    this.status = status;
    this.type = type;
    this.title = title;
    this.fields = extra;
  }

  /** A problem with no extra fields. */
  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(status, type, title, detail, new LinkedHashMap<>());
  }

  /** 400 {@code invalid-request}: a query parameter or body the API cannot use. */
  public static Problem badRequest(String detail) {
    return of(400, "invalid-request", "Invalid request", detail);
  }

  /** 404 {@code not-found}. */
  public static Problem notFound(String detail) {
    return of(404, "not-found", "Not found", detail);
  }

  /** A copy of this problem that also carries {@code name: value}. */
  public Problem with(String name, Object value) {
    Map<String, Object> extra = new LinkedHashMap<>(fields);
    extra.put(name, value);
    return new Problem(status, type, title, getMessage(), extra);
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The short type slug. */
  public String type() {
    return type;
  }

  /** The title of the type. */
  public String title() {
    return title;
  }

  /** What happened. */
  public String detail() {
    return getMessage();
  }

  /** The extra fields, in insertion order. */
  public Map<String, Object> fields() {
    return Map.copyOf(fields);
  }

  /** The extra fields in the order they were added, for rendering. */
  Map<String, Object> orderedFields() {
    return fields;
  }
}
