package lights

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// send is one light command to encode and publish.
type send struct {
	dev      devices.Device
	id       string
	state    devices.LightState
	w        *waiter             // nil for a reconciling send
	reported *devices.LightState // the reported state before sending
	online   bool                // the light was online before sending
}

// publishers bounds the publications in flight at once. Each waits for the
// broker's PUBACK, and a lamp's messages go one after the other, so a lamp
// is only as late as its own round trips: with fewer (64 was tried) a
// thousand lamps queue behind each other and the last waits ten times as
// long (bench/lights). Goroutines are cheap; the broker's in-flight window
// (max_inflight_messages) is the real bound.
const publishers = 1024

// publishTimeout bounds one publication.
const publishTimeout = 5 * time.Second

// sendAll encodes and publishes every send, publishers at a time, and
// decides the results that are known at once: a light already in the state
// asked for is confirmed; one whose command cannot be encoded is rejected.
func (s *Service) sendAll(ctx context.Context, sends []send) {
	if len(sends) == 0 {
		return
	}
	ctx = context.WithoutCancel(ctx) // a client that goes away does not stop the lamps' commands
	work := make(chan send)
	var wg sync.WaitGroup
	for range min(publishers, len(sends)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for sd := range work {
				s.sendOne(ctx, sd)
			}
		}()
	}
	for _, sd := range sends {
		work <- sd
	}
	close(work)
	wg.Wait()
}

// sendOne encodes and publishes one send.
func (s *Service) sendOne(ctx context.Context, sd send) {
	err := s.publish(ctx, sd)
	s.mu.Lock()
	defer s.mu.Unlock()
	if sd.w == nil {
		return
	}
	var enc *encodeError
	switch {
	case errors.As(err, &enc):
		s.decideLocked(sd.w, StatusRejected, enc.Error())
	case err != nil:
		// Not sent: the desired state is kept and sent on reconnect; the
		// waiter stays pending and may still be confirmed then.
		s.log.Warn("light command not published", "light", sd.dev.ID, "err", err)
	case sd.online:
		if ok, _ := matches(sd.state, sd.reported); ok {
			s.decideLocked(sd.w, StatusConfirmed, "")
		}
	}
}

// encodeError is a command the light's adapter cannot encode.
type encodeError struct{ err error }

func (e *encodeError) Error() string {
	return "Không gửi được lệnh tới đèn này / cannot encode the command for this light: " + e.err.Error()
}

// publish encodes sd with its protocol's adapter and publishes the messages
// QoS 1, never retained.
func (s *Service) publish(ctx context.Context, sd send) error {
	a := s.opts.Encoders.Adapter(sd.dev.Protocol)
	if a == nil {
		return &encodeError{fmt.Errorf("no adapter for protocol %q", sd.dev.Protocol)}
	}
	st := onWire(sd.state, sd.reported)
	msgs, err := a.Encode(devices.Command{ID: sd.id, Device: sd.dev, Light: &st})
	if err != nil {
		return &encodeError{err}
	}
	for _, m := range msgs {
		pctx, cancel := context.WithTimeout(ctx, publishTimeout)
		err := s.opts.Publisher.Publish(pctx, m.Topic, 1, false, m.Payload)
		cancel()
		if err != nil {
			s.m.publishErrors.Inc()
			return err
		}
	}
	s.m.sent.Inc()
	return nil
}

// onWire returns what to send a light for want, given its reported state:
// a brightness the light already reports is left out, since switching on
// keeps the firmware's own brightness. A Tasmota lamp then gets POWER alone
// instead of Dimmer and POWER, which halves the messages of "all lights on"
// through the broker (bench/lights). want itself, brightness included, is
// still what confirms the command.
func onWire(want devices.LightState, reported *devices.LightState) devices.LightState {
	if want.On == nil || !*want.On || want.Brightness == nil || reported == nil || reported.Brightness == nil ||
		*reported.Brightness != *want.Brightness {
		return want
	}
	want.Brightness = nil
	return want
}
