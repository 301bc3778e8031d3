// Package telemetry stores what devices report in InfluxDB without losing
// any of it: the schema (pure functions from domain values to points), a
// batching writer that acknowledges each input only once its points are
// durable, and a bounded on-disk spool that holds batches while InfluxDB is
// unreachable and replays them, in order and with their original timestamps,
// when it is back. docs/influx-schema.md documents the schema.
//
// # Acknowledgement and durability
//
// Add takes the points decoded from one MQTT message and that message's ack.
// The ack is called exactly once, after every point is either written to
// InfluxDB, committed (fsynced) to the spool, or rejected for good by InfluxDB
// (counted and logged: such a point can never be written). Acks are called in
// the order the inputs were added. The only inputs never acknowledged are
// those still neither written nor spooled when Close's deadline passes (or
// the spool's disk fails at that moment) and those added after Close: they are
// counted (hamlet_telemetry_points_dropped_total{reason="shutdown"|"closed"})
// and logged, and the broker redelivers them to the persistent session.
//
// The client library's asynchronous WriteAPI does not fit: it acknowledges
// nothing per point, keeps its own in-memory retry buffer (lost on a crash,
// dropped silently when full or expired) and reports errors on a channel
// detached from the points. The writer therefore does its own batching and
// writes each batch with the client's blocking API, so it knows the outcome
// of every batch and decides itself between acknowledging, splitting and
// spooling.
//
// # Throughput and the broker's inflight window
//
// A batch is cut when it holds BatchSize points, when FlushInterval has passed
// since its first point, or when MaxPendingAcks inputs wait in it. The last
// rule matters: the broker sends a QoS 1 subscriber at most its inflight
// window of unacknowledged messages (mosquitto's max_inflight_messages,
// default 20; the project's config raises it to 1000) and then waits. If a
// batch were only cut by size or age, the broker would stop after one window
// and ingest would collapse to one window per FlushInterval. Cutting at
// MaxPendingAcks (about half the window) lets one batch be written while the
// next fills, so the broker keeps streaming. Up to MaxInFlight batches are
// written concurrently; while all are busy and the bounded queue is full, Add
// blocks (backpressure, counted in hamlet_telemetry_add_blocked_total), which
// bounds memory.
//
// # Outages and replay
//
// A batch whose write fails because InfluxDB is unavailable (network error,
// timeout, 5xx, 429, 404, 401/403) goes to the spool and is then acknowledged;
// the writer switches to spooling: later batches go straight to the spool
// while one replayer probes InfluxDB by writing the oldest spooled records,
// with capped, jittered backoff that honours Retry-After. Once a probe
// succeeds, live batches go straight to InfluxDB again and the replayer drains
// the spool oldest first, one request at a time, beside them: live data is
// never delayed behind a backlog and the backlog always drains. Order between
// live and replayed points does not matter to InfluxDB, since every point
// carries its own timestamp.
//
// A batch refused because of its points (400 or 422: a parse error, a field
// type conflict, a point outside the retention policy; InfluxDB 1.8 answers
// "partial write: ... dropped=N" and writes the rest) is split in halves and
// each half written again, recursively, until the bad points are isolated and
// rejected; rewriting points already written is harmless because a point with
// the same series and timestamp overwrites itself.
package telemetry
