package mqttlink

import (
	"github.com/hamlet-vn/hamlet/devices"

	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxTopicLen is the longest topic name or filter MQTT can encode.
const maxTopicLen = 65535

// ValidateTopic reports whether topic is a valid MQTT topic name to publish
// on: non-empty, valid UTF-8 without NUL, at most 65535 bytes, and without the
// wildcards '+' and '#'.
func ValidateTopic(topic string) error {
	if err := validateCommon(topic); err != nil {
		return fmt.Errorf("topic %q: %w", topic, err)
	}
	if strings.ContainsAny(topic, "+#") {
		return fmt.Errorf("topic %q: wildcards '+' and '#' are not allowed in a topic name", topic)
	}
	return nil
}

// ValidateFilter reports whether filter is a valid MQTT subscription filter:
// the rules of ValidateTopic, except that '+' may fill a whole level and '#'
// may fill the last level. A shared subscription "$share/<group>/<filter>" is
// accepted.
func ValidateFilter(filter string) error {
	if err := validateCommon(filter); err != nil {
		return fmt.Errorf("filter %q: %w", filter, err)
	}
	f, err := unshare(filter)
	if err != nil {
		return fmt.Errorf("filter %q: %w", filter, err)
	}
	levels := strings.Split(f, "/")
	for i, level := range levels {
		switch {
		case level == "#" && i != len(levels)-1:
			return fmt.Errorf("filter %q: '#' must be the last level", filter)
		case level != "#" && strings.Contains(level, "#"):
			return fmt.Errorf("filter %q: '#' must fill a whole level", filter)
		case level != "+" && strings.Contains(level, "+"):
			return fmt.Errorf("filter %q: '+' must fill a whole level", filter)
		}
	}
	return nil
}

func validateCommon(s string) error {
	switch {
	case s == "":
		return errors.New("must not be empty")
	case len(s) > maxTopicLen:
		return fmt.Errorf("is %d bytes long, more than %d", len(s), maxTopicLen)
	case !utf8.ValidString(s):
		return errors.New("is not valid UTF-8")
	case strings.ContainsRune(s, 0):
		return errors.New("contains NUL")
	}
	return nil
}

// unshare strips the "$share/<group>/" prefix of a shared subscription.
func unshare(filter string) (string, error) {
	rest, ok := strings.CutPrefix(filter, "$share/")
	if !ok {
		return filter, nil
	}
	group, f, ok := strings.Cut(rest, "/")
	if !ok || group == "" || f == "" || strings.ContainsAny(group, "+#") {
		return "", errors.New("a shared subscription must be $share/<group>/<filter>")
	}
	return f, nil
}

// MatchTopic reports whether topic matches the subscription filter, a
// shared subscription ("$share/<group>/<filter>") matching as its filter.
// The matching itself is the domain's (devices.MatchTopic).
func MatchTopic(filter, topic string) bool {
	if f, err := unshare(filter); err == nil {
		filter = f
	}
	return devices.MatchTopic(filter, topic)
}
