package daemon_test

import (
	"fmt"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/testsvc"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

// TestOneDevicesMessagesInOrder publishes, for many lamps and by one client
// at QoS 1, a retained state and then "status offline", interleaved with the
// other lamps' messages, through real Mosquitto. The two messages of a lamp
// are on two topics; handled out of order, the state would bring the lamp
// back online (cause activity) after its offline. Every lamp must end
// offline by its Last Will.
func TestOneDevicesMessagesInOrder(t *testing.T) {
	broker := testsvc.StartMosquitto(t)
	cfg := testConfig(t, broker.URL())
	cfg.MQTT.Workers = 8
	const lamps = 300
	cfg.Zones = append(cfg.Zones, config.Zone{ID: "duong", Name: "Đường"})
	for i := range lamps {
		id := fmt.Sprintf("lamp%03d", i)
		cfg.Devices = append(cfg.Devices, config.Device{ID: id, Name: id, Kind: "light", Zone: "duong", Protocol: "native", Topic: id})
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, cfg)
	base := "http://" + d.HTTPAddr()

	pub := paho.NewClient(paho.NewClientOptions().AddBroker(broker.URL()).SetClientID("order-publisher"))
	if tok := pub.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("publisher connect: %v", tok.Error())
	}
	defer pub.Disconnect(100)
	prefix := "hamlet/" + cfg.Area.ID + "/"
	var toks []paho.Token
	for i := range lamps {
		lamp := fmt.Sprintf("%slamp%03d/", prefix, i)
		toks = append(toks,
			pub.Publish(lamp+"state", 1, true, fmt.Sprintf(`{"on":true,"brightness":%d}`, i%100)),
			pub.Publish(lamp+"status", 1, true, "offline"))
	}
	for _, tok := range toks {
		if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
			t.Fatalf("publish: %v", tok.Error())
		}
	}
	t.Cleanup(func() { // the retained messages stay in the test's own broker only
		for i := range lamps {
			lamp := fmt.Sprintf("%slamp%03d/", prefix, i)
			pub.Publish(lamp+"state", 1, true, "")
			pub.Publish(lamp+"status", 1, true, "")
		}
	})

	testutil.Eventually(t, 90*time.Second, "every message handled", func() bool {
		return metric(t, base, "hamlet_ingest_reports_total") >= 2*lamps
	})

	wrong := 0
	for i := range lamps {
		id := fmt.Sprintf("lamp%03d", i)
		a, c := availability(d, id)
		if a != devices.Offline || c != devices.CauseLWT {
			wrong++
			t.Errorf("%s: %s (cause %s), want offline (cause lwt)", id, a, c)
		}
	}
	if wrong > 0 {
		t.Errorf("%d of %d lamps handled out of order", wrong, lamps)
	}
}
