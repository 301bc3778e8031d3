package mqttlink

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestShardByOrderKey checks that messages with the same order key, on
// different topics, go to the same worker, and that without an order key
// the topic decides.
func TestShardByOrderKey(t *testing.T) {
	device := func(topic string) string { k, _, _ := strings.Cut(topic, "/"); return k }
	d := newDispatcher(8, 64, device, &routes{}, newMetrics(func() float64 { return 0 }), slog.New(slog.DiscardHandler))
	spread := map[chan *delivery]bool{}
	for i := range 64 {
		dev := fmt.Sprintf("lamp%d", i)
		ch := d.shard(dev + "/state")
		for _, sub := range []string{"/status", "/telemetry", "/a/b/c"} {
			if d.shard(dev+sub) != ch {
				t.Fatalf("%s%s and %s/state went to different workers", dev, sub, dev)
			}
		}
		spread[ch] = true
	}
	if len(spread) < 4 {
		t.Errorf("64 devices used only %d of 8 workers", len(spread))
	}
	plain := newDispatcher(8, 64, nil, &routes{}, newMetrics(func() float64 { return 0 }), slog.New(slog.DiscardHandler))
	differ := false
	for i := range 64 {
		dev := fmt.Sprintf("lamp%d", i)
		differ = differ || plain.shard(dev+"/state") != plain.shard(dev+"/status")
	}
	if !differ {
		t.Error("without an order key every device's topics shared a worker: the topic should decide")
	}
}
