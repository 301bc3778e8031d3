package devices

import "strings"

// MatchTopic reports whether topic matches the MQTT topic filter, with the
// wildcards of MQTT 3.1.1 §4.7: "+" matches exactly one level (which may be
// empty), "#" as the last level matches any number of levels including none
// ("a/#" matches "a"), and filters starting with a wildcard do not match
// topics starting with "$" ([MQTT-4.7.2-1]). A malformed filter ("#" not last,
// a wildcard sharing a level with other characters) matches nothing.
func MatchTopic(filter, topic string) bool {
	if filter == "" || topic == "" || !ValidFilter(filter) {
		return false
	}
	if strings.HasPrefix(topic, "$") && (filter[0] == '+' || filter[0] == '#') {
		return false
	}
	for {
		fl, frest, fmore := strings.Cut(filter, "/")
		tl, trest, tmore := strings.Cut(topic, "/")
		switch {
		case fl == "#":
			return true
		case fl != "+" && fl != tl:
			return false
		}
		switch {
		case !fmore && !tmore:
			return true
		case !tmore:
			// The topic ended: only a trailing "/#" still matches.
			return frest == "#"
		case !fmore:
			return false
		}
		filter, topic = frest, trest
	}
}

// ValidFilter reports whether filter is a well-formed MQTT topic filter:
// non-empty, "#" only as the whole last level, "+" only as a whole level.
func ValidFilter(filter string) bool {
	if filter == "" {
		return false
	}
	// One pass over the bytes, without allocating: MatchTopic checks the
	// filter of every received message.
	level := 0 // start of the current level
	for i := 0; i < len(filter); i++ {
		switch filter[i] {
		case 0:
			return false
		case '/':
			level = i + 1
		case '+', '#':
			last := i+1 == len(filter)
			if i != level || !last && filter[i+1] != '/' || filter[i] == '#' && !last {
				return false
			}
		}
	}
	return true
}
