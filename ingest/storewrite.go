package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// DefaultStoreTimeout is the Options.StoreTimeout used when it is zero.
const DefaultStoreTimeout = 5 * time.Second

// maxStuckWrites bounds the store writes left running after their deadline.
// Beyond it the store is taken as stuck and writes are skipped at once
// (counted and logged like a failed write) until one finishes.
const maxStuckWrites = 16

// errStoreStuck is returned for a write skipped because too many earlier
// writes are still stuck.
var errStoreStuck = errors.New("ingest: store writes stuck; write skipped")

// storeWrite runs one write to the store, named what, with a deadline of
// Options.StoreTimeout. The write runs on its own goroutine, so that a write
// stuck where its context does not reach (a disk that stopped answering
// inside SQLite) holds the calling worker no longer than the deadline: the
// worker goes on, the timeout is counted (hamlet_ingest_store_timeouts_total)
// and logged, and the write ends by itself later, counted meanwhile by
// hamlet_ingest_store_writes_stuck. At most maxStuckWrites are left running.
func (p *Pipeline) storeWrite(what string, write func(context.Context) error) error {
	if p.stuck.Load() >= maxStuckWrites {
		p.m.storeTimeouts.Inc()
		return errStoreStuck
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.opts.StoreTimeout)
	done := make(chan error, 1)
	go func() {
		defer cancel()
		done <- write(ctx)
	}()
	t := time.NewTimer(p.opts.StoreTimeout)
	defer t.Stop()
	select {
	case err := <-done:
		if err != nil && errors.Is(err, context.DeadlineExceeded) {
			p.timedOut(what) // the store gave up at the deadline itself
		}
		return err
	case <-t.C:
	}
	p.stuck.Add(1)
	p.m.storeStuck.Inc()
	go func() {
		<-done
		p.stuck.Add(-1)
		p.m.storeStuck.Dec()
	}()
	p.timedOut(what)
	return fmt.Errorf("ingest: %s: no answer from the store within %v: %w", what, p.opts.StoreTimeout, context.DeadlineExceeded)
}

// timedOut counts and logs (rate-limited) a store write that missed its deadline.
func (p *Pipeline) timedOut(what string) {
	p.m.storeTimeouts.Inc()
	p.limiter.Log(p.log, slog.LevelError, "store-timeout", "store write timed out; going on without it",
		"write", what, "timeout", p.opts.StoreTimeout, "stuck", p.stuck.Load())
}
