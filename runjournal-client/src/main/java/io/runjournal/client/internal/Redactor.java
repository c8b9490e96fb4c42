package io.runjournal.client.internal;

/**
 * Removes a secret (the bearer token) from text before it goes into a message, should a server or
 * proxy ever echo it. Immutable and thread-safe.
 */
public final class Redactor {
  private static final Redactor NONE = new Redactor(null);

  private final String secret;

  private Redactor(String secret) {
    this.secret = secret == null || secret.isEmpty() ? null : secret;
  }

  /** A redactor of {@code secret}; none when it is null or empty. */
  public static Redactor of(String secret) {
    return secret == null || secret.isEmpty() ? NONE : new Redactor(secret);
  }

  /** {@code text} with every occurrence of the secret replaced by {@code ***}. */
  public String clean(String text) {
    return secret == null || text == null ? text : text.replace(secret, "***");
  }
}
