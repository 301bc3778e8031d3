package web

import (
	"context"
	"sync"
	"time"
)

// dedupeFor is how long a command's Idempotency-Key is remembered.
const dedupeFor = 2 * time.Minute

// recentCommands remembers the commands sent with an Idempotency-Key, per
// caller, so that a repeated request (a double tap, a retry after a lost
// answer) gets the first one's answer instead of switching the lamps again.
type recentCommands struct {
	mu sync.Mutex
	m  map[string]*recentCommand
}

// recentCommand is one remembered command; done closes when it has answered.
type recentCommand struct {
	done chan struct{}
	at   time.Time
	res  CommandResult
	ok   bool
}

// begin returns the command remembered under key and whether this call is
// the first (and so must send it and call finish).
func (rc *recentCommands) begin(key string, now time.Time) (*recentCommand, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.m == nil {
		rc.m = map[string]*recentCommand{}
	}
	for k, c := range rc.m {
		if now.Sub(c.at) > dedupeFor {
			delete(rc.m, k)
		}
	}
	if c, ok := rc.m[key]; ok {
		return c, false
	}
	c := &recentCommand{done: make(chan struct{}), at: now}
	rc.m[key] = c
	return c, true
}

// finish records the first request's answer; a failed one is forgotten so
// that the caller may try again with the same key.
func (rc *recentCommands) finish(key string, c *recentCommand, res CommandResult, ok bool) {
	rc.mu.Lock()
	c.res, c.ok = res, ok
	if !ok {
		delete(rc.m, key)
	}
	rc.mu.Unlock()
	close(c.done)
}

// wait returns the first request's answer once it has one.
func (c *recentCommand) wait(ctx context.Context) (CommandResult, bool) {
	select {
	case <-c.done:
		return c.res, c.ok
	case <-ctx.Done():
		return CommandResult{}, false
	}
}
