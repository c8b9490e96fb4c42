package io.runjournal.server.auth;

/**
 * Who made a request: the token's name from the token file (never the token itself) and its scope.
 *
 * @param name the token's name
 * @param scope what it may do
 */
public record Principal(String name, Scope scope) {

  /** The principal of every request when the server runs without tokens (loopback only). */
  public static final Principal ANONYMOUS_ADMIN = new Principal("anonymous", Scope.ADMIN);
}
