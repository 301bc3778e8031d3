// Package testutil holds helpers shared by hamlet's tests. It is imported by
// _test.go files only (a repository test keeps it so).
package testutil

import (
	"testing"
	"time"
)

// pollEvery is how often Eventually checks its condition: a polling
// interval, not a wait for a scheduler.
const pollEvery = 5 * time.Millisecond

// Eventually checks cond every few milliseconds until it holds, and fails
// the test with "timed out after <within> waiting for <what>" when within
// passes first. It must be called from the test's goroutine.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", within, what)
		}
		time.Sleep(pollEvery)
	}
}
