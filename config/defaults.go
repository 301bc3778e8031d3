package config

import (
	"maps"
	"time"

	// The zone database is embedded so that the area's timezone loads on
	// minimal edge images without /usr/share/zoneinfo.
	_ "time/tzdata"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultPath is where Load looks for the config file when no path is given.
const DefaultPath = "/etc/hamlet/hamlet.yaml"

// EmbeddedBroker is the mqtt.broker value that runs an in-process broker.
const EmbeddedBroker = "embedded"

// Default returns the configuration hamletd runs on with no file at all: an
// embedded broker on 127.0.0.1:1883, state in ./hamlet-data, telemetry export
// off, and the area khu10 in Asia/Ho_Chi_Minh. Every call returns fresh maps.
func Default() Config {
	c := Config{
		Area: Area{
			ID:        "khu10",
			Name:      "Khu dân cư số 10",
			Timezone:  "Asia/Ho_Chi_Minh",
			Latitude:  21.3269,
			Longitude: 105.2650,
		},
		MQTT: MQTT{
			Broker:       EmbeddedBroker,
			TopicPrefix:  "hamlet",
			Listen:       "127.0.0.1:1883",
			KeepAlive:    30 * time.Second,
			ReconnectMax: 30 * time.Second,
			Workers:      4,
			Queue:        4096,
		},
		Influx: Influx{
			Bucket:        "hamlet/autogen",
			SpoolMaxBytes: 1 << 30,
			BatchSize:     5000,
			FlushInterval: time.Second,
		},
		HTTP: HTTP{
			Listen:    ":8080",
			PublicURL: "http://127.0.0.1:8080",
		},
		Storage:      Storage{Dir: "./hamlet-data"},
		Availability: Availability{Timeout: defaultTimeouts()},
		Discovery: Discovery{
			HomeAssistant: HomeAssistantDiscovery{Enabled: true, Prefix: "homeassistant"},
			Tasmota:       TasmotaDiscovery{Enabled: true},
		},
		Announce: Announce{ValidFor: 30 * time.Minute, Grace: 10 * time.Minute, AnswerTimeout: 30 * time.Second,
			MaxMediaBytes: 20 << 20, SpeakerFormat: "mp3", TTSVoice: "vi", TTSRate: 150, TTSPitch: 50},
		Log:    Log{Level: "info", Format: "text"},
		Alerts: defaultAlerts(),
		Uptime: Uptime{SLO: defaultSLO()},
		Lights: Lights{ConfirmTimeout: 3 * time.Second, FaultAfter: 2 * time.Minute},
	}
	c.MQTT.ClientID = c.ClientID()
	return c
}

func defaultTimeouts() map[string]time.Duration {
	return map[string]time.Duration{
		string(devices.Light):   10 * time.Minute,
		string(devices.Camera):  5 * time.Minute,
		string(devices.Speaker): 10 * time.Minute,
	}
}

func defaultSLO() map[string]float64 {
	return map[string]float64{string(devices.Light): 98, string(devices.Camera): 99, string(devices.Speaker): 97}
}

// fillDerived sets the values whose default depends on other keys: the MQTT
// client id ("hamletd-<area id>"), zone and device names (their ids), a
// native device's topic (its id), and availability timeouts and uptime SLOs
// of kinds the file left out.
func (c *Config) fillDerived() {
	if c.MQTT.ClientID == "" {
		c.MQTT.ClientID = c.ClientID()
	}
	// An empty list in the file means the same as none.
	if len(c.Zones) == 0 {
		c.Zones = nil
	}
	if len(c.Devices) == 0 {
		c.Devices = nil
	}
	if len(c.HTTP.TrustedProxies) == 0 {
		c.HTTP.TrustedProxies = nil
	}
	for i := range c.Zones {
		if len(c.Zones[i].BroadcastWindows) == 0 {
			c.Zones[i].BroadcastWindows = nil
		}
		if c.Zones[i].Name == "" {
			c.Zones[i].Name = c.Zones[i].ID
		}
	}
	for i := range c.Devices {
		d := &c.Devices[i]
		if d.Name == "" {
			d.Name = d.ID
		}
		if d.Topic == "" && d.Protocol == string(devices.Native) {
			d.Topic = d.ID
		}
	}
	timeouts := defaultTimeouts()
	maps.Copy(timeouts, c.Availability.Timeout)
	c.Availability.Timeout = timeouts
	c.fillAlerts()
	slo := defaultSLO()
	maps.Copy(slo, c.Uptime.SLO)
	c.Uptime.SLO = slo
}

// ClientID returns mqtt.client_id, or "hamletd-<area id>" when it is empty.
// Load and Default always fill mqtt.client_id, so this matters only for a
// Config built by hand.
func (c Config) ClientID() string {
	if c.MQTT.ClientID != "" {
		return c.MQTT.ClientID
	}
	return "hamletd-" + c.Area.ID
}

// Location returns the area's timezone. It cannot fail on a validated Config;
// for a timezone that does not load it returns UTC.
func (c Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Area.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// InfluxEnabled reports whether telemetry export to InfluxDB is on (influx.url is set).
func (c Config) InfluxEnabled() bool { return c.Influx.URL != "" }

// UsesEmbeddedBroker reports whether mqtt.broker asks for the in-process broker.
func (c Config) UsesEmbeddedBroker() bool { return c.MQTT.Broker == EmbeddedBroker }
