package web

import (
	"strings"
	"testing"
)

// TestSpeakersPageWindows: Loa marks each zone's broadcast window status
// with data-window, for the script that refreshes it from /api/v1/zones,
// both beside the zone's checkbox and in the speakers by zone.
func TestSpeakersPageWindows(t *testing.T) {
	f := newFixture(t, withHooks)
	_, body := f.page(f.as(admin), "GET", "/speakers", "")
	for _, want := range []string{`data-window="` + zoneA + `" aria-live="polite">Đang trong giờ phát`, `class="muted win closed" data-window="` + zoneB + `"`, "Ngoài giờ phát · mở lúc "} {
		if !strings.Contains(body, want) {
			t.Errorf("Loa lacks %q", want)
		}
	}
	if n := strings.Count(body, `data-window="`+zoneB+`"`); n != 2 {
		t.Errorf("zone B's window is marked %d times, want 2 (form and speakers by zone)", n)
	}
}
