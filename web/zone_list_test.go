package web

import (
	"strings"
	"testing"
)

// TestZonesBroadcastWindows: GET /api/v1/zones and Loa show each zone's
// broadcast window: open, or when it next opens.
func TestZonesBroadcastWindows(t *testing.T) {
	f := newFixture(t, withHooks)
	code, body := f.call(f.as(admin), "GET", "/api/v1/zones", "")
	zs, _ := body["zones"].([]any)
	if code != 200 || len(zs) != 2 {
		t.Fatalf("zones: %d %v", code, body)
	}
	for _, z := range zs {
		m := z.(map[string]any)
		b, _ := m["broadcast"].(map[string]any)
		if b == nil {
			t.Fatalf("zone %v has no broadcast", m)
		}
		if open := m["id"] != zoneB; b["open"] != open || (b["next_open"] == nil) == !open {
			t.Errorf("zone %v: broadcast %v", m["id"], b)
		}
	}
	if _, body := f.call(f.as(opA), "GET", "/api/v1/zones", ""); len(body["zones"].([]any)) != 1 {
		t.Errorf("operator A sees zones %v", body["zones"])
	}
	_, page := f.page(f.as(admin), "GET", "/speakers", "")
	if !strings.Contains(page, "Đang trong giờ phát") || !strings.Contains(page, "Ngoài giờ phát · mở lúc ") {
		t.Errorf("Loa lacks the windows:\n%s", page)
	}
	// Without announcements, zones carry no broadcast.
	f2 := newFixture(t, nil)
	_, body = f2.call(f2.as(admin), "GET", "/api/v1/zones", "")
	if m := body["zones"].([]any)[0].(map[string]any); m["broadcast"] != nil {
		t.Errorf("broadcast without announcements: %v", m)
	}
}
