package clockguard

import (
	"testing"
	"time"
)

func TestCorrectionIsExactAfterNTPSteps(t *testing.T) {
	c := &fakeClock{wall: time.Date(1970, 1, 1, 0, 0, 30, 0, time.UTC)}
	g := newGuard(c, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC))
	s := g.Stamp()
	if _, ok := g.Correction(s); ok {
		t.Fatal("a correction while the clock is implausible")
	}
	c.tick(25 * time.Second)
	ntp := time.Date(2026, 12, 4, 19, 0, 0, 0, time.UTC)
	c.step(ntp)
	c.tick(5 * time.Second)
	g.Check()
	d, ok := g.Correction(s)
	if !ok {
		t.Fatal("no correction once plausible")
	}
	if got, want := s.Wall.Add(d), ntp.Add(-25*time.Second); !got.Equal(want) {
		t.Errorf("corrected %s, want %s", got, want)
	}
}

func TestHoldKeepsAPrefixAndCountsTheRest(t *testing.T) {
	h := Hold[int]{Max: 3}
	for i := range 5 {
		kept := h.Add(Stamp{Mono: time.Duration(i)}, i, 1)
		if kept != (i < 3) {
			t.Errorf("item %d kept = %v", i, kept)
		}
	}
	if held, lost := h.Len(); held != 3 || lost != 2 {
		t.Errorf("Len = %d, %d", held, lost)
	}
	items, lost, first := h.Take()
	if len(items) != 3 || items[2].Item != 2 || lost != 2 || first.Mono != 3 {
		t.Errorf("Take = %v, %d, %v", items, lost, first)
	}
	if held, lost := h.Len(); held != 0 || lost != 0 {
		t.Errorf("after Take: %d, %d", held, lost)
	}
}
