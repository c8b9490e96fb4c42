-- The RunJournal schema (DESIGN §10). Every table is keyed by `run` first, no foreign key crosses
-- runs and every unique constraint includes `run`, so that the tables can be distributed by `run`
-- (Citus) unchanged.

-- One row per run: what an append must check and update under the run's row lock, which
-- serialises the appends to a run across every node.
create table runs (
  run              text        primary key,
  created_at       timestamptz not null default now(),
  last_ts          bigint,                        -- ms of the last event's ts; the never-decreasing clamp
  ended_by         text,                          -- the terminal event's type, null while open
  active           boolean     not null default false,
  archived         boolean     not null default false,
  bytes            bigint      not null default 0, -- sum of line bytes + newlines: size(run)
  lines            bigint      not null default 0, -- events in the run: the last line_no
  last_event_at    timestamptz,
  projection       jsonb,                         -- the projection snapshot (RunProjection JSON)
  projection_bytes bigint                         -- the journal size the snapshot was folded from
);

create index runs_active on runs (run) where active;

-- The head (last seq) of every branch that has events.
create table branches (
  run    text   not null,
  branch text   not null,
  head   bigint not null,
  primary key (run, branch)
);

-- The events. `line` is the canonical JSON line exactly as the file store writes it (without its
-- newline): reads serve it as stored, so replay is byte-identical across stores and never
-- re-encodes. `data` and `meta` are copies for queries only (null where jsonb cannot hold the
-- value: a \u0000 in a string, a number beyond numeric's range). `line_no` is the event's 1-based
-- position in the run's journal over all branches: the journal order of exports.
create table events (
  run     text        not null,
  branch  text        not null,
  seq     bigint      not null,
  line_no bigint      not null,
  ts      timestamptz not null,
  type    text        not null,
  id      text,
  data    jsonb,
  meta    jsonb,
  line    text        not null,
  primary key (run, branch, seq)
);

create unique index events_run_id on events (run, id) where id is not null;
create unique index events_run_line_no on events (run, line_no);
create index events_run_ts on events (run, ts);
