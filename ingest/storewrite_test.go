package ingest

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hamlet-vn/hamlet/devices"
	hamtest "github.com/hamlet-vn/hamlet/internal/testutil"
)

// stuckStore is a store whose RecordTransitions never answers until
// released, ignoring its context, as a write to a disk that stopped
// answering would.
type stuckStore struct {
	fakeStore
	release chan struct{}
}

func (s *stuckStore) RecordTransitions(context.Context, []devices.Transition) error {
	<-s.release
	return nil
}

// TestStuckStoreWriteDoesNotHangTheWorker checks that a store write that
// never answers holds a message's handling no longer than the store
// deadline, is counted and tracked while stuck, and that beyond
// maxStuckWrites further writes are skipped at once.
func TestStuckStoreWriteDoesNotHangTheWorker(t *testing.T) {
	p, _, _, _, _ := newTest(t, func(string, []byte, bool) ([]devices.Report, error) {
		return []devices.Report{{Protocol: devices.Tasmota, Key: "den_01", Availability: devices.Offline}}, nil
	})
	st := &stuckStore{release: make(chan struct{})}
	p.opts.Store, p.opts.StoreTimeout = st, 20*time.Millisecond

	handled := make(chan struct{})
	go func() {
		p.Handle("tele/den_01/LWT", []byte("Offline"), true, func() {})
		close(handled)
	}()
	select {
	case <-handled:
	case <-time.After(5 * time.Second):
		close(st.release)
		t.Fatal("Handle still blocked on a stuck store write after 5s (deadline 20ms)")
	}
	if n := testutil.ToFloat64(p.m.storeTimeouts); n != 1 {
		t.Errorf("store timeouts = %v, want 1", n)
	}
	if n := testutil.ToFloat64(p.m.storeStuck); n != 1 {
		t.Errorf("stuck writes = %v, want 1", n)
	}
	if n := testutil.ToFloat64(p.m.storeErrors); n != 1 {
		t.Errorf("store errors = %v, want 1", n)
	}

	// Fill the bound of stuck writes; the next write is skipped at once.
	for range maxStuckWrites - 1 {
		p.Record([]devices.Transition{{To: devices.Online}})
	}
	if n := testutil.ToFloat64(p.m.storeStuck); n != maxStuckWrites {
		t.Fatalf("stuck writes = %v, want %d", n, maxStuckWrites)
	}
	p.Record([]devices.Transition{{To: devices.Online}})
	if n := testutil.ToFloat64(p.m.storeStuck); n != maxStuckWrites { // not started, so not stuck
		t.Errorf("stuck writes = %v after a write beyond the bound, want %d (skipped)", n, maxStuckWrites)
	}
	if n := testutil.ToFloat64(p.m.storeTimeouts); n != maxStuckWrites+1 {
		t.Errorf("store timeouts = %v, want %d", n, maxStuckWrites+1)
	}

	close(st.release) // the disk answers again
	hamtest.Eventually(t, 5*time.Second, "stuck writes counted down after the store answered", func() bool {
		return testutil.ToFloat64(p.m.storeStuck) == 0
	})
}
