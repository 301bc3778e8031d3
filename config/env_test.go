package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEnvOverrides(t *testing.T) {
	env := map[string]string{
		"HAMLET_MQTT_BROKER":                "tcp://10.0.0.2:1883",
		"HAMLET_MQTT_TLS_CA_FILE":           "testdata/good-empty.yaml", // any existing file
		"HAMLET_MQTT_WORKERS":               "8",
		"HAMLET_INFLUX_SPOOL_MAX_BYTES":     "2GiB",
		"HAMLET_INFLUX_URL":                 "https://influx.example.vn",
		"HAMLET_AVAILABILITY_TIMEOUT_LIGHT": "3m",
		"HAMLET_AREA_LATITUDE":              "10.7769",
		"HAMLET_AREA_ID":                    "khu3",
		"HAMLET_DISCOVERY_TASMOTA_ENABLED":  "false",
		"HAMLET_LOG_LEVEL":                  "",  // empty counts as unset
		"HAMLET_ZONES":                      "x", // lists are not read from the environment
	}
	cfg, err := load(t, "testdata/good-minimal.yaml", env)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"broker", cfg.MQTT.Broker, "tcp://10.0.0.2:1883"},
		{"ca_file", cfg.MQTT.TLS.CAFile, "testdata/good-empty.yaml"},
		{"workers", cfg.MQTT.Workers, 8},
		{"spool", cfg.Influx.SpoolMaxBytes, ByteSize(2 << 30)},
		{"timeout light", cfg.Availability.Timeout["light"], 3 * time.Minute},
		{"timeout camera", cfg.Availability.Timeout["camera"], 5 * time.Minute},
		{"latitude", cfg.Area.Latitude, 10.7769},
		{"area id (env beats file)", cfg.Area.ID, "khu3"},
		{"area name (file)", cfg.Area.Name, "Khu dân cư số 7"},
		{"client id derived from env area id", cfg.MQTT.ClientID, "hamletd-khu3"},
		{"tasmota discovery", cfg.Discovery.Tasmota.Enabled, false},
		{"log level", cfg.Log.Level, "info"},
		{"zones from file", len(cfg.Zones), 1},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

// TestEveryScalarKeyHasEnv sets each HAMLET_* variable alone and checks that
// it lands in the field its key names.
func TestEveryScalarKeyHasEnv(t *testing.T) {
	samples := map[reflect.Type][2]any{ // env text, decoded value
		reflect.TypeFor[string]():   {"sample", "sample"},
		reflect.TypeFor[int]():      {"7", 7},
		reflect.TypeFor[float64]():  {"12.5", 12.5},
		reflect.TypeFor[bool]():     {"false", false},
		durationType:                {"7m", 7 * time.Minute},
		byteSizeType:                {"3MiB", ByteSize(3 << 20)},
		reflect.TypeFor[[]string](): {"10.0.0.5/32 192.168.1.0/24", []string{"10.0.0.5/32", "192.168.1.0/24"}},
	}
	keys := ScalarKeys()
	if len(keys) < 35 {
		t.Fatalf("only %d scalar keys: %v", len(keys), keys)
	}
	for _, key := range keys {
		typ := typeAt(key)
		sample, ok := samples[typ]
		if !ok {
			t.Fatalf("%s: no sample for type %v", key, typ)
		}
		cfg, _ := LoadWith(LoadOptions{Getenv: func(k string) string {
			if k == EnvName(key) {
				return sample[0].(string)
			}
			return ""
		}})
		if got := valueAt(reflect.ValueOf(cfg), key); !reflect.DeepEqual(got, sample[1]) {
			t.Errorf("%s=%v set %s to %#v, want %#v", EnvName(key), sample[0], key, got, sample[1])
		}
	}
}

// valueAt returns the field at a scalar key of a Config value.
func valueAt(v reflect.Value, key string) any {
	for _, s := range splitKey(key) {
		if v.Kind() == reflect.Map {
			v = v.MapIndex(reflect.ValueOf(s.name))
			continue
		}
		v = v.Field(fieldIndex(v.Type(), s.name))
	}
	return v.Interface()
}

func TestEnvBadValueNamesVariable(t *testing.T) {
	_, err := load(t, "", map[string]string{
		"HAMLET_MQTT_KEEP_ALIVE":           "soon",
		"HAMLET_MQTT_BROKER":               "mosquitto.local",
		"HAMLET_HTTP_LISTEN":               "8080",
		"HAMLET_AREA_LONGITUDE":            "east",
		"HAMLET_DISCOVERY_TASMOTA_ENABLED": "yes please",
	})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want *ValidationError", err)
	}
	want := []string{
		`area.longitude: cần một số / want a number (from HAMLET_AREA_LONGITUDE) (got "east")`,
		`mqtt.broker: cần "embedded" hoặc một địa chỉ như tcp://127.0.0.1:1883 (giao thức: tcp, mqtt, ssl, tls, mqtts, ws, wss) / want "embedded" or a URL such as tcp://127.0.0.1:1883 (schemes: tcp, mqtt, ssl, tls, mqtts, ws, wss) (from HAMLET_MQTT_BROKER) (got "mosquitto.local")`,
		`mqtt.keep_alive: khoảng thời gian không hợp lệ (vd 30s, 10m hoặc 1h30m) / invalid duration (want e.g. 30s, 10m or 1h30m) (from HAMLET_MQTT_KEEP_ALIVE) (got "soon")`,
		`http.listen: cần dạng máy:cổng như 127.0.0.1:1883 hoặc :8080 / want host:port such as 127.0.0.1:1883 or :8080 (from HAMLET_HTTP_LISTEN) (got "8080")`,
		`discovery.tasmota.enabled: cần "true" hoặc "false" / want true or false (from HAMLET_DISCOVERY_TASMOTA_ENABLED) (got "yes please")`,
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("error:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestEnvName(t *testing.T) {
	for key, want := range map[string]string{
		"mqtt.broker":                "HAMLET_MQTT_BROKER",
		"mqtt.tls.ca_file":           "HAMLET_MQTT_TLS_CA_FILE",
		"influx.spool_max_bytes":     "HAMLET_INFLUX_SPOOL_MAX_BYTES",
		"availability.timeout.light": "HAMLET_AVAILABILITY_TIMEOUT_LIGHT",
		"area.latitude":              "HAMLET_AREA_LATITUDE",
	} {
		if got := EnvName(key); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestEnvDoesNotHideFileMistakes checks that an override of a key inside a
// badly shaped section still reports the section.
func TestEnvDoesNotHideFileMistakes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("mqtt: 5\ninflux: {batch_size: lots}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := load(t, path, map[string]string{"HAMLET_MQTT_BROKER": "tcp://10.0.0.2:1883", "HAMLET_INFLUX_BATCH_SIZE": "10"})
	var ve *ValidationError
	if !errors.As(err, &ve) || !slices.Equal(ve.Keys(), []string{"mqtt", "influx.batch_size"}) {
		t.Fatalf("err = %v, want problems for mqtt and influx.batch_size from the file", err)
	}
	if cfg.MQTT.Broker != "tcp://10.0.0.2:1883" || cfg.Influx.BatchSize != 10 {
		t.Errorf("overrides not applied: broker %q batch %d", cfg.MQTT.Broker, cfg.Influx.BatchSize)
	}
}
