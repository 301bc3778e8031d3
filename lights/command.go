package lights

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// Error messages for one device's result (Vietnamese, then English).
const (
	msgOffline   = "Đèn đang mất kết nối; sẽ gửi khi có lại / device offline; sent when it returns"
	msgTimeout   = "Đèn không xác nhận / the light did not confirm"
	msgCannotDim = "Đèn không điều chỉnh được độ sáng / the light cannot dim"
	msgNotSent   = "Chưa gửi được, sẽ gửi lại khi có kết nối / not sent yet (broker link down); sent on reconnect"
)

// command is one command in flight; its fields are guarded by Service.mu.
type command struct {
	id, user    string
	fingerprint string // the request, for idempotent retries
	at          time.Time
	devs        []devices.Device
	results     []DeviceResult
	open        int           // results still pending
	done        chan struct{} // closed when open reaches 0
	answered    bool          // the response went out: later results are events
}

// waiter is one device of a command waiting for its reported state.
type waiter struct {
	cmd      *command
	idx      int
	want     devices.LightState
	deadline time.Time
	// undimmed is when the light first reported the on/off asked for
	// without any brightness; if none follows within dimGrace it cannot dim.
	undimmed time.Time
	// dimAsked is true when the command named a brightness. Otherwise the
	// brightness in want is the light's desired one (a programme's), and a
	// light that cannot dim did all that was asked once it switched.
	dimAsked bool
}

// dimGrace is how long a light that switched as asked may take to report
// the brightness asked for (Tasmota answers POWER before Dimmer) before it
// is taken for a light that cannot dim.
const dimGrace = 500 * time.Millisecond

// Command implements Commander: it records each light's new desired state
// (and override), sends the command to every light that is not offline and
// waits until all confirmed or the confirm timeout passed. Every result
// decided after sending goes to Options.Events as it is decided (those
// decided later also as InfluxDB points).
func (s *Service) Command(ctx context.Context, req CommandRequest, u accounts.User) (CommandResult, error) {
	if e := req.Validate(); e != nil {
		return CommandResult{}, e
	}
	if len(req.Devices) == 0 {
		return CommandResult{}, devices.Invalid("target", "Không có đèn nào trong phạm vi / target selects no lights")
	}
	fp := fingerprint(req)
	if req.ID != "" {
		s.mu.Lock()
		prev := s.recent[req.ID]
		s.mu.Unlock()
		if prev != nil {
			if prev.fingerprint != fp {
				return CommandResult{}, fmt.Errorf("command %q was already used for another request: %w", req.ID, devices.ErrConflict)
			}
			s.m.retries.Inc()
			return s.await(ctx, prev), nil
		}
	}
	now := s.opts.Now()
	cmd := &command{id: req.ID, user: u.Name, fingerprint: fp, at: now, devs: req.Devices,
		results: make([]DeviceResult, len(req.Devices)), done: make(chan struct{})}
	if cmd.id == "" {
		cmd.id = newID("c")
	}
	sends := make([]send, 0, len(req.Devices))
	s.mu.Lock()
	if req.ID != "" {
		if s.recent[req.ID] != nil { // a concurrent retry won the race
			prev := s.recent[req.ID]
			s.mu.Unlock()
			return s.await(ctx, prev), nil
		}
		s.remember(cmd)
	}
	for i, d := range req.Devices {
		cmd.results[i] = DeviceResult{Device: d.ID, Status: StatusPending}
		want := s.setDesiredLocked(ctx, d.ID, *req.Set, req, u.Name, now)
		st, _ := s.opts.Registry.Get(d.ID)
		if st.Availability == devices.Offline {
			cmd.results[i] = DeviceResult{Device: d.ID, Status: StatusOffline, Error: msgOffline}
			continue
		}
		cmd.open++
		w := &waiter{cmd: cmd, idx: i, want: want, deadline: now.Add(s.opts.LateTimeout), dimAsked: req.Set.Brightness != nil}
		s.waiting[d.ID] = append(s.waiting[d.ID], w)
		sends = append(sends, send{dev: d, id: cmd.id, state: want, w: w, reported: st.Reported.Light,
			online: st.Availability == devices.Online})
	}
	if cmd.open == 0 {
		close(cmd.done)
	}
	s.mu.Unlock()
	s.m.commands.Inc()
	saved := make(chan struct{})
	go func() { defer close(saved); s.saveDesired(ctx) }() // while the lamps answer
	s.sendAll(ctx, sends)
	res := s.await(ctx, cmd)
	<-saved
	return res, nil
}

// await waits until cmd's results are all decided, the confirm timeout
// passed or ctx ended, then returns a snapshot and marks cmd answered.
func (s *Service) await(ctx context.Context, cmd *command) CommandResult {
	t := time.NewTimer(s.opts.ConfirmTimeout)
	defer t.Stop()
	select {
	case <-cmd.done:
	case <-t.C:
	case <-ctx.Done():
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cmd.answered = true
	return CommandResult{ID: cmd.id, Results: append([]DeviceResult(nil), cmd.results...)}
}

// decideLocked sets w's result and, once the command was answered, sends
// it as an event and an InfluxDB point. s.mu is held.
func (s *Service) decideLocked(w *waiter, status, errText string) {
	cmd := w.cmd
	if cmd.results[w.idx].Status != StatusPending {
		return
	}
	cmd.results[w.idx] = DeviceResult{Device: cmd.devs[w.idx].ID, Status: status, Error: errText}
	s.m.results.WithLabelValues(status).Inc()
	if status == StatusConfirmed {
		s.m.latency.Observe(s.opts.Now().Sub(cmd.at).Seconds())
	}
	cmd.open--
	if cmd.open == 0 {
		close(cmd.done)
	}
	if cmd.answered {
		s.late(cmd, w.idx)
	} else if s.opts.Events != nil {
		// Live progress: the phone shows each lamp's result as it is
		// decided. The response repeats it (marked Sent), and web audits
		// it from there.
		d, r := cmd.devs[w.idx], cmd.results[w.idx]
		s.opts.Events(CommandEvent{ID: cmd.id, Device: d.ID, Zone: d.Zone, Status: r.Status, Error: r.Error, User: cmd.user, At: s.opts.Now()})
		cmd.results[w.idx].Sent = true
	}
	s.dropWaiterLocked(w)
}

// late reports a result decided after the response.
func (s *Service) late(cmd *command, idx int) {
	d, r := cmd.devs[idx], cmd.results[idx]
	now := s.opts.Now()
	if s.opts.Events != nil {
		s.opts.Events(CommandEvent{ID: cmd.id, Device: d.ID, Zone: d.Zone, Status: r.Status, Error: r.Error, User: cmd.user, At: now})
	}
	s.point(d, cmd.id, cmd.user, r.Status, r.Error, now)
}

func (s *Service) dropWaiterLocked(w *waiter) {
	id := w.cmd.devs[w.idx].ID
	ws := s.waiting[id]
	for i, x := range ws {
		if x == w {
			ws = append(ws[:i], ws[i+1:]...)
			break
		}
	}
	if len(ws) == 0 {
		delete(s.waiting, id)
	} else {
		s.waiting[id] = ws
	}
}

// recentTTL is how long a client-supplied command id is remembered.
const recentTTL = 10 * time.Minute

// remember keeps cmd for idempotent retries and forgets old ones. s.mu is held.
func (s *Service) remember(cmd *command) {
	for id, c := range s.recent {
		if cmd.at.Sub(c.at) > recentTTL {
			delete(s.recent, id)
		}
	}
	s.recent[cmd.id] = cmd
}

func fingerprint(req CommandRequest) string {
	b, _ := json.Marshal(struct {
		T devices.Target
		S *LightSet
		H string
	}{req.Target, req.Set, req.Hold})
	return string(b)
}

// newID returns a fresh command id with the given prefix.
func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + "-" + hex.EncodeToString(b[:])
}
