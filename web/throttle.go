package web

import (
	"sync"
	"time"
)

// LoginLimits bound failed sign-ins without letting anyone lock an account
// out for its owner (see "Sign-in throttling" in docs/api.md):
//
//   - per (account, client address): the first FreeTries failures cost
//     nothing; after that each failure makes that address wait for that
//     account, BaseDelay after the first and doubling up to MaxDelay. Other
//     addresses are not slowed down.
//   - per account, from all addresses: PerAccount failures within Window
//     refuse the account until the oldest leaves the window (distributed
//     guessing).
//   - per client address, for all accounts: PerAddress failures within
//     Window refuse the address (one client guessing many accounts).
type LoginLimits struct {
	FreeTries  int           // failures of one account from one address before delays start; default 3
	BaseDelay  time.Duration // first delay; default 1m
	MaxDelay   time.Duration // longest delay; default 15m
	PerAccount int           // failures of one account from all addresses within Window; default 100
	PerAddress int           // failures from one address within Window; default 30
	Window     time.Duration // default 15m
}

func (l *LoginLimits) fill() {
	if l.FreeTries <= 0 {
		l.FreeTries = 3
	}
	if l.BaseDelay <= 0 {
		l.BaseDelay = time.Minute
	}
	if l.MaxDelay <= 0 {
		l.MaxDelay = 15 * time.Minute
	}
	if l.PerAccount <= 0 {
		l.PerAccount = 100
	}
	if l.PerAddress <= 0 {
		l.PerAddress = 30
	}
	if l.Window <= 0 {
		l.Window = 15 * time.Minute
	}
}

// delay is how long (account, address) waits after n failures.
func (l *LoginLimits) delay(n int) time.Duration {
	if n < l.FreeTries {
		return 0
	}
	d := l.BaseDelay
	for i := l.FreeTries; i < n && d < l.MaxDelay; i++ {
		d *= 2
	}
	return min(d, l.MaxDelay)
}

// throttle is the sign-in limiter. It is safe for concurrent use.
type throttle struct {
	limits   LoginLimits
	accounts *limiter
	addrs    *limiter
	pairs    *backoff
}

func newThrottle(l LoginLimits) *throttle {
	return &throttle{limits: l,
		accounts: newLimiter(l.PerAccount, l.Window),
		addrs:    newLimiter(l.PerAddress, l.Window),
		pairs:    newBackoff(l.delay, l.MaxDelay+l.Window),
	}
}

// wait returns how long a sign-in as account from addr must wait; zero if it may try.
func (t *throttle) wait(account, addr string, now time.Time) time.Duration {
	return max(t.pairs.wait(pairKey(account, addr), now),
		t.accounts.wait(account, now), t.addrs.wait(addr, now))
}

// fail records a failed sign-in as account from addr.
func (t *throttle) fail(account, addr string, now time.Time) {
	t.pairs.fail(pairKey(account, addr), now)
	t.accounts.fail(account, now)
	t.addrs.fail(addr, now)
}

// succeed forgets the delay of account from addr. The account and address
// keep their counts, so that one valid sign-in neither resets distributed
// guessing at the account nor lets an address reset its guessing at others.
func (t *throttle) succeed(account, addr string) { t.pairs.reset(pairKey(account, addr)) }

func pairKey(account, addr string) string { return account + "\x00" + addr }

// maxThrottleKeys bounds the keys each limiter keeps; beyond it, expired
// keys are swept and then arbitrary ones forgotten.
const maxThrottleKeys = 10000

// backoff counts consecutive failures per key and makes the key wait
// delay(n) after its last failure. A key quiet for forget is forgotten.
type backoff struct {
	mu     sync.Mutex
	delay  func(n int) time.Duration
	forget time.Duration
	state  map[string]backoffState
}

type backoffState struct {
	n    int
	last time.Time
}

func newBackoff(delay func(int) time.Duration, forget time.Duration) *backoff {
	return &backoff{delay: delay, forget: forget, state: map[string]backoffState{}}
}

func (b *backoff) wait(key string, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, ok := b.state[key]
	if !ok {
		return 0
	}
	if now.Sub(st.last) >= b.forget {
		delete(b.state, key)
		return 0
	}
	return max(0, st.last.Add(b.delay(st.n)).Sub(now))
}

func (b *backoff) fail(key string, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, ok := b.state[key]
	if ok && now.Sub(st.last) >= b.forget {
		st = backoffState{}
	}
	if !ok && len(b.state) >= maxThrottleKeys {
		b.sweep(now)
	}
	b.state[key] = backoffState{n: st.n + 1, last: now}
}

func (b *backoff) reset(key string) {
	b.mu.Lock()
	delete(b.state, key)
	b.mu.Unlock()
}

// sweep removes forgotten keys and, if still full, arbitrary ones. The caller holds b.mu.
func (b *backoff) sweep(now time.Time) {
	for k, st := range b.state {
		if now.Sub(st.last) >= b.forget {
			delete(b.state, k)
		}
	}
	for k := range b.state {
		if len(b.state) < maxThrottleKeys {
			break
		}
		delete(b.state, k)
	}
}
