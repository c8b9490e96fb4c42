package io.runjournal.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runjournal.Journal;
import io.runjournal.projection.RunProjections;
import io.runjournal.server.http.CompareApi;
import io.runjournal.server.http.EventsApi;
import io.runjournal.server.http.ExportApi;
import io.runjournal.server.http.RunSummaries;
import io.runjournal.server.http.RunsApi;
import io.runjournal.server.http.ServerMetrics;
import io.runjournal.server.http.StreamApi;
import io.runjournal.server.http.TraceApi;
import io.runjournal.server.store.OpenedStore;
import java.time.Clock;

/**
 * The part of the server that needs the open store: the journal, its projections and the APIs over
 * them. Built once the store is open (on PostgreSQL that may be long after HTTP started), until
 * then the routes that need it answer 503. Thread-safe: the APIs are.
 */
final class StoreApis {
  final OpenedStore store;
  final Journal journal;
  final RunProjections projections;
  final EventsApi events;
  final CompareApi compare;
  final ExportApi export;
  final RunsApi runs;
  final StreamApi streams;
  final TraceApi traces;

  StoreApis(OpenedStore store, ServerConfig config, ServerMetrics metrics, ObjectMapper json) {
    this.store = store;
    this.journal = store.journal();
    this.projections = new RunProjections(journal, store.snapshots(), 4096);
    RunSummaries summaries = new RunSummaries(projections, json);
    this.events = new EventsApi(journal, projections, json, config.limits(), metrics);
    this.compare = new CompareApi(journal, projections, json);
    this.export = new ExportApi(journal, summaries, config.limits(), Clock.systemUTC());
    this.runs = new RunsApi(journal, json, summaries, Clock.systemUTC());
    this.streams = new StreamApi(journal, summaries, config, metrics);
    this.traces = new TraceApi(journal, json);
  }
}
