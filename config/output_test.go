package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRedacted(t *testing.T) {
	c := Default()
	c.MQTT.Broker = "mqtts://hamletd:p%40ss@broker.example.vn:8883"
	c.MQTT.Password = "hunter2"
	c.Influx.URL = "http://admin:secret@127.0.0.1:8086/path?x=1"
	c.Influx.Token = "admin:secret"
	c.HTTP.PublicURL = "http://192.168.1.10:8080"
	c.Zones = []Zone{{ID: "a", BroadcastWindows: []string{"05:00-06:00"}}}

	r := c.Redacted()
	checks := map[string][2]string{
		"mqtt.broker":     {r.MQTT.Broker, "mqtts://REDACTED@broker.example.vn:8883"},
		"mqtt.password":   {r.MQTT.Password, "REDACTED"},
		"influx.url":      {r.Influx.URL, "http://REDACTED@127.0.0.1:8086/path?x=1"},
		"influx.token":    {r.Influx.Token, "REDACTED"},
		"http.public_url": {r.HTTP.PublicURL, "http://192.168.1.10:8080"},
		"empty stays":     {Default().Redacted().MQTT.Password, ""},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if c.MQTT.Password != "hunter2" {
		t.Error("Redacted changed its receiver")
	}
	r.Zones[0].BroadcastWindows[0] = "changed"
	if c.Zones[0].BroadcastWindows[0] != "05:00-06:00" {
		t.Error("Redacted shares lists with its receiver")
	}
	out, err := r.YAML()
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"hunter2", "secret", "p%40ss"} {
		if strings.Contains(string(out), secret) {
			t.Errorf("redacted YAML shows %q:\n%s", secret, out)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                            "",
		"embedded":                    "embedded",
		"tcp://host:1883":             "tcp://host:1883",
		"tcp://u@host:1883":           "tcp://REDACTED@host:1883",
		"tcp://u:p@w@host:1883":       "tcp://REDACTED@host:1883",
		"ws://host/path@notuserinfo":  "ws://host/path@notuserinfo",
		"tcp://u:%zz@host:1883/x?y=@": "tcp://REDACTED@host:1883/x?y=@",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestYAMLRoundTrip prints the example's effective config and loads it back.
func TestYAMLRoundTrip(t *testing.T) {
	for _, src := range []string{examplePath, "testdata/good-partial-timeouts.yaml", ""} {
		cfg, err := load(t, src, nil)
		if err != nil {
			t.Fatal(err)
		}
		out, err := cfg.YAML()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "effective.yaml")
		if err := os.WriteFile(path, out, 0o600); err != nil {
			t.Fatal(err)
		}
		back, err := load(t, path, nil)
		if err != nil {
			t.Fatalf("%s: the printed config does not load:\n%v\n%s", src, err, out)
		}
		if !reflect.DeepEqual(back, cfg) {
			t.Errorf("%s: round trip changed the config\n got %+v\nwant %+v\n%s", src, back, cfg, out)
		}
	}
}

func TestYAMLShape(t *testing.T) {
	out, err := Default().YAML()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"area:\n  id: khu10\n", "broker: embedded\n", "keep_alive: 30s\n", "spool_max_bytes: 1GiB\n",
		"timeout:\n    light: 10m\n    camera: 5m\n    speaker: 10m\n", "zones: []\n", "devices: []\n",
		"url: \"\"\n", "listen: :8080\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("YAML lacks %q:\n%s", want, text)
		}
	}
	if i, j := strings.Index(text, "area:"), strings.Index(text, "mqtt:"); i < 0 || j < i {
		t.Errorf("sections out of file order:\n%s", text)
	}
}
