package io.runjournal.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.runjournal.server.auth.Authenticator;
import io.runjournal.server.auth.Principal;
import io.runjournal.server.auth.Sessions;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code POST /v1/auth/login} exchanges a token (bearer header or {@code {"token"}} body) for an
 * HttpOnly, SameSite=Strict session cookie; {@code POST /v1/auth/logout} ends it; {@code GET
 * /v1/auth/me} says who the caller is.
 */
public final class AuthApi {
  private final Authenticator auth;
  private final Sessions sessions;
  private final ObjectMapper json;

  /** Logs in against {@code auth}. */
  public AuthApi(Authenticator auth, Sessions sessions, ObjectMapper json) {
    this.auth = auth;
    this.sessions = sessions;
    this.json = json;
  }

  /** Checks the token and sets the session cookie. */
  public void login(Context ctx) throws IOException {
    String token = Authenticator.bearer(ctx.header("Authorization"));
    if (token == null) {
      try (InputStream in = new BoundedBody(ctx.req().getInputStream(), 8192)) {
        byte[] body = in.readAllBytes();
        JsonNode node = body.length == 0 ? null : readJson(body);
        JsonNode field = node == null ? null : node.get("token");
        token = field != null && field.isTextual() ? field.asText() : null;
      }
    }
    if (token == null) {
      throw Problem.badRequest(
          "send the token as Authorization: Bearer <token> or as a JSON body {\"token\": …}");
    }
    Principal principal =
        auth.login(token)
            .orElseThrow(() -> Authenticator.unauthorized(ctx, "the token is not valid"));
    String session = sessions.open(principal);
    ctx.header(
        "Set-Cookie",
        Sessions.COOKIE
            + "="
            + session
            + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
            + sessions.lifetime().toSeconds());
    whoami(ctx, principal);
  }

  private JsonNode readJson(byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw Problem.badRequest("the body is not valid JSON; expected {\"token\": …}");
    }
  }

  /** Ends the session of the cookie, if any, and clears the cookie. */
  public void logout(Context ctx) {
    sessions.close(ctx.cookie(Sessions.COOKIE));
    ctx.header("Set-Cookie", Sessions.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    ctx.status(204);
  }

  /** Who the caller is; 401 when auth is on and the caller has no valid credentials. */
  public void me(Context ctx) throws IOException {
    Principal principal =
        auth.enabled()
            ? auth.identify(ctx)
                .orElseThrow(() -> Authenticator.unauthorized(ctx, "no valid token or session"))
            : Principal.ANONYMOUS_ADMIN;
    whoami(ctx, principal);
  }

  private void whoami(Context ctx, Principal principal) throws IOException {
    ctx.contentType("application/json");
    ctx.result(
        json.writeValueAsBytes(
            json.createObjectNode()
                .put("name", principal.name())
                .put("scope", principal.scope().label())
                .put("authEnabled", auth.enabled())));
  }
}
