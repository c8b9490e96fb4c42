package io.runjournal.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: a token exchanged at login for a random session id, sent back as an HttpOnly
 * cookie (an {@code EventSource} cannot send an {@code Authorization} header). Sessions live in
 * memory and expire after a fixed time; a restart logs everyone out. Thread-safe.
 */
public final class Sessions {
  /** The cookie's name. */
  public static final String COOKIE = "runjournal_session";

  private record Session(Principal principal, Instant expires) {}

  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private final Duration lifetime;
  private final Clock clock;

  /** Sessions that last {@code lifetime}. */
  public Sessions(Duration lifetime, Clock clock) {
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** Opens a session for {@code principal}; returns its id (the cookie value). */
  public String open(Principal principal) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    sessions.values().removeIf(session -> session.expires().isBefore(now));
    sessions.put(id, new Session(principal, now.plus(lifetime)));
    return id;
  }

  /** The principal of session {@code id}, if it exists and has not expired. */
  public Optional<Principal> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    Session session = sessions.get(id);
    if (session == null) {
      return Optional.empty();
    }
    if (session.expires().isBefore(clock.instant())) {
      sessions.remove(id);
      return Optional.empty();
    }
    return Optional.of(session.principal());
  }

  /** Ends session {@code id}. */
  public void close(String id) {
    if (id != null) {
      sessions.remove(id);
    }
  }

  /** How long a session lasts. */
  public Duration lifetime() {
    return lifetime;
  }
}
