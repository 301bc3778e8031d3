package testsvc

import (
	"net"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// connect connects a paho client to m or fails t.
func connect(t *testing.T, m *Mosquitto, id string) mqtt.Client {
	t.Helper()
	opts := mqtt.NewClientOptions().AddBroker(m.URL()).SetClientID(id).
		SetConnectTimeout(5 * time.Second).SetAutoReconnect(false)
	c := mqtt.NewClient(opts)
	if tok := c.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("connect to %s: %v", m.URL(), tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(0) })
	return c
}

// retained returns the retained payload of topic on m, or "" if there is none
// within a second.
func retained(t *testing.T, m *Mosquitto, topic string) string {
	t.Helper()
	c := connect(t, m, "reader-"+time.Now().Format("150405.000000"))
	got := make(chan string, 1)
	tok := c.Subscribe(topic, 1, func(_ mqtt.Client, msg mqtt.Message) {
		select {
		case got <- string(msg.Payload()):
		default:
		}
	})
	if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe %s: %v", topic, tok.Error())
	}
	defer c.Disconnect(0)
	select {
	case s := <-got:
		return s
	case <-time.After(time.Second):
		return ""
	}
}

func TestMosquittoStopStartKeepsRetained(t *testing.T) {
	t.Parallel()
	m := StartMosquitto(t)
	if m.URL() != "tcp://"+m.Addr() {
		t.Fatalf("URL() = %q, Addr() = %q", m.URL(), m.Addr())
	}
	c := connect(t, m, "writer")
	if tok := c.Publish("hamlet/test/status", 1, true, "online"); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("publish: %v", tok.Error())
	}
	c.Disconnect(100)

	m.Stop()
	if err := mqttProbe(m.Addr(), 200*time.Millisecond); err == nil {
		t.Fatal("broker still answers after Stop")
	}
	m.Start()
	if got := retained(t, m, "hamlet/test/status"); got != "online" {
		t.Fatalf("retained after Stop/Start = %q, want %q (persistence not saved)", got, "online")
	}

	m.Kill()
	if err := mqttProbe(m.Addr(), 200*time.Millisecond); err == nil {
		t.Fatal("broker still answers after Kill")
	}
	m.Start()
	m.Start() // a no-op while running
	if err := mqttProbe(m.Addr(), time.Second); err != nil {
		t.Fatalf("probe after Kill/Start: %v", err)
	}
}

func TestMQTTProbeRejectsNonBroker(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
		c.Close()
	}()
	if err := mqttProbe(l.Addr().String(), time.Second); err == nil {
		t.Fatal("mqttProbe accepted a non-MQTT server")
	}
}
