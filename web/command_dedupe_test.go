package web

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestDoubleTapSendsOneCommand(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	cmd := &fakeCommander{fn: func(ctx context.Context, req CommandRequest, u User) (CommandResult, error) {
		calls.Add(1)
		<-release
		return CommandResult{ID: "c-1", Results: []DeviceResult{{Device: "den-a1", Status: "confirmed"}}}, nil
	}}
	f := newFixture(t, func(o *Options) { withHooks(o); o.Commander = cmd })
	a := f.as(opA)
	body := `{"target":{"devices":["den-a1"]},"set":{"on":true}}`
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _ = f.call(a, "POST", "/api/v1/commands", body, "Idempotency-Key", "tap-1")
		}()
	}
	for calls.Load() == 0 {
		// the first request reached the commander; the second waits on it
		select {
		case <-t.Context().Done():
			t.Fatal("no command sent")
		default:
			runtime.Gosched()
		}
	}
	close(release)
	wg.Wait()
	if calls.Load() != 1 || statuses[0] != http.StatusOK || statuses[1] != http.StatusOK {
		t.Fatalf("commander called %d times, statuses %v; want once, both 200", calls.Load(), statuses)
	}
	// Another key, or another caller with the same key, sends again.
	f.call(a, "POST", "/api/v1/commands", body, "Idempotency-Key", "tap-2")
	f.call(f.as(admin), "POST", "/api/v1/commands", body, "Idempotency-Key", "tap-1")
	if calls.Load() != 3 {
		t.Errorf("commander called %d times, want 3", calls.Load())
	}
}
