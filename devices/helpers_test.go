package devices

import (
	"math"
	"strings"
	"testing"
)

func TestPercent(t *testing.T) {
	for _, tt := range []struct {
		v, top float64
		want   int
		ok     bool
	}{
		{0, 254, 0, true}, {254, 254, 100, true}, {127, 254, 50, true}, {255, 255, 100, true},
		{-1, 254, 0, false}, {255, 254, 0, false}, {math.NaN(), 254, 0, false}, {1, 0, 0, false},
	} {
		if got, ok := Percent(tt.v, tt.top); got != tt.want || ok != tt.ok {
			t.Errorf("Percent(%v, %v) = %d, %v", tt.v, tt.top, got, ok)
		}
	}
	for p, want := range map[int]int{0: 0, 50: 127, 100: 254, 101: 254, -5: 0} {
		if got := FromPercent(p, 254); got != want {
			t.Errorf("FromPercent(%d) = %d, want %d", p, got, want)
		}
	}
}

func TestCheckText(t *testing.T) {
	if err := CheckText([]byte("ok")); err != nil {
		t.Error(err)
	}
	if err := CheckText([]byte("\xff")); err == nil || err.Reason != ReasonBinary {
		t.Errorf("binary: %v", err)
	}
	if err := CheckText(make([]byte, MaxPayload+1)); err == nil || err.Reason != ReasonTooLarge {
		t.Errorf("large: %v", err)
	}
}

func TestCheckTopicAndQuote(t *testing.T) {
	for topic, ok := range map[string]bool{"a/b": true, "": false, "a/+": false, "a/#": false, "a\x00": false, "\xff": false} {
		if err := CheckTopic(topic); (err == nil) != ok {
			t.Errorf("CheckTopic(%q) = %v", topic, err)
		}
	}
	if q := Quote(strings.Repeat("x", 100)); len(q) > 50 {
		t.Errorf("Quote did not cut: %s", q)
	}
	if *Bool(true) != true || *Int(3) != 3 || *String("s") != "s" {
		t.Error("pointer helpers")
	}
}
