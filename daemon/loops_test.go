package daemon_test

import (
	"context"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/daemon"
)

// TestLoopsStopBeforeTheStoreCloses runs a background loop that, once told
// to stop, still writes to the store (as a heartbeat in flight does). The
// store must still be open: Run waits for its loops before closing parts.
func TestLoopsStopBeforeTheStoreCloses(t *testing.T) {
	cfg := testConfig(t, "embedded")
	d := daemon.New(cfg, daemon.Options{Logger: testLogger(t), Version: "test", ShutdownTimeout: 5 * time.Second})
	wrote := make(chan error, 1)
	daemon.AddLoopForTest(d, "late-writer", func(ctx context.Context, d *daemon.Daemon) error {
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond) // stop() would close the store meanwhile
		err := daemon.HeartbeatForTest(context.Background(), d)
		wrote <- err
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	select {
	case <-d.Ready():
	case err := <-done:
		t.Fatalf("daemon stopped before ready: %v", err)
	case <-time.After(15 * time.Second):
		t.Fatal("daemon not ready within 15s")
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("daemon did not stop within 10s")
	}
	if err := <-wrote; err != nil {
		t.Errorf("a loop's store write after the stop signal failed (store closed under it): %v", err)
	}
}
