package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/devices"
)

// eventStream is GET /api/v1/events: server-sent events of device changes
// (state, availability, telemetry, device), command results (command),
// announcement steps (announcement: one speaker's delivery, or the whole's
// status) and alert events (alert), only for devices in the caller's zones.
// Device changes come from a Latest subscription: when a burst outruns the
// stream ("all lights on" for a thousand lamps changes each one's desired
// and reported state within a moment), a device's intermediate changes are
// skipped but its newest is always sent. Command results go out in
// batches, at most resultBatch after they came; device changes at most
// changeBatch after, so that a lamp's new desired state and its answer
// mostly make one event. A comment line is sent every Heartbeat, when the
// caller is also checked again (a stream ends when its session ends). The
// stream ends when the client goes or the server shuts down.
func (s *Server) eventStream(w http.ResponseWriter, r *http.Request, c *call) {
	select {
	case s.streams <- struct{}{}:
		defer func() { <-s.streams }()
	default:
		writeError(w, errorf(http.StatusServiceUnavailable, codeBusy,
			"Quá nhiều kết nối theo dõi / too many open event streams, try again later"))
		return
	}
	// No write deadline (guard sets none on streams); net/http clears the
	// read deadline once the request is read, so ReadTimeout does not cut
	// the stream either (TestServeListenAndStreamOutlivesReadTimeout).
	rc := http.NewResponseController(w)
	changes, cancel := s.opts.Devices.SubscribeLatest()
	defer cancel()
	// One command to a thousand lamps gives a thousand results at once.
	cmds, cancelCmds := s.commands.Subscribe(commandBuffer)
	defer cancelCmds()
	var anns <-chan announce.Event
	if s.opts.Announcer != nil {
		ch, cancelAnns := s.opts.Announcer.Events(64)
		defer cancelAnns()
		anns = ch
	}
	var alertEvents <-chan alerts.Event // nil (never ready) without the alerts capability
	if s.opts.Alerts != nil {
		ch, cancelAlerts := s.opts.Alerts.Subscribe(64)
		defer cancelAlerts()
		alertEvents = ch
	}
	s.metrics.streams.Inc()
	defer s.metrics.streams.Dec()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 5000\n\n")
	if rc.Flush() != nil {
		return
	}
	heartbeat := time.NewTicker(s.opts.Heartbeat)
	defer heartbeat.Stop()
	flush := newBatchTimer(resultBatch)
	defer flush.stop()
	take := newBatchTimer(changeBatch)
	defer take.stop()
	u := c.user
	out := eventWriter{w: w, rc: rc, unencodable: func(event string, err error) {
		s.metrics.unencodable.WithLabelValues(event).Inc()
		s.opts.Logger.Warn("event skipped: its data cannot be encoded", "event", event, "err", err)
	}}
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		case _, ok := <-changes.Ready():
			if !ok {
				return
			}
			take.arm()
		case ev, ok := <-cmds:
			if !ok {
				return
			}
			// This result and those that came with it; flushed with the
			// next batch (a closed channel ends the batch; the next select
			// returns).
			for more := true; more && err == nil; {
				if u.MayZone(ev.Zone) {
					ev.At = ev.At.In(s.opts.Location)
					err = out.add("command", ev)
				}
				select {
				case ev, more = <-cmds:
				default:
					more = false
				}
			}
			flush.arm()
		case <-take.C():
			take.fired()
			for _, ch := range changes.Take() {
				if err == nil && u.MayZone(ch.Status.Zone) {
					err = out.add(changeEvent(ch.Type), s.changeData(ch))
				}
			}
			flush.arm()
		case <-flush.C():
			flush.fired()
			err = out.flush()
		case ev, ok := <-anns:
			if !ok {
				anns = nil
				continue
			}
			if u.MayZone(ev.Zone) || slices.ContainsFunc(ev.Zones, u.MayZone) {
				ev.At = ev.At.In(s.opts.Location)
				err = out.send("announcement", ev)
			}
		case ev, ok := <-alertEvents:
			if !ok {
				return
			}
			if u.MayZone(ev.Alert.Zone) {
				err = out.send("alert", ev)
			}
		case <-heartbeat.C:
			fresh, refusal := s.identify(r)
			if refusal != nil {
				out.send("end", map[string]string{"code": refusal.Code, "error": refusal.Message})
				return
			}
			u = fresh
			err = out.ping()
		}
		if err != nil {
			return
		}
	}
}

// resultBatch is how long command results wait to go out together: one
// write per event cost "all lights on" for 1,000 lamps more of hamletd's
// CPU than handling the lamps' answers (bench/lights -hamletd). changeBatch
// is how long device changes wait: long enough that a lamp's new desired
// state and its confirmation are mostly one event, which cut hamletd's CPU
// for "all lights on" and "all off" by a tenth; the command results tell
// the phone each lamp's outcome sooner.
const (
	resultBatch = 20 * time.Millisecond
	changeBatch = 250 * time.Millisecond
)

// batchTimer fires once, d after it is first armed.
type batchTimer struct {
	t     *time.Timer
	d     time.Duration
	armed bool
}

func newBatchTimer(d time.Duration) *batchTimer {
	t := time.NewTimer(d)
	t.Stop()
	return &batchTimer{t: t, d: d}
}

// arm starts the timer unless it runs already.
func (b *batchTimer) arm() {
	if !b.armed {
		b.armed = true
		b.t.Reset(b.d)
	}
}

// C receives when the timer fires.
func (b *batchTimer) C() <-chan time.Time { return b.t.C }

// fired disarms it once it fired.
func (b *batchTimer) fired() { b.armed = false }

func (b *batchTimer) stop() { b.t.Stop() }

// commandBuffer is how many command results wait for one stream: a command
// names at most 1,000 lights, each with a result in its response.
const commandBuffer = 1024

// changeEvent names the event of a registry change (ChangeType.Shown): a
// removed device is a "device" event with "removed": true, a new desired
// state a "state" event (it shows the reported state too).
func changeEvent(t devices.ChangeType) string { return string(t.Shown()) }

// changeData is an event's payload: the device as GET /api/v1/devices/{id}
// shows it, marked when it was removed.
func (s *Server) changeData(ch devices.Change) any {
	v := s.deviceView(ch.Status)
	if ch.Type == devices.ChangeRemoved {
		v.Removed = true
	}
	return v
}

// eventWriter gathers a stream's events and writes them in few calls: a
// thousand command results are a few writes of eventChunk, not a hundred
// small ones, and the buffer is kept, not grown again for each burst.
type eventWriter struct {
	w   http.ResponseWriter
	rc  *http.ResponseController
	buf []byte
	seq int // the last event's id
	// unencodable is told of an event whose data JSON cannot hold (a NaN
	// a decoder let through, say): that event is skipped, not the stream
	// ended, so one bad value does not blind a phone to the rest.
	unencodable func(event string, err error)
}

// eventChunk is how much a stream gathers before writing without a flush.
const eventChunk = 32 << 10

// add appends one event, to be written by the next flush or once
// eventChunk gathered. An event whose data cannot be encoded is skipped
// and told to unencodable; the error add returns is the connection's.
func (e *eventWriter) add(event string, data any) error {
	start := len(e.buf)
	b := append(e.buf, "id: "...)
	b = strconv.AppendInt(b, int64(e.seq+1), 10)
	b = append(b, "\nevent: "...)
	b = append(b, event...)
	b = append(b, "\ndata: "...)
	b, err := appendEventJSON(b, data)
	if err != nil {
		e.buf = b[:start]
		if e.unencodable != nil {
			e.unencodable(event, err)
		}
		return nil
	}
	e.seq++
	e.buf = append(b, "\n\n"...)
	if len(e.buf) >= eventChunk {
		return e.write()
	}
	return nil
}

// send adds one event and flushes.
func (e *eventWriter) send(event string, data any) error {
	if err := e.add(event, data); err != nil {
		return err
	}
	return e.flush()
}

// ping adds a comment line, which keeps proxies from closing an idle
// stream, and flushes.
func (e *eventWriter) ping() error {
	e.buf = append(e.buf, ": ping\n\n"...)
	return e.flush()
}

// flush writes what was added and flushes it to the client.
func (e *eventWriter) flush() error {
	if err := e.write(); err != nil {
		return err
	}
	return e.rc.Flush()
}

// write writes what was added.
func (e *eventWriter) write() error {
	if len(e.buf) == 0 {
		return nil
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}
