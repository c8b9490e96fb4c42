package io.runjournal.server.auth;

import io.javalin.http.Context;
import io.runjournal.server.http.Problem;
import java.util.Optional;

/**
 * Decides who a request is and whether it may do what it asks: a bearer token from the {@code
 * Authorization} header, else the session cookie. Without a token file every request is allowed
 * (the server then listens on loopback only). Failures never echo what was presented.
 */
public final class Authenticator {
  private final TokenFile tokens;
  private final Sessions sessions;

  /**
   * @param tokens the tokens, or null to run without auth
   * @param sessions the browser sessions
   */
  public Authenticator(TokenFile tokens, Sessions sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** Whether requests must authenticate. */
  public boolean enabled() {
    return tokens != null;
  }

  /**
   * The principal of {@code ctx} if it may act with {@code required}.
   *
   * @throws Problem 401 {@code unauthorized} without valid credentials, 403 {@code forbidden} when
   *     the token's scope is too small
   */
  public Principal require(Context ctx, Scope required) {
    if (tokens == null) {
      return Principal.ANONYMOUS_ADMIN;
    }
    Principal principal =
        identify(ctx)
            .orElseThrow(
                () ->
                    unauthorized(
                        ctx,
                        "this endpoint needs a token with scope "
                            + required.label()
                            + ": send Authorization: Bearer <token>, or log in for a session"
                            + " cookie"));
    if (!principal.scope().includes(required)) {
      throw Problem.of(
          403,
          "forbidden",
          "Forbidden",
          "token \""
              + principal.name()
              + "\" has scope "
              + principal.scope().label()
              + "; this endpoint needs "
              + required.label());
    }
    return principal;
  }

  /**
   * A 401 {@code unauthorized} problem for {@code ctx}, with the {@code WWW-Authenticate} challenge
   * that every 401 must carry (RFC 9110).
   */
  public static Problem unauthorized(Context ctx, String detail) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"runjournal\"");
    return Problem.of(401, "unauthorized", "Unauthorized", detail);
  }

  /** The principal of a bearer token or session cookie, if either is valid. */
  public Optional<Principal> identify(Context ctx) {
    String bearer = bearer(ctx.header("Authorization"));
    if (bearer != null) {
      return tokens.authenticate(bearer);
    }
    return sessions.find(ctx.cookie(Sessions.COOKIE));
  }

  /** The principal of a token given at login (in a header or the body). */
  public Optional<Principal> login(String token) {
    return tokens == null ? Optional.of(Principal.ANONYMOUS_ADMIN) : tokens.authenticate(token);
  }

  /** The token of an {@code Authorization: Bearer} header, or null. */
  public static String bearer(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}
