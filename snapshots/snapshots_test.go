package snapshots

import (
	"testing"
	"time"
)

func TestKeeperKeepsLatestJPEG(t *testing.T) {
	k := New()
	t0 := time.Date(2026, 11, 1, 18, 0, 0, 0, time.UTC)
	if _, ok := k.Latest("cam"); ok {
		t.Fatal("Latest on an empty keeper")
	}
	first := []byte{0xFF, 0xD8, 0xFF, 1}
	if !k.Put("cam", "person", first, t0) {
		t.Fatal("a JPEG was refused")
	}
	first[3] = 9 // the keeper owns a copy
	if !k.Put("cam", "car", []byte{0xFF, 0xD8, 0xFF, 2}, t0.Add(time.Second)) {
		t.Fatal("second JPEG refused")
	}
	s, ok := k.Latest("cam")
	if !ok || s.JPEG[3] != 2 || s.Object != "car" || !s.At.Equal(t0.Add(time.Second)) {
		t.Fatalf("Latest = %+v, %v", s, ok)
	}
	for name, bad := range map[string][]byte{"empty": nil, "text": []byte("ON"), "huge": append([]byte{0xFF, 0xD8}, make([]byte, MaxBytes)...)} {
		if k.Put("cam", "x", bad, t0) {
			t.Errorf("%s payload kept", name)
		}
	}
}
