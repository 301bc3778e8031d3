package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/alerts"
	"github.com/hamlet-vn/hamlet/devices"
)

// fakeAlerts knows open alerts al-a (zone ngo-a) and al-b (zone ngo-b).
type fakeAlerts struct{}

var fakeAlertList = []alerts.Alert{
	{ID: "al-a", Device: "den-a1", Zone: zoneA, Condition: alerts.DeviceOffline, Severity: alerts.Critical, State: alerts.Active},
	{ID: "al-b", Device: "den-b1", Zone: zoneB, Condition: alerts.DeviceOffline, Severity: alerts.Critical, State: alerts.Active},
}

func (fakeAlerts) List(_ context.Context, q alerts.Query) ([]alerts.Alert, error) {
	var out []alerts.Alert
	for _, a := range fakeAlertList {
		if len(q.Zones) == 0 || (len(q.Zones) == 1 && q.Zones[0] == a.Zone) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (f fakeAlerts) Ack(_ context.Context, id, user string) (alerts.Alert, error) {
	for _, a := range fakeAlertList {
		if a.ID == id {
			a.AckedBy, a.State = user, alerts.Acknowledged
			return a, nil
		}
	}
	return alerts.Alert{}, fmt.Errorf("alert %q: %w", id, devices.ErrNotFound)
}

func (f fakeAlerts) Zones(ctx context.Context, id string) ([]string, error) {
	a, err := f.Ack(ctx, id, "")
	return []string{a.Zone}, err
}

func (fakeAlerts) Subscribe(int) (<-chan alerts.Event, func()) {
	return make(chan alerts.Event), func() {}
}

var _ Alerter = fakeAlerts{}

// TestAlertsZoneFilteredAndAck checks that an operator sees only its zone's
// alerts and acknowledges as itself.
func TestAlertsZoneFilteredAndAck(t *testing.T) {
	f := newFixture(t, withHooks)
	resp := f.do(f.as(opA), "GET", "/api/v1/alerts", "")
	if body := readAll(resp); resp.StatusCode != 200 || !strings.Contains(body, "al-a") || strings.Contains(body, "al-b") {
		t.Fatalf("operator A's alerts: %d %s", resp.StatusCode, body)
	}
	resp = f.do(f.as(opA), "POST", "/api/v1/alerts/al-a/ack", "")
	if body := readAll(resp); resp.StatusCode != 200 || !strings.Contains(body, `"acked_by":"opa"`) {
		t.Fatalf("ack: %d %s", resp.StatusCode, body)
	}
	resp = f.do(f.as(opA), "GET", "/api/v1/alerts?state=later", "")
	if body := readAll(resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"field":"state"`) {
		t.Fatalf("bad state: %d %s", resp.StatusCode, body)
	}
}
