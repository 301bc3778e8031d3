package mqttlink

import (
	"strings"
	"testing"
)

func TestMatchTopic(t *testing.T) {
	tests := []struct {
		filter, topic string
		want          bool
	}{
		{"a/b", "a/b", true},
		{"a/b", "a/c", false},
		{"a/+", "a/b", true},
		{"a/+", "a/b/c", false},
		{"a/+/c", "a/b/c", true},
		{"a/#", "a", true},
		{"a/#", "a/b/c", true},
		{"#", "a/b", true},
		{"+", "a", true},
		{"+/+", "a/", true},
		{"+", "", false}, // MQTT topics are never empty
		{"a/+", "a", false},
		{"a/b/c", "a/b", false},
		{"#", "$SYS/x", false},
		{"+/x", "$SYS/x", false},
		{"$SYS/#", "$SYS/x", true},
		{"hamlet/+/$daemon/status", "hamlet/khu10/$daemon/status", true},
		{"$share/g/a/+", "a/b", true},
		{"tasmota/discovery/#", "tasmota/discovery/AABBCC/config", true},
	}
	for _, tt := range tests {
		if got := MatchTopic(tt.filter, tt.topic); got != tt.want {
			t.Errorf("MatchTopic(%q, %q) = %v, want %v", tt.filter, tt.topic, got, tt.want)
		}
	}
}

func TestValidateFilter(t *testing.T) {
	for _, f := range []string{"a", "a/b", "#", "+", "a/+/c", "a/#", "/", "$share/g/a/#"} {
		if err := ValidateFilter(f); err != nil {
			t.Errorf("ValidateFilter(%q) = %v, want nil", f, err)
		}
	}
	bad := map[string]string{
		"":          "must not be empty",
		"a/#/b":     "'#' must be the last level",
		"a#":        "'#' must fill a whole level",
		"a/b+":      "'+' must fill a whole level",
		"a\x00b":    "contains NUL",
		"\xff":      "not valid UTF-8",
		"$share/g":  "$share/<group>/<filter>",
		"$share//a": "$share/<group>/<filter>",
	}
	for f, want := range bad {
		err := ValidateFilter(f)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ValidateFilter(%q) = %v, want error containing %q", f, err, want)
		}
	}
}

func TestValidateTopic(t *testing.T) {
	if err := ValidateTopic("hamlet/khu10/den-01/cmd"); err != nil {
		t.Errorf("valid topic: %v", err)
	}
	for _, topic := range []string{"", "a/+", "a/#", strings.Repeat("a", 65536)} {
		if err := ValidateTopic(topic); err == nil {
			t.Errorf("ValidateTopic(%.20q) = nil, want an error", topic)
		}
	}
}
