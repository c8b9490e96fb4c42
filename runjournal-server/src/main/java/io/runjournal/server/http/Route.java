package io.runjournal.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.runjournal.server.auth.Scope;

/**
 * One endpoint of the API: method, Javalin path, the scope it needs (null = public) and its
 * handler. The server registers exactly these, and a test holds {@code /openapi.json} to them.
 *
 * @param method the HTTP method
 * @param path the path, with {@code {name}} parameters
 * @param scope the scope a caller needs, or null for a public endpoint
 * @param handler what serves it
 */
public record Route(HandlerType method, String path, Scope scope, Handler handler) {}
