// Package announce is the announcements capability: audio uploaded from a
// phone or rendered from text, broadcast to loudspeakers by zone and
// priority, one at a time per speaker, with a receipt from every speaker
// (pending → sent → playing → done, or failed / offline), broadcast windows
// per zone, and one-off or recurring schedules whose occurrences play exactly
// once across restarts.
//
// The Service owns the state: it persists announcements, deliveries, media
// and schedule claims in SQLite (migration 0008), publishes play and stop
// commands through a Sender (protocol adapters plus the broker link), and
// learns what speakers do from Observe (acks, events, state) and from the
// registry's availability changes. A play is sent again only while the
// speaker has not accepted it (no ack, no playing state): one it accepted is
// never resent, even when the speaker went offline meanwhile (lost.go), so
// an announcement plays at most once per repeat. It never imports web: web
// translates HTTP to calls on it.
package announce
