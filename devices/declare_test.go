package devices

import (
	"testing"
	"time"
)

func TestDeclareAddsUpdatesAndRefusesANewAddress(t *testing.T) {
	now := time.Now()
	r := NewRegistry([]Device{{ID: "den-1", Kind: Light, Zone: "a", Protocol: Tasmota, Topic: "den_1"}}, nil, now)
	if changed, ok := r.Declare(Device{ID: "den-2", Kind: Light, Zone: "a", Protocol: Tasmota, Topic: "den_2"}, now); !changed || !ok {
		t.Fatalf("new device: changed=%v ok=%v", changed, ok)
	}
	if d, ok := r.Lookup(Address{Protocol: Tasmota, Key: "den_2"}); !ok || d.ID != "den-2" {
		t.Fatalf("den-2 not found by its address: %+v", d)
	}
	if changed, ok := r.Declare(Device{ID: "den-1", Name: "Đèn 1", Kind: Light, Zone: "b", Protocol: Tasmota, Topic: "den_1"}, now); !changed || !ok {
		t.Fatalf("moved device: changed=%v ok=%v", changed, ok)
	}
	if st, _ := r.Get("den-1"); st.Zone != "b" || st.Name != "Đèn 1" {
		t.Fatalf("den-1 = %+v", st.Device)
	}
	if changed, ok := r.Declare(Device{ID: "den-1", Kind: Light, Zone: "b", Protocol: Tasmota, Topic: "den_x"}, now); changed || ok {
		t.Fatalf("a new topic for a known id: changed=%v ok=%v, want a refusal", changed, ok)
	}
}
