package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Problem is one thing wrong with a configuration.
type Problem struct {
	// Key is the YAML path of the bad value, with list indexes: "devices[2].zone".
	Key string
	// Value is the offending value as written, or empty when there is none
	// (a missing or unknown key).
	Value string
	// Message says what is wrong and, where it helps, what is expected.
	Message string
}

// String formats the problem as `key: message (got "value")`. The value is
// left out when it is empty or when the message already quotes it.
func (p Problem) String() string {
	if p.Value == "" || strings.Contains(p.Message, strconv.Quote(p.Value)) {
		return p.Key + ": " + p.Message
	}
	return fmt.Sprintf("%s: %s (got %q)", p.Key, p.Message, p.Value)
}

// ValidationError holds every problem found in a configuration at once.
type ValidationError struct {
	// Problems are in file order: sections as in Config, list items by index.
	Problems []Problem
}

// Error lists the problems one per line, as `key: message (got "value")`.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Keys returns the key of every problem, in order.
func (e *ValidationError) Keys() []string {
	keys := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		keys[i] = p.Key
	}
	return keys
}

// problems collects Problems while checking a Config.
type problems []Problem

// add records a problem about key with its value (formatted with %v unless it is a string).
func (ps *problems) add(key string, value any, format string, args ...any) {
	*ps = append(*ps, Problem{Key: key, Value: valueString(value), Message: say(format, args...)})
}

// err returns nil, or a *ValidationError holding the problems in file order.
func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	sorted := slices.Clone([]Problem(ps))
	slices.SortStableFunc(sorted, func(a, b Problem) int {
		return slices.Compare(orderOf(a.Key), orderOf(b.Key))
	})
	return &ValidationError{Problems: sorted}
}

// maxValueLen bounds how much of a bad value a problem repeats.
const maxValueLen = 80

// valueString formats a raw or typed value for a Problem.
func valueString(v any) string {
	var s string
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		s = v
	case time.Duration:
		s = formatDuration(v)
	case fmt.Stringer:
		s = v.String()
	default:
		s = fmt.Sprint(v)
	}
	if len(s) > maxValueLen {
		s = strings.ToValidUTF8(s[:maxValueLen], "") + "…"
	}
	return s
}

// suggest returns " (did you mean "x"?)" for the candidate closest to word
// by edit distance, or " (<what>: a, b, c)" when none is close.
func suggest(word, what string, candidates []string) string {
	best, bestDist := "", len(word)
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(word), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" && bestDist <= max(2, len(word)/3) && bestDist < len(best) {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return " (" + what + ": " + strings.Join(candidates, ", ") + ")"
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
