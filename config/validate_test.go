package config

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

// TestValidateCases changes one thing in a valid config and checks the keys reported.
func TestValidateCases(t *testing.T) {
	base := func() Config {
		c := Default()
		c.Zones = []Zone{{ID: "ngo-3"}}
		c.Devices = []Device{{ID: "den-01", Kind: "light", Zone: "ngo-3", Protocol: "tasmota", Topic: "den_01"}}
		return c
	}
	tests := []struct {
		name string
		edit func(*Config)
		keys []string
	}{
		{"valid", func(*Config) {}, nil},
		{"NaN latitude", func(c *Config) { c.Area.Latitude = math.NaN() }, []string{"area.latitude"}},
		{"empty area id", func(c *Config) { c.Area.ID = ""; c.MQTT.ClientID = "" }, []string{"area.id"}},
		{"empty timezone", func(c *Config) { c.Area.Timezone = "" }, []string{"area.timezone"}},
		{"broker without host", func(c *Config) { c.MQTT.Broker = "tcp://:1883" }, []string{"mqtt.broker"}},
		{"broker bad port", func(c *Config) { c.MQTT.Broker = "tcp://h:99999" }, []string{"mqtt.broker"}},
		{"ws broker without port", func(c *Config) { c.MQTT.Broker = "wss://broker.example.vn/mqtt" }, nil},
		{"keep alive under a second", func(c *Config) { c.MQTT.KeepAlive = 500 * time.Millisecond }, []string{"mqtt.keep_alive"}},
		{"client id with wildcard", func(c *Config) { c.MQTT.ClientID = "a/#" }, []string{"mqtt.client_id"}},
		{"listen port 0 is any port", func(c *Config) { c.MQTT.Listen = "127.0.0.1:0"; c.HTTP.Listen = ":0" }, nil},
		{"cert without key", func(c *Config) { c.HTTP.KeyFile = "testdata/good-empty.yaml" }, []string{"http.cert_file"}},
		{"cert is a directory", func(c *Config) { c.MQTT.TLS.CertFile, c.MQTT.TLS.KeyFile = "testdata", "testdata/good-empty.yaml" },
			[]string{"mqtt.tls.cert_file"}},
		{"topic prefix $", func(c *Config) { c.MQTT.TopicPrefix = "$SYS" }, []string{"mqtt.topic_prefix"}},
		{"ha prefix empty but discovery on", func(c *Config) { c.Discovery.HomeAssistant.Prefix = "" }, []string{"discovery.homeassistant.prefix"}},
		{"ha prefix empty and discovery off", func(c *Config) {
			c.Discovery.HomeAssistant = HomeAssistantDiscovery{}
		}, nil},
		{"influx url without bucket", func(c *Config) { c.Influx.URL = "http://h:8086"; c.Influx.Bucket = "" }, []string{"influx.bucket"}},
		{"influx url without host", func(c *Config) { c.Influx.URL = "http:///x" }, []string{"influx.url"}},
		{"public url empty", func(c *Config) { c.HTTP.PublicURL = "" }, []string{"http.public_url"}},
		{"timeout zero", func(c *Config) { c.Availability.Timeout["speaker"] = 0 }, []string{"availability.timeout.speaker"}},
		{"device kind empty", func(c *Config) { c.Devices[0].Kind = "" }, []string{"devices[0].kind"}},
		{"device zone empty", func(c *Config) { c.Devices[0].Zone = "" }, []string{"devices[0].zone"}},
		{"device protocol empty", func(c *Config) { c.Devices[0].Protocol = "" }, []string{"devices[0].protocol"}},
		{"device id unsafe", func(c *Config) { c.Devices[0].ID = "Đèn 1" }, []string{"devices[0].id"}},
		{"device topic wildcard", func(c *Config) { c.Devices[0].Topic = "den/+" }, []string{"devices[0].topic"}},
		{"full topic wildcard", func(c *Config) { c.Devices[0].FullTopic = "%prefix%/%topic%/#" }, []string{"devices[0].full_topic"}},
		{"stream url on a light", func(c *Config) { c.Devices[0].StreamURL = "http://10.0.0.5/x" }, []string{"devices[0].stream_url"}},
		{"sonos must be a speaker", func(c *Config) { c.Devices[0].Protocol = "sonos2mqtt" }, []string{"devices[0].kind"}},
		{"native topic equal to id is fine", func(c *Config) {
			c.Devices[0].Protocol, c.Devices[0].Topic = "native", "den-01"
		}, nil},
		{"same topic, other protocol", func(c *Config) {
			c.Devices = append(c.Devices, Device{ID: "den-02", Kind: "light", Zone: "ngo-3", Protocol: "esphome", Topic: "den_01"})
		}, nil},
		// Channels: outputs of one controller.
		{"tasmota relays 2 and 3 of one topic", func(c *Config) {
			c.Devices = append(c.Devices, Device{ID: "den-02", Kind: "light", Zone: "ngo-3", Protocol: "tasmota", Topic: "den_01", Channel: "2"},
				Device{ID: "den-03", Kind: "light", Zone: "ngo-3", Protocol: "tasmota", Topic: "den_01", Channel: "3"})
		}, nil},
		{"tasmota channel 33", func(c *Config) { c.Devices[0].Channel = "33" }, []string{"devices[0].channel"}},
		{"tasmota channel 0", func(c *Config) { c.Devices[0].Channel = "0" }, []string{"devices[0].channel"}},
		{"tasmota channel l2", func(c *Config) { c.Devices[0].Channel = "l2" }, []string{"devices[0].channel"}},
		{"tasmota channel 1 twice", func(c *Config) {
			c.Devices = append(c.Devices, Device{ID: "den-02", Kind: "light", Zone: "ngo-3", Protocol: "tasmota", Topic: "den_01", Channel: "1"})
		}, []string{"devices[1].channel"}},
		{"tasmota channels disagree on full_topic", func(c *Config) {
			c.Devices = append(c.Devices, Device{ID: "den-02", Kind: "light", Zone: "ngo-3", Protocol: "tasmota", Topic: "den_01", Channel: "2", FullTopic: "x/%prefix%/%topic%/"})
		}, []string{"devices[1].full_topic"}},
		{"native has no channel", func(c *Config) {
			c.Devices[0].Protocol, c.Devices[0].Topic, c.Devices[0].Channel = "native", "", "1"
		}, []string{"devices[0].channel"}},
		{"frigate has no channel", func(c *Config) {
			c.Devices[0].Protocol, c.Devices[0].Kind, c.Devices[0].Channel = "frigate", "camera", "1"
		}, []string{"devices[0].channel"}},
		{"shelly switch 0 and 1", func(c *Config) {
			c.Devices[0].Protocol, c.Devices[0].Channel = "shelly", "0"
			c.Devices = append(c.Devices, Device{ID: "den-02", Kind: "light", Zone: "ngo-3", Protocol: "shelly", Topic: "den_01", Channel: "1"})
		}, nil},
		{"shelly channel x", func(c *Config) { c.Devices[0].Protocol, c.Devices[0].Channel = "shelly", "x" }, []string{"devices[0].channel"}},
		{"esphome object id", func(c *Config) { c.Devices[0].Protocol, c.Devices[0].Channel = "esphome", "relay_2" }, nil},
		{"zigbee2mqtt endpoint with slash", func(c *Config) { c.Devices[0].Protocol, c.Devices[0].Channel = "zigbee2mqtt", "l/2" }, []string{"devices[0].channel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			tt.edit(&c)
			err := c.Validate()
			var got []string
			var ve *ValidationError
			if errors.As(err, &ve) {
				got = ve.Keys()
			} else if err != nil {
				t.Fatalf("err = %T %v", err, err)
			}
			if !slices.Equal(got, tt.keys) {
				t.Errorf("keys = %q, want %q\n%v", got, tt.keys, err)
			}
		})
	}
}

func TestParseBroadcastWindow(t *testing.T) {
	good := map[string]BroadcastWindow{
		"05:30-06:30":     {5*time.Hour + 30*time.Minute, 6*time.Hour + 30*time.Minute},
		"22:00-02:00":     {22 * time.Hour, 2 * time.Hour},
		"00:00-24:00":     {0, 24 * time.Hour},
		" 17:00 - 18:00 ": {17 * time.Hour, 18 * time.Hour},
	}
	for in, want := range good {
		if got, err := ParseBroadcastWindow(in); err != nil || got != want {
			t.Errorf("ParseBroadcastWindow(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "05:30", "5:30-6:30", "24:00-01:00", "23:60-23:59", "10:00-10:00", "-1:00-02:00", "aa:bb-cc:dd", "+1:00-02:00", "05:30-06:30-07:00"} {
		if got, err := ParseBroadcastWindow(in); err == nil {
			t.Errorf("ParseBroadcastWindow(%q) = %v, want an error", in, got)
		}
	}
}

func TestProblemString(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{"mqtt.brokr", "", `unknown key (did you mean "broker"?)`}, `mqtt.brokr: unknown key (did you mean "broker"?)`},
		{Problem{"area.latitude", "95", "must be between -90 and 90 degrees"}, `area.latitude: must be between -90 and 90 degrees (got "95")`},
		{Problem{"devices[3].id", "den-01", `duplicate of devices[1] "den-01"`}, `devices[3].id: duplicate of devices[1] "den-01"`},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"broker", "client_id", "topic_prefix", "tls"}
	for word, want := range map[string]string{
		"brokr":       ` (did you mean "broker"?)`,
		"BROKER_":     ` (did you mean "broker"?)`,
		"topicprefix": ` (did you mean "topic_prefix"?)`,
		"tsl":         ` (did you mean "tls"?)`,
		"zzzzzz":      ` (known keys: broker, client_id, topic_prefix, tls)`,
	} {
		if got := suggest(word, "known keys", keys); got != want {
			t.Errorf("suggest(%q) = %q, want %q", word, got, want)
		}
	}
}

func TestTrustedProxiesMustBeCIDRs(t *testing.T) {
	c := Default()
	c.HTTP.TrustedProxies = []string{"10.0.0.5/32", "10.0.0.6", "fd00::/8", "proxy.lan"}
	var ve *ValidationError
	if err := c.Validate(); !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want problems", err)
	}
	want := []string{
		`http.trusted_proxies[1]: cần một dải địa chỉ CIDR như 10.0.0.5/32 hoặc 192.168.1.0/24 / want a CIDR such as 10.0.0.5/32 or 192.168.1.0/24 (got "10.0.0.6")`,
		`http.trusted_proxies[3]: cần một dải địa chỉ CIDR như 10.0.0.5/32 hoặc 192.168.1.0/24 / want a CIDR such as 10.0.0.5/32 or 192.168.1.0/24 (got "proxy.lan")`,
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%q\nwant:\n%q", got, want)
	}
}
