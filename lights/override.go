package lights

import (
	"context"
	"fmt"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// ClearOverride ends the override holding light id, so its programme takes
// over at once: the programme's setting for now becomes the desired state
// and is sent. Without a programme the light keeps its state, no longer
// held. Clearing a light without an override changes nothing. It returns
// the light's status afterwards; an id that is not a light wraps
// devices.ErrNotFound.
func (s *Service) ClearOverride(ctx context.Context, id string) (Status, error) {
	if _, ok := s.LightStatus(id); !ok {
		return Status{}, fmt.Errorf("light %s: %w", id, devices.ErrNotFound)
	}
	s.mu.Lock()
	d, known := s.desired[id]
	cleared := known && d.Override
	if cleared {
		d.Override, d.Until = false, time.Time{}
		s.putDesiredLocked(ctx, d)
		s.m.overridesEnded.Inc()
	}
	s.mu.Unlock()
	if cleared {
		s.saveDesired(ctx)
		s.log.Info("override cleared", "light", id)
		if s.opts.ClockOK == nil || s.opts.ClockOK() {
			s.Tick(ctx, s.opts.Now())
		} else {
			s.ProgrammesChanged()
		}
	}
	st, _ := s.LightStatus(id)
	return st, nil
}
