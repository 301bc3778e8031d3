package web

import "testing"

// TestOverrideClear: an operator returns a light of its zone to the
// programme (audited as override.clear); a camera is not a light.
func TestOverrideClear(t *testing.T) {
	f := newFixture(t, withHooks)
	code, body := f.call(f.as(opA), "DELETE", "/api/v1/lights/den-a1/override", "")
	if code != 200 || body["override"] != nil {
		t.Fatalf("clear: %d %v", code, body)
	}
	if e, ok := f.findAudit("override.clear", "ok"); !ok || e.Target != "devices:den-a1" {
		t.Fatalf("audit: %+v %v", e, ok)
	}
	code, body = f.call(f.as(admin), "DELETE", "/api/v1/lights/cam-b1/override", "")
	if code != 400 || body["field"] != "id" {
		t.Fatalf("camera: %d %v", code, body)
	}
	if code, _ := f.call(f.as(admin), "DELETE", "/api/v1/lights/nope/override", ""); code != 404 {
		t.Fatalf("unknown: %d", code)
	}
}
