package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/config"
)

// fakeReloader records the configs it is given.
type fakeReloader struct{ got []config.Config }

func (f *fakeReloader) Reload(cfg config.Config) ([]string, error) {
	f.got = append(f.got, cfg)
	return []string{"mqtt"}, nil
}

func TestReloadKeepsTheRunningConfigOnBadInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hamlet.yaml")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	e := &env{getenv: func(string) string { return "" }}
	f := &fakeReloader{}

	os.WriteFile(path, []byte("alerts: {clear_after: -1s}\nmqtt: {workers: 0}\n"), 0o600)
	reload(e, path, f, log)
	if len(f.got) != 0 {
		t.Fatal("a config that fails validation was applied")
	}
	for _, key := range []string{"key=alerts.clear_after", "key=mqtt.workers", "the running config stays"} {
		if !strings.Contains(logs.String(), key) {
			t.Errorf("the log does not name %q:\n%s", key, logs.String())
		}
	}

	logs.Reset()
	os.WriteFile(path, []byte("alerts: {clear_after: 5m}\n"), 0o600)
	reload(e, path, f, log)
	if len(f.got) != 1 || f.got[0].Alerts.ClearAfter.Minutes() != 5 {
		t.Fatalf("a good config was not applied: %+v", f.got)
	}
	if !strings.Contains(logs.String(), "needs a restart") || !strings.Contains(logs.String(), "key=mqtt") {
		t.Errorf("keys needing a restart are not logged:\n%s", logs.String())
	}
}
