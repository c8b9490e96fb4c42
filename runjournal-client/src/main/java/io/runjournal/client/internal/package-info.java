/**
 * The client's implementation: HTTP exchanges with retries, JSON encoding, problem mapping, the SSE
 * parser and the reconnecting subscription. Not API: anything here may change without notice.
 */
package io.runjournal.client.internal;
