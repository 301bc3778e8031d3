package web

import (
	"context"

	"github.com/hamlet-vn/hamlet/alerts"
)

// Alerter lists and acknowledges alerts (the alerts capability);
// *alerts.Manager is one.
type Alerter interface {
	// List returns the alerts q selects; q.Zones keeps it inside the caller's zones.
	List(ctx context.Context, q alerts.Query) ([]alerts.Alert, error)
	// Ack records that user acknowledged open alert id.
	Ack(ctx context.Context, id, user string) (alerts.Alert, error)
	// Zones returns the zone of alert id, for the zone policy.
	Zones(ctx context.Context, id string) ([]string, error)
	// Subscribe streams alert events to /api/v1/events.
	Subscribe(buffer int) (<-chan alerts.Event, func())
}
