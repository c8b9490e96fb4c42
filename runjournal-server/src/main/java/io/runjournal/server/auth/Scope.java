package io.runjournal.server.auth;

import java.util.Locale;

/** What a token may do; each scope includes the ones before it: read ⊂ append ⊂ admin. */
public enum Scope {
  /** Replay, stream, list, export, compare. */
  READ,
  /** Everything of read, plus appending events and creating or importing runs. */
  APPEND,
  /** Everything. */
  ADMIN;

  /** Whether a holder of this scope may do what {@code required} allows. */
  public boolean includes(Scope required) {
    return compareTo(required) >= 0;
  }

  /** The lower-case name used in token files and responses. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code label} ({@code read}, {@code append} or {@code admin}). */
  public static Scope parse(String label) {
    for (Scope scope : values()) {
      if (scope.label().equals(label)) {
        return scope;
      }
    }
    throw new IllegalArgumentException(
        "unknown scope \"" + label + "\" (expected read, append or admin)");
  }
}
