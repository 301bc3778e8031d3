package ingest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/protocols"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/sim"
)

// mosquittoWait bounds every wait of the Mosquitto test.
const mosquittoWait = 15 * time.Second

// TestChannelCommandsOnMosquitto runs a simulated 4-relay Tasmota cabinet and
// a Shelly Pro 4PM on a real Mosquitto, reads them through the real adapters
// and the pipeline, and sends a channel-2 command to each (encoded by the
// adapters, published QoS 1): only channel 2 changes, on the devices and in
// the registry, and every channel's reported state is its own.
func TestChannelCommandsOnMosquitto(t *testing.T) {
	m := testsvc.StartMosquitto(t)
	spec := sim.Spec{Period: time.Hour, Devices: []sim.DeviceSpec{
		{ID: "tu", Protocol: devices.Tasmota, Topic: "tu_den", Relays: 4, On: true},
		{ID: "pro", Protocol: devices.Shelly, Relays: 4, On: true},
	}}
	fleet, err := sim.New(spec, sim.Options{Broker: m.URL()})
	if err != nil {
		t.Fatal(err)
	}
	declared := fleet.Devices()
	if len(declared) != 8 {
		t.Fatalf("fleet devices %v, want 4 + 4 channels", declared)
	}
	router, err := protocols.New(protocols.Options{Area: "khu10", ShellyReplyPrefix: "hamletd-test", Devices: declared})
	if err != nil {
		t.Fatal(err)
	}
	reg := devices.NewRegistry(declared, nil, time.Now())
	p := New(Options{Area: "khu10", Decoder: router, Registry: reg, Store: &fakeStore{}})

	client := connect(t, m.URL(), router.Subscriptions(), p)
	ctx, cancel := context.WithTimeout(context.Background(), mosquittoWait)
	defer cancel()
	if err := fleet.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fleet.Close() })

	ids := func(prefix string, chs ...string) []string {
		var out []string
		for _, c := range chs {
			out = append(out, prefix+"-"+c)
		}
		return out
	}
	tasmota, shelly := ids("tu", "1", "2", "3", "4"), ids("pro", "0", "1", "2", "3")
	all := append(append([]string(nil), tasmota...), shelly...)
	waitStates(t, reg, fleet, all, func(string) bool { return true })

	for _, id := range []string{"tu-2", "pro-2"} {
		d, _ := reg.Get(id)
		msgs, err := router.Encode(devices.Command{ID: "cmd-" + id, Device: d.Device, Light: &devices.LightState{On: devices.Bool(false)}})
		if err != nil {
			t.Fatalf("encode %s: %v", id, err)
		}
		for _, msg := range msgs {
			if tok := client.Publish(msg.Topic, msg.QoS, false, msg.Payload); !tok.WaitTimeout(mosquittoWait) || tok.Error() != nil {
				t.Fatalf("publish %s: %v", msg.Topic, tok.Error())
			}
		}
	}
	waitStates(t, reg, fleet, all, func(id string) bool { return id != "tu-2" && id != "pro-2" })
}

// connect subscribes a client to filters and hands every message to p, one at a time.
func connect(t *testing.T, broker string, filters []string, p *Pipeline) mqtt.Client {
	t.Helper()
	var mu sync.Mutex
	opts := mqtt.NewClientOptions().AddBroker(broker).SetClientID(fmt.Sprintf("hamletd-test-%d", time.Now().UnixNano())).
		SetCleanSession(true).SetAutoReconnect(false).SetConnectTimeout(mosquittoWait).SetOrderMatters(true)
	opts.SetDefaultPublishHandler(func(_ mqtt.Client, msg mqtt.Message) {
		mu.Lock()
		defer mu.Unlock()
		p.Handle(msg.Topic(), msg.Payload(), msg.Retained(), func() {})
	})
	c := mqtt.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(mosquittoWait) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	subs := map[string]byte{}
	for _, f := range filters {
		subs[f] = 1
	}
	if tok := c.SubscribeMultiple(subs, nil); !tok.WaitTimeout(mosquittoWait) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	return c
}

// waitStates waits until, for every id, the simulated output and the
// registry's reported state are both on when want(id), else both off.
func waitStates(t *testing.T, reg *devices.Registry, fleet *sim.Fleet, ids []string, want func(string) bool) {
	t.Helper()
	deadline := time.Now().Add(mosquittoWait)
	for {
		var wrong []string
		for _, id := range ids {
			st, err := fleet.Status(id)
			simOn := err == nil && st.Light != nil && *st.Light.On
			s, _ := reg.Get(id)
			known := s.Reported.Light != nil && s.Reported.Light.On != nil
			if simOn != want(id) || !known || *s.Reported.Light.On != want(id) {
				wrong = append(wrong, fmt.Sprintf("%s (device on %v, reported %s)", id, simOn, sample(s.Reported)))
			}
		}
		if len(wrong) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", mosquittoWait, strings.Join(wrong, "; "))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func sample(s devices.State) string {
	if s.Light == nil || s.Light.On == nil {
		return "nothing"
	}
	return fmt.Sprint(*s.Light.On)
}
