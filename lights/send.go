package lights

import (
	"context"
	"errors"
	"fmt"

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

// sendAll encodes and publishes every send and decides the results that
// are known at once: a light already in the state asked for is confirmed
// once its command is acknowledged; one whose command cannot be encoded is
// rejected. One goroutine sends every lamp its command, then collects the
// broker's acknowledgements: a goroutine per lamp waiting on each (the way
// before) spent more of a small box's CPU on their stacks and wake-ups
// than on the commands (bench/lights).
func (s *Service) sendAll(ctx context.Context, sends []send) {
	ctx = context.WithoutCancel(ctx) // a client that goes away does not stop the lamps' commands
	started := make([]started, len(sends))
	for i, sd := range sends {
		started[i] = s.start(sd)
	}
	// Each publication has at least PublishTimeout from its sending.
	ctx, cancel := context.WithTimeout(ctx, s.opts.PublishTimeout)
	defer cancel()
	for i, sd := range sends {
		s.sent(sd, s.finish(ctx, started[i]))
	}
}

// sent decides sd's result once its publication ended with err.
func (s *Service) sent(sd send, err error) {
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

// started is one light's command on its way: the publications sent, or
// why none could be.
type started struct {
	waits []func(context.Context) error
	err   error
}

// publish encodes sd, publishes it and waits for the broker, at most
// PublishTimeout.
func (s *Service) publish(ctx context.Context, sd send) error {
	st := s.start(sd)
	ctx, cancel := context.WithTimeout(ctx, s.opts.PublishTimeout)
	defer cancel()
	return s.finish(ctx, st)
}

// start encodes sd with its protocol's adapter and sends the messages QoS
// 1, never retained, without waiting for the broker.
func (s *Service) start(sd send) started {
	var st started
	a := s.opts.Encoders.Adapter(sd.dev.Protocol)
	if a == nil {
		st.err = &encodeError{fmt.Errorf("no adapter for protocol %q", sd.dev.Protocol)}
		return st
	}
	want := onWire(sd.state, sd.reported)
	msgs, err := a.Encode(devices.Command{ID: sd.id, Device: sd.dev, Light: &want})
	if err != nil {
		st.err = &encodeError{err}
		return st
	}
	for _, m := range msgs {
		wait, err := s.opts.Publisher.Send(m.Topic, 1, false, m.Payload)
		if err != nil {
			st.err = err
			break
		}
		st.waits = append(st.waits, wait)
	}
	return st
}

// finish waits for the broker to acknowledge every publication of st, or
// ctx, and counts the outcome.
func (s *Service) finish(ctx context.Context, st started) error {
	err := st.err
	for _, w := range st.waits {
		if err != nil {
			break
		}
		err = w(ctx)
	}
	var enc *encodeError
	switch {
	case err == nil:
		s.m.sent.Inc()
	case !errors.As(err, &enc):
		s.m.publishErrors.Inc()
	}
	return err
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
