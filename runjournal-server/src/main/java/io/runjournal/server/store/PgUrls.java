package io.runjournal.server.store;

import java.util.regex.Pattern;

/** PostgreSQL URLs as the server shows them: never with the password. Stateless. */
public final class PgUrls {
  private static final Pattern USER_PASSWORD = Pattern.compile("(://[^:/@?#]*):[^@/?#]*@");
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("([?&]password=)[^&#]*", Pattern.CASE_INSENSITIVE);

  private PgUrls() {}

  /**
   * {@code url} with its password masked, in the user part ({@code postgresql://user:***@host/db})
   * and in a {@code password=} parameter, for logs, the console and error details.
   */
  public static String redacted(String url) {
    String masked = USER_PASSWORD.matcher(url).replaceFirst("$1:***@");
    return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1***");
  }
}
