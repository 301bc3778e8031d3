package main

import (
	"fmt"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/devices"
)

// bare is the ceiling: one plain paho client publishes the same on/off to
// every lamp at once (no adapters, registry or confirmation bookkeeping)
// and times each lamp's answer, on the same broker and fleet.
type bare struct {
	c        mqtt.Client
	protocol string
	mu       sync.Mutex
	want     bool
	t0       time.Time
	seen     map[string]time.Duration
	done     chan struct{}
	n        int
}

func newBare(broker, protocol string) (*bare, error) {
	b := &bare{protocol: protocol}
	b.c = mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker).SetClientID("hamlet-bench-bare").SetCleanSession(true))
	if t := b.c.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return nil, fmt.Errorf("bare client connect: %v", t.Error())
	}
	filter := "stat/+/RESULT"
	if protocol == "native" {
		filter = "hamlet/khu10/+/state"
	}
	if t := b.c.Subscribe(filter, 1, b.answer); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return nil, fmt.Errorf("bare client subscribe: %v", t.Error())
	}
	return b, nil
}

func (b *bare) answer(_ mqtt.Client, m mqtt.Message) {
	p := string(m.Payload())
	on := strings.Contains(p, `"POWER":"ON"`) || strings.Contains(p, `"on":true`)
	off := strings.Contains(p, `"POWER":"OFF"`) || strings.Contains(p, `"on":false`)
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.seen == nil || (b.want && !on) || (!b.want && !off) {
		return
	}
	if _, ok := b.seen[m.Topic()]; !ok {
		b.seen[m.Topic()] = time.Since(b.t0)
		if len(b.seen) == b.n {
			close(b.done)
		}
	}
}

// round switches every lamp on (or off) and returns each lamp's latency.
func (b *bare) round(ds []devices.Device, on bool) ([]time.Duration, error) {
	b.mu.Lock()
	b.want, b.seen, b.done, b.n, b.t0 = on, map[string]time.Duration{}, make(chan struct{}), len(ds), time.Now()
	done := b.done
	b.mu.Unlock()
	var toks []mqtt.Token
	for _, d := range ds {
		topic, payload := "cmnd/"+d.Topic+"/POWER", "OFF"
		if on {
			payload = "ON"
		}
		if b.protocol == "native" {
			topic, payload = "hamlet/khu10/"+d.ID+"/cmd", fmt.Sprintf(`{"id":"bare","on":%v}`, on)
		}
		toks = append(toks, b.c.Publish(topic, 1, false, payload))
	}
	for _, t := range toks {
		t.Wait()
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		return nil, fmt.Errorf("bare client: only %d of %d lamps answered within 30s", len(b.seen), len(ds))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]time.Duration, 0, len(b.seen))
	for _, d := range b.seen {
		out = append(out, d)
	}
	b.seen = nil
	return out, nil
}

func (b *bare) close() { b.c.Disconnect(100) }
