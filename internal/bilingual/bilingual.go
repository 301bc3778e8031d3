// Package bilingual checks the rule for everything a person reads in
// hamlet: Vietnamese first, then " / ", then English, with no English words
// inside the Vietnamese half. Tests of web, config, accounts and the command
// line use it on their messages.
package bilingual

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// quoted matches literal values, which may be in any language: "light",
// 'x', `--role`.
var quoted = regexp.MustCompile("\"[^\"]*\"|'[^']*'|`[^`]*`|“[^”]*”")

// english are words that betray English in the Vietnamese half. Literal
// values (quoted, or containing digits or . / _ - : = % $ + #) are not
// words; names such as MQTT, JSON, Tasmota or QoS are not listed.
var english = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the is are be not no yes must want wants need needs got
		of to for in on at by with from and or but if then else only also too many try again see use
		unknown invalid bad wrong missing empty required error errors failed found available allowed
		forbidden expired signed sign session sessions user users name password passwords token tokens
		role roles admin operator viewer device devices light lights speaker speakers zone zones
		command commands announcement announcements media schedule schedules uptime alert alerts
		accounts account key keys value values file path flag flags arg args argument arguments
		accepts received help usage broker topic firmware discovery log level set here this that`) {
		m[w] = true
	}
	return m
}()

// Check returns nil if msg is "Vietnamese / English" by the rule, else an
// error saying what is wrong.
func Check(msg string) error {
	vi, en, ok := strings.Cut(msg, " / ")
	if !ok || strings.TrimSpace(vi) == "" || strings.TrimSpace(en) == "" {
		return fmt.Errorf("%q is not \"Vietnamese / English\"", msg)
	}
	if !strings.ContainsFunc(vi, func(r rune) bool { return r > unicode.MaxASCII && unicode.IsLetter(r) }) {
		return fmt.Errorf("the first half of %q is not Vietnamese", msg)
	}
	words := strings.FieldsFunc(quoted.ReplaceAllString(vi, " "), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;()!?…", r)
	})
	for _, w := range words {
		w = strings.TrimRight(w, ".:")
		if w == "" || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
			continue // a literal: 10m, mqtt.username, --role, %s
		}
		if english[strings.ToLower(w)] {
			return fmt.Errorf("the Vietnamese half of %q has the English word %q", msg, w)
		}
	}
	return nil
}
