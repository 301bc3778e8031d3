package web

import (
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
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

// TestLightsPageProgrammeEditor: every role sees each zone's programme list
// (filled by the script from /api/v1/schedules); only operators and admins
// get the editor's forms and the "add" button, and an operator limited to
// zones is told so (data-all-zones) for the script's edit check.
func TestLightsPageProgrammeEditor(t *testing.T) {
	f := newFixture(t, withHooks)
	_, body := f.page(f.as(opA), "GET", "/lights", "")
	for _, want := range []string{`data-progs="ngo-a"`, `data-prog-new`, `id="prog-tpl"`, `id="step-tpl"`, `id="exc-tpl"`,
		`value="civil_dusk"`, `name="day" value="mon"`, `data-all-zones="false"`, "Chương trình đèn của khu"} {
		if !strings.Contains(body, want) {
			t.Errorf("operator's Đèn lacks %q", want)
		}
	}
	if strings.Contains(body, `data-progs="ngo-b"`) {
		t.Error("operator of ngo-a sees ngo-b's programmes")
	}
	_, body = f.page(f.as(viewer), "GET", "/lights", "")
	if !strings.Contains(body, `data-progs="ngo-a"`) || strings.Contains(body, "prog-tpl") || strings.Contains(body, "data-prog-new") {
		t.Error("a viewer should see the programme list and no editor")
	}
}

// TestLightsPageHidesTheSliderOfARelay: a lamp that reports on or off and
// no brightness cannot dim and gets no brightness slider; a dimmer and a
// lamp not heard yet do.
func TestLightsPageHidesTheSliderOfARelay(t *testing.T) {
	f := newFixture(t, nil)
	f.reg.Observe(devices.AddressOf(testDevices()[0]), devices.Report{Availability: devices.Online,
		Light: &devices.LightState{On: on(true)}}, false, f.clock.Now())
	f.reg.Observe(devices.AddressOf(testDevices()[1]), devices.Report{Availability: devices.Online,
		Light: &devices.LightState{On: on(false), Brightness: pct(60)}}, false, f.clock.Now())
	_, body := f.page(f.as(admin), "GET", "/lights", "")
	for id, hidden := range map[string]bool{testDevices()[0].ID: true, testDevices()[1].ID: false, testDevices()[3].ID: false} {
		lamp, _, _ := strings.Cut(body[strings.Index(body, `data-device="`+id+`"`):], `data-result`)
		slider := lamp[strings.Index(lamp, "data-bright"):]
		slider, _, _ = strings.Cut(slider, ">")
		if got := strings.Contains(slider, "hidden"); got != hidden {
			t.Errorf("%s: slider hidden %v, want %v: %s", id, got, hidden, lamp)
		}
	}
}
