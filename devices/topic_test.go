package devices

import "testing"

func TestMatch(t *testing.T) {
	tests := []struct {
		filter, topic string
		want          bool
	}{
		{"a/b", "a/b", true},
		{"a/b", "a/c", false},
		{"a/b", "a/b/c", false},
		{"a/b/c", "a/b", false},
		{"a/+", "a/b", true},
		{"a/+", "a/", true},
		{"a/+", "a", false},
		{"a/+", "a/b/c", false},
		{"+/+", "/x", true},
		{"+", "a", true},
		{"+", "/a", false},
		{"a/#", "a", true},
		{"a/#", "a/b", true},
		{"a/#", "a/b/c", true},
		{"a/#", "ab", false},
		{"#", "a/b/c", true},
		{"#", "/", true},
		{"+/b/#", "x/b", true},
		{"+/b/#", "x/c/d", false},
		{"tele/+/#", "tele/dev/STATE", true},
		{"std/+/s/stat/#", "std/dev400/s/stat/RESULT", true},
		{"hamlet/khu10/+/+", "hamlet/khu10/$daemon/status", true},
		{"#", "$SYS/broker/uptime", false},
		{"+/broker/uptime", "$SYS/broker/uptime", false},
		{"$SYS/#", "$SYS/broker/uptime", true},
		{"a/#/b", "a/x/b", false},
		{"a/b#", "a/b#", false},
		{"a/+b", "a/+b", false},
		{"", "a", false},
		{"a", "", false},
		{"zigbee2mqtt/#", "zigbee2mqtt/lamp/1/set", true},
		{"A/b", "a/b", false},
	}
	for _, tt := range tests {
		if got := MatchTopic(tt.filter, tt.topic); got != tt.want {
			t.Errorf("MatchTopic(%q, %q) = %v, want %v", tt.filter, tt.topic, got, tt.want)
		}
	}
}

func TestValidFilter(t *testing.T) {
	for f, want := range map[string]bool{
		"a/b": true, "a/+/c": true, "#": true, "a/#": true, "+": true, "/": true,
		"": false, "a/#/b": false, "a#": false, "a/b+": false, "##": false, "a\x00": false,
	} {
		if got := ValidFilter(f); got != want {
			t.Errorf("ValidFilter(%q) = %v, want %v", f, got, want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	f.Add("a/+/#", "a/b/c")
	f.Add("#", "$SYS/x")
	f.Fuzz(func(t *testing.T, filter, topic string) {
		got := MatchTopic(filter, topic)
		if filter == topic && got != ValidFilter(filter) && topic != "" {
			// A valid filter without wildcards matches itself.
			if ValidFilter(filter) && !containsWildcard(filter) && !got {
				t.Fatalf("MatchTopic(%q, %q) = false", filter, topic)
			}
		}
		if filter == "#" && topic != "" && topic[0] != '$' && !got {
			t.Fatalf("# does not match %q", topic)
		}
	})
}

func containsWildcard(s string) bool {
	for _, c := range s {
		if c == '+' || c == '#' {
			return true
		}
	}
	return false
}
