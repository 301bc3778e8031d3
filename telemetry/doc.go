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
// # Batches, throughput and the broker's inflight window
//
// A batch is cut when it holds BatchSize points (or MaxBatchBytes of line
// protocol), when MaxPendingAcks inputs wait in it (by default BatchSize,
// that is one message per point), when after a burst nothing was added to
// it for FlushIdle (10ms), or FlushInterval after its first point. Large batches
// are what make InfluxDB cheap: writing 5000 points per request costs
// influxd about half the CPU per point that 500 per request does
// (bench/results.md), and much less of hamletd's too.
//
// The idle rule bounds latency. At the end of a burst the last batch is
// written 10–20ms after the last message, not a FlushInterval later. And
// against a broker that does stop at its inflight window (the MQTT 3.1.1
// receive window: mosquitto's max_inflight_messages, 20 by default, which
// the project's config raises to 1000), the broker sends one window, pauses
// for the acknowledgements, the pause cuts the batch, the batch is written
// and acknowledged and the next window follows: one window per write rather
// than per FlushInterval. An earlier version cut a batch at half the window
// instead, on the belief that the broker holds it; measured, Mosquitto 2.0.11
// does not once acknowledgements flow (hamletd held 8,500, and with large
// batches over 20,000, unacknowledged messages), so that rule only made
// batches small. A burst is 10 inputs or more within two FlushIdle: a quiet
// area's trickle of messages is still written once per FlushInterval, not
// one write (and one WAL fsync in InfluxDB) per message.
//
// Memory stays bounded all the same: up to MaxInFlight batches are written
// concurrently and as many more wait; while all are busy Add blocks
// (backpressure, counted in hamlet_telemetry_add_blocked_total), the MQTT
// link's workers stop taking messages, and the broker is held back through
// TCP. Buffers of written batches are reused.
//
// Add takes points (write.Point); AddLines takes line protocol already
// encoded by Lines.AppendReport, which the ingest path uses: it writes a
// report's point straight from the domain values, byte for byte as Add
// would encode ReportPoints (a test holds the two equal), without building
// a write.Point per message. Requests to an InfluxDB on a loopback address
// are sent without gzip (OptionsFromConfig), which there only costs CPU on
// both sides.
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
