package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// load loads one file with the given environment and no default path.
func load(t *testing.T, path string, env map[string]string) (Config, error) {
	t.Helper()
	return LoadWith(LoadOptions{Path: path, Getenv: func(k string) string { return env[k] }})
}

func TestLoadGoodFiles(t *testing.T) {
	for _, f := range []string{"good-empty.yaml", "good-minimal.yaml", "good-partial-timeouts.yaml", "../hamlet.example.yaml"} {
		t.Run(f, func(t *testing.T) {
			if _, err := load(t, filepath.Join("testdata", f), nil); err != nil {
				t.Fatalf("unexpected problems:\n%v", err)
			}
		})
	}
}

func TestLoadNoFileIsDefault(t *testing.T) {
	cfg, err := LoadWith(LoadOptions{DefaultPath: filepath.Join(t.TempDir(), "absent.yaml")})
	if err != nil {
		t.Fatal(err)
	}
	def := Default()
	if !reflect.DeepEqual(cfg, def) {
		t.Errorf("Load with no file = %+v\nwant Default() = %+v", cfg, def)
	}
	if err := def.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v", err)
	}
	if cfg.MQTT.ClientID != "hamletd-khu10" || cfg.InfluxEnabled() || !cfg.UsesEmbeddedBroker() {
		t.Errorf("client id %q, influx %v, embedded %v", cfg.MQTT.ClientID, cfg.InfluxEnabled(), cfg.UsesEmbeddedBroker())
	}
	if loc := cfg.Location(); loc.String() != "Asia/Ho_Chi_Minh" {
		t.Errorf("Location() = %v", loc)
	}
}

func TestLoadDefaultPath(t *testing.T) {
	dir := t.TempDir()
	def := filepath.Join(dir, "hamlet.yaml")
	if err := os.WriteFile(def, []byte("area: {id: khu7}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadWith(LoadOptions{DefaultPath: def})
	if err != nil || cfg.Area.ID != "khu7" || cfg.MQTT.ClientID != "hamletd-khu7" {
		t.Fatalf("default path not used: id %q client %q err %v", cfg.Area.ID, cfg.MQTT.ClientID, err)
	}
	// An explicit path wins over the default path.
	cfg, err = LoadWith(LoadOptions{Path: "testdata/good-empty.yaml", DefaultPath: def})
	if err != nil || cfg.Area.ID != "khu10" {
		t.Fatalf("explicit path not used: id %q err %v", cfg.Area.ID, err)
	}
	if got, err := FindFile("", def); got != def || err != nil {
		t.Errorf("FindFile = %q, %v", got, err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path, nil)
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), path) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want a *ParseError naming %s that is os.ErrNotExist", err, path)
	}
}

func TestLoadParseErrors(t *testing.T) {
	tests := map[string]string{
		"bad-syntax.yaml":        "line 4",
		"bad-indent.yaml":        "line 3: mapping values are not allowed",
		"bad-duplicate-key.yaml": `line 3: mapping key "broker" already defined at line 2`,
		"bad-toplevel-list.yaml": "line 1: cannot unmarshal !!seq into the top level",
	}
	for file, wantText := range tests {
		t.Run(file, func(t *testing.T) {
			path := filepath.Join("testdata", file)
			_, err := load(t, path, nil)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T %v, want *ParseError", err, err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, path+": tệp YAML không hợp lệ / invalid YAML: ") || !strings.Contains(msg, wantText) {
				t.Errorf("err = %q, want %q after the file name", msg, wantText)
			}
		})
	}
}

// TestLoadBadFiles checks that each bad file reports exactly these keys, all at once.
func TestLoadBadFiles(t *testing.T) {
	tests := map[string][]string{
		"bad-area.yaml":          {"area.id", "area.timezone", "area.latitude", "area.longitude"},
		"bad-broker-noport.yaml": {"mqtt.broker", "mqtt.topic_prefix"},
		"bad-types.yaml": {"area.latitude", "mqtt.tls", "mqtt.keep_alive", "mqtt.workers",
			"influx.spool_max_bytes", "influx.batch_size", "http", "discovery.tasmota.enabled", "zones"},
		"bad-unknown-keys.yaml": {"mqtt.tls.ca_fil", "mqtt.brokr", "discovery.homeassistant.prefx",
			"zones[0].windows", "devices[1].protocl", "mqqt"},
		"bad-durations.yaml": {"mqtt.keep_alive", "mqtt.reconnect_max", "influx.flush_interval",
			"availability.timeout.light", "availability.timeout.camera", "availability.timeout.lamp"},
		"bad-mqtt.yaml": {"mqtt.broker", "mqtt.password", "mqtt.topic_prefix", "mqtt.listen", "mqtt.tls.ca_file",
			"mqtt.tls.cert_file", "mqtt.tls.key_file", "mqtt.workers", "mqtt.queue"},
		"bad-influx-http.yaml": {"influx.url", "influx.bucket", "influx.spool_max_bytes", "influx.batch_size",
			"http.listen", "http.public_url", "http.cert_file", "http.key_file", "storage.dir", "log.level", "log.format"},
		"bad-zones.yaml": {"zones[0].broadcast_windows[1]", "zones[0].broadcast_windows[2]", "zones[1].id",
			"zones[2].id", "zones[3].id", "zones[3].broadcast_windows[0]"},
		"bad-devices.yaml": {"devices[1].id", "devices[2].zone", "devices[3].kind", "devices[4].protocol",
			"devices[5].topic", "devices[6].full_topic", "devices[7].full_topic", "devices[8].kind",
			"devices[9].topic", "devices[10].topic", "devices[11].id"},
		"bad-shapes.yaml": {"mqtt.workers", "mqtt.queue", "availability.timeout", "zones[0].broadcast_windows",
			"devices[0]", "devices[1]"},
		"bad-many.yaml": {"area.id", "area.timezone", "mqtt.keep_alive", "mqtt.workers", "mqtt.brokr",
			"influx.spool_max_bytes", "availability.timeout.lamp", "zones[0].broadcast_windows[1]",
			"devices[1].protocol", "devices[2].zone", "devices[3].id", "devices[3].topic"},
	}
	for file, keys := range tests {
		t.Run(file, func(t *testing.T) {
			_, err := load(t, filepath.Join("testdata", file), nil)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %T %v, want *ValidationError", err, err)
			}
			if got := ve.Keys(); !slices.Equal(got, keys) {
				t.Errorf("problem keys\n got %q\nwant %q\nerror:\n%v", got, keys, err)
			}
			if n := strings.Count(err.Error(), "\n") + 1; n != len(keys) {
				t.Errorf("Error() has %d lines, want one per problem (%d)", n, len(keys))
			}
		})
	}
}

// TestErrorGolden pins the exact text check-config prints for a bad file.
// Run with -update to rewrite testdata/bad-many.golden.
func TestErrorGolden(t *testing.T) {
	_, err := load(t, "testdata/bad-many.yaml", nil)
	if err == nil {
		t.Fatal("no error")
	}
	golden := "testdata/bad-many.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(err.Error()+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, rerr := os.ReadFile(golden)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if got := err.Error() + "\n"; got != string(want) {
		t.Errorf("error text changed (run go test ./config -run TestErrorGolden -update)\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestLoadDerivedDefaults(t *testing.T) {
	cfg, err := load(t, "testdata/good-minimal.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MQTT.ClientID != "hamletd-khu7" {
		t.Errorf("client id = %q, want derived hamletd-khu7", cfg.MQTT.ClientID)
	}
	if cfg.Zones[0].Name != "ngo-1" || cfg.Devices[0].Name != "loa-01" || cfg.Devices[0].Topic != "loa-01" {
		t.Errorf("names/topics not derived: %+v %+v", cfg.Zones[0], cfg.Devices[0])
	}
	if cfg.Devices[1].Topic != "den_01" || cfg.Area.Timezone != "Asia/Ho_Chi_Minh" {
		t.Errorf("file or default value lost: %+v, tz %q", cfg.Devices[1], cfg.Area.Timezone)
	}

	cfg, err = load(t, "testdata/good-partial-timeouts.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantTimeouts := map[string]time.Duration{"light": 10 * time.Minute, "camera": 2 * time.Minute, "speaker": 10 * time.Minute}
	if !reflect.DeepEqual(cfg.Availability.Timeout, wantTimeouts) {
		t.Errorf("timeouts = %v, want %v", cfg.Availability.Timeout, wantTimeouts)
	}
	if cfg.Influx.SpoolMaxBytes != 2<<20 || cfg.Influx.FlushInterval != 500*time.Millisecond || cfg.MQTT.KeepAlive != 90*time.Second {
		t.Errorf("sizes/durations: %v %v %v", cfg.Influx.SpoolMaxBytes, cfg.Influx.FlushInterval, cfg.MQTT.KeepAlive)
	}
	if cfg.Discovery.HomeAssistant.Enabled || cfg.Discovery.Tasmota.Enabled {
		t.Errorf("discovery should be off: %+v", cfg.Discovery)
	}
}
