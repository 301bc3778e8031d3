package web

import (
	"strings"
	"testing"
)

// TestLightsPageShowsTonightsProgramme: Đèn shows each zone's programme
// with tonight's actual step times, and the return-to-programme buttons
// only to operators.
func TestLightsPageShowsTonightsProgramme(t *testing.T) {
	f := newFixture(t, withHooks)
	_, body := f.page(f.as(opA), "GET", "/lights", "")
	for _, want := range []string{"Chương trình: ", "<b>17:26</b> Bật 100%", "10m)</span>", "<b>22:26</b> Tắt", "data-release", "data-release-zone"} {
		if !strings.Contains(body, want) {
			t.Errorf("Đèn lacks %q:\n%s", want, body)
		}
	}
	_, body = f.page(f.as(viewer), "GET", "/lights", "")
	if !strings.Contains(body, "10m)</span>") || strings.Contains(body, "data-release") {
		t.Error("a viewer sees the programme and no return button")
	}
}
