package sim

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BlastTally checks what a subscriber received from Blast: which of the N×M
// messages arrived, how many were duplicates (QoS 1 may redeliver), and
// whether every timestamp is the one its sequence number implies. It is safe
// for concurrent use.
type BlastTally struct {
	mu         sync.Mutex
	prefix     string
	messages   int
	seen       [][]bool // [device][k]
	start      time.Time
	received   int
	duplicates int
	err        error
}

// NewBlastTally returns a tally for a Blast with this prefix (empty:
// DefaultBlastPrefix), devices and messages.
func NewBlastTally(prefix string, devices, messages int) *BlastTally {
	if prefix == "" {
		prefix = DefaultBlastPrefix
	}
	t := &BlastTally{prefix: prefix, messages: messages, seen: make([][]bool, devices)}
	for i := range t.seen {
		t.seen[i] = make([]bool, messages)
	}
	return t
}

// Add records one received message. It returns an error naming the problem
// for a message that Blast could not have sent; the first one is kept for Err.
func (t *BlastTally) Add(topic string, payload []byte) error {
	i, k, ts, err := t.parse(topic, payload)
	t.mu.Lock()
	defer t.mu.Unlock()
	if err == nil {
		if t.start.IsZero() {
			t.start = ts.Add(-time.Duration(k) * time.Second)
		}
		if want := t.start.Add(time.Duration(k) * time.Second); !ts.Equal(want) {
			err = fmt.Errorf("%s: message %d has Time %s, want %s", topic, k, ts.Format(tasmotaTime), want.Format(tasmotaTime))
		}
	}
	if err != nil {
		if t.err == nil {
			t.err = err
		}
		return err
	}
	if t.seen[i][k] {
		t.duplicates++
		return nil
	}
	t.seen[i][k] = true
	t.received++
	return nil
}

func (t *BlastTally) parse(topic string, payload []byte) (i, k int, ts time.Time, err error) {
	name, ok := strings.CutPrefix(topic, "tele/"+t.prefix)
	if ok {
		name, ok = strings.CutSuffix(name, "/SENSOR")
	}
	if i, err = strconv.Atoi(name); !ok || err != nil || i < 0 || i >= len(t.seen) {
		return 0, 0, ts, fmt.Errorf("topic %q is not a blast device's", topic)
	}
	var p struct {
		Time   string
		ENERGY struct{ Total float64 }
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return 0, 0, ts, fmt.Errorf("%s: %w", topic, err)
	}
	k = int(math.Round(p.ENERGY.Total * 1000))
	if k < 0 || k >= t.messages {
		return 0, 0, ts, fmt.Errorf("%s: ENERGY.Total %v is not a sequence number below %d", topic, p.ENERGY.Total, t.messages)
	}
	if ts, err = time.Parse(tasmotaTime, p.Time); err != nil {
		return 0, 0, ts, fmt.Errorf("%s: Time: %w", topic, err)
	}
	return i, k, ts, nil
}

// Received is the count of distinct messages received.
func (t *BlastTally) Received() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.received
}

// Duplicates is the count of messages received more than once.
func (t *BlastTally) Duplicates() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.duplicates
}

// Missing is the count of messages not received yet.
func (t *BlastTally) Missing() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.seen)*t.messages - t.received
}

// Err is the first problem Add found, or nil.
func (t *BlastTally) Err() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.err
}
