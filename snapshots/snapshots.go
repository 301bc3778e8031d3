// Package snapshots keeps the latest camera snapshot (a JPEG that Frigate
// publishes on frigate/<camera>/<object>/snapshot) per camera, in memory,
// for the phone UI's Camera page. Nothing is written to disk: after a
// restart the broker's retained snapshots fill it again.
package snapshots

import (
	"bytes"
	"sync"
	"time"
)

// MaxBytes bounds one snapshot; larger payloads are refused.
const MaxBytes = 1 << 20

// Snapshot is one camera's latest image.
type Snapshot struct {
	JPEG   []byte    // the image; never modified after Put
	At     time.Time // when it was received
	Object string    // what Frigate detected ("person", "car", …)
}

// Keeper holds the latest snapshot per device id. The zero value is not
// usable; use New. It is safe for concurrent use.
type Keeper struct {
	mu   sync.RWMutex
	last map[string]Snapshot
}

// New returns an empty Keeper.
func New() *Keeper { return &Keeper{last: map[string]Snapshot{}} }

// Put keeps jpeg as device id's latest snapshot and reports whether it was
// kept: payloads that are empty, over MaxBytes or not a JPEG (no FF D8
// start) are not.
func (k *Keeper) Put(id, object string, jpeg []byte, at time.Time) bool {
	if len(jpeg) < 3 || len(jpeg) > MaxBytes || !bytes.HasPrefix(jpeg, []byte{0xFF, 0xD8}) {
		return false
	}
	b := bytes.Clone(jpeg)
	k.mu.Lock()
	k.last[id] = Snapshot{JPEG: b, At: at, Object: object}
	k.mu.Unlock()
	return true
}

// Latest returns device id's latest snapshot.
func (k *Keeper) Latest(id string) (Snapshot, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	s, ok := k.last[id]
	return s, ok
}
