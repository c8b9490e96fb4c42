package io.runjournal.client.internal;

/** A success response the client cannot read; the caller adds which request it answered. */
public final class InvalidResponseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A response that breaks the protocol in the way {@code message} says. */
  public InvalidResponseException(String message) {
    super(message);
  }

  /** A response that breaks the protocol in the way {@code message} says. */
  public InvalidResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
