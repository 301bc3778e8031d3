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
	if err := run(t, d)(); err != nil {
		t.Errorf("Run: %v", err)
	}
	if err := <-wrote; err != nil {
		t.Errorf("a loop's store write after the stop signal failed (store closed under it): %v", err)
	}
}
