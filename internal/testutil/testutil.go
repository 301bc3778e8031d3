// Package testutil holds helpers shared by hamlet's tests: polling
// (Eventually), an injected clock (Clock) and what to do when something outside the repository is
// missing (Unavailable). Only _test.go files and the test support package
// internal/testsvc import it (internal/deps keeps it so).
package testutil

import (
	"os"
	"strings"
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

// RequireEnv is the environment variable that, set to 1 (as `make test` and
// CI do), turns anything a test needs from outside the repository (a server,
// a tool, the shared sample corpus) from a reason to skip into a failure.
const RequireEnv = "HAMLET_REQUIRE_SERVICES"

// Unavailable ends t because something it needs from outside the repository
// is missing: what names it (with its path or the error), fix says how to get
// it. It skips t, or fails it when RequireEnv is 1, so that a run that must
// test everything cannot pass by skipping.
func Unavailable(t testing.TB, what, fix string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s, but %s=1 requires it; %s", what, RequireEnv, fix)
		return
	}
	t.Skipf("skipped: %s; %s", what, fix)
}

// DaemonEnv is the test's environment without HAMLET_* variables, for a
// hamletd the test starts: a developer's loaded services env
// (HAMLET_MQTT_BROKER, ...) would otherwise override the test's config.
func DaemonEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HAMLET_") {
			env = append(env, kv)
		}
	}
	return env
}
