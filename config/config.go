// Package config holds hamletd's one typed Config: its defaults, how it is
// loaded (YAML file, HAMLET_<SECTION>_<KEY> environment variables) and how it
// is validated. It is the only package that imports viper.
package config

import "time"

// Config is the whole daemon configuration. The zero value is not useful:
// start from Default or Load.
type Config struct {
	Area         Area         `mapstructure:"area"`
	MQTT         MQTT         `mapstructure:"mqtt"`
	Influx       Influx       `mapstructure:"influx"`
	HTTP         HTTP         `mapstructure:"http"`
	Storage      Storage      `mapstructure:"storage"`
	Availability Availability `mapstructure:"availability"`
	Discovery    Discovery    `mapstructure:"discovery"`
	Log          Log          `mapstructure:"log"`
	Zones        []Zone       `mapstructure:"zones"`
	Devices      []Device     `mapstructure:"devices"`
	Announce     Announce     `mapstructure:"announce"`
	Alerts       Alerts       `mapstructure:"alerts"`
	Uptime       Uptime       `mapstructure:"uptime"`
	Lights       Lights       `mapstructure:"lights"`
}

// Area describes the residential area this daemon serves.
type Area struct {
	// ID is the area's short id, used in MQTT topics and InfluxDB tags. Default "khu10".
	ID string `mapstructure:"id"`
	// Name is the human (Vietnamese) name. Default "Khu dân cư số 10".
	Name string `mapstructure:"name"`
	// Timezone is an IANA zone name. Default "Asia/Ho_Chi_Minh".
	Timezone string `mapstructure:"timezone"`
	// Latitude and Longitude in degrees (north and east positive) for sunrise and sunset.
	// Default 21.3269, 105.2650.
	Latitude  float64 `mapstructure:"latitude"`
	Longitude float64 `mapstructure:"longitude"`
}

// MQTT configures the broker link and the optional embedded broker.
type MQTT struct {
	// Broker is the broker URL (tcp://, ssl://, mqtts://, ws://), or "embedded" to run an
	// in-process broker on Listen and connect to it. Default "embedded".
	Broker string `mapstructure:"broker"`
	// ClientID is the fixed client id of the persistent session. Default "hamletd-<area id>".
	ClientID string `mapstructure:"client_id"`
	// Username and Password authenticate to the broker. Default empty.
	Username string `mapstructure:"username"`
	Password string `mapstructure:"password"`
	// TopicPrefix is the first level of hamlet's native topics. Default "hamlet".
	TopicPrefix string `mapstructure:"topic_prefix"`
	// Listen is where the embedded broker listens. Default "127.0.0.1:1883".
	Listen string `mapstructure:"listen"`
	// TLS optionally secures the link. Empty files mean no TLS (or system roots for ssl:// URLs).
	TLS TLS `mapstructure:"tls"`
	// KeepAlive is the MQTT keep-alive interval. Default 30s.
	KeepAlive time.Duration `mapstructure:"keep_alive"`
	// ReconnectMax caps the reconnect backoff. Default 30s.
	ReconnectMax time.Duration `mapstructure:"reconnect_max"`
	// Workers is the number of goroutines that handle received messages. Default 4.
	Workers int `mapstructure:"workers"`
	// Queue is the capacity of the hand-off between paho and the workers. Default 4096.
	Queue int `mapstructure:"queue"`
}

// TLS names PEM files for a TLS connection.
type TLS struct {
	// CAFile verifies the broker's certificate. Default empty (system roots).
	CAFile string `mapstructure:"ca_file"`
	// CertFile and KeyFile are the client certificate and key. Default empty (none).
	CertFile string `mapstructure:"cert_file"`
	KeyFile  string `mapstructure:"key_file"`
}

// Influx configures telemetry export. An empty URL turns export off.
type Influx struct {
	// URL of InfluxDB (1.8 with the v2 API, 2.x or 3.x). Default empty: export off.
	URL string `mapstructure:"url"`
	// Token authenticates; for InfluxDB 1.8 it is "user:password" or empty. Default empty.
	Token string `mapstructure:"token"`
	// Org is the InfluxDB 2.x organisation; ignored by 1.8. Default empty.
	Org string `mapstructure:"org"`
	// Bucket is the bucket, or "database/retention" for 1.8. Default "hamlet/autogen".
	Bucket string `mapstructure:"bucket"`
	// SpoolMaxBytes bounds the on-disk spool used while InfluxDB is unreachable.
	// Accepts sizes such as "1GiB" or "500MB". Default 1GiB.
	SpoolMaxBytes ByteSize `mapstructure:"spool_max_bytes"`
	// BatchSize is the most points in one write. Default 5000.
	BatchSize int `mapstructure:"batch_size"`
	// FlushInterval is the longest a point waits before it is written. Default 1s.
	FlushInterval time.Duration `mapstructure:"flush_interval"`
}

// HTTP configures the web server.
type HTTP struct {
	// Listen is the address of the HTTP server. Default ":8080".
	Listen string `mapstructure:"listen"`
	// PublicURL is the base URL that devices (speakers) use to fetch media. Default "http://127.0.0.1:8080".
	PublicURL string `mapstructure:"public_url"`
	// CertFile and KeyFile serve HTTPS when both are set. Default empty (plain HTTP).
	CertFile string `mapstructure:"cert_file"`
	KeyFile  string `mapstructure:"key_file"`
	// TrustedProxies are the reverse proxies (CIDRs such as 10.0.0.5/32)
	// whose X-Forwarded-For names the client. A request from any other peer
	// is judged by its own address. Default empty (trust no proxy).
	TrustedProxies []string `mapstructure:"trusted_proxies"`
}

// Storage configures local state.
type Storage struct {
	// Dir holds the SQLite database and the spool. Default "./hamlet-data".
	Dir string `mapstructure:"dir"`
}

// Availability configures how devices are judged online.
type Availability struct {
	// Timeout is, per device kind, how long a device may stay silent before it is
	// considered offline. Defaults: light 10m, camera 5m, speaker 10m.
	Timeout map[string]time.Duration `mapstructure:"timeout"`
}

// Discovery configures the discovery protocols hamletd listens to.
type Discovery struct {
	HomeAssistant HomeAssistantDiscovery `mapstructure:"homeassistant"`
	Tasmota       TasmotaDiscovery       `mapstructure:"tasmota"`
}

// HomeAssistantDiscovery configures Home Assistant MQTT discovery (ESPHome and others).
type HomeAssistantDiscovery struct {
	// Enabled turns discovery on. Default true.
	Enabled bool `mapstructure:"enabled"`
	// Prefix is the discovery prefix. Default "homeassistant".
	Prefix string `mapstructure:"prefix"`
}

// TasmotaDiscovery configures Tasmota's native discovery (tasmota/discovery/#).
type TasmotaDiscovery struct {
	// Enabled turns discovery on. Default true.
	Enabled bool `mapstructure:"enabled"`
}

// Log configures logging.
type Log struct {
	// Level is debug, info, warn or error. Default "info".
	Level string `mapstructure:"level"`
	// Format is "text" or "json". Default "text".
	Format string `mapstructure:"format"`
}

// Zone is a part of the area (a lane, a street) that groups devices.
type Zone struct {
	// ID is the zone's short id. Required.
	ID string `mapstructure:"id"`
	// Name is the human name. Default: the ID.
	Name string `mapstructure:"name"`
	// BroadcastWindows are "HH:MM-HH:MM" local-time windows in which non-emergency
	// announcements may play. Default empty: any time.
	BroadcastWindows []string `mapstructure:"broadcast_windows"`
}

// Device is a device declared by the installer.
type Device struct {
	// ID is unique in the area. Required.
	ID string `mapstructure:"id"`
	// Name is the human name. Default: the ID.
	Name string `mapstructure:"name"`
	// Kind is light, camera or speaker. Required.
	Kind string `mapstructure:"kind"`
	// Zone must name a declared zone. Required.
	Zone string `mapstructure:"zone"`
	// Protocol is native, tasmota, esphome, hass, shelly, zigbee2mqtt, frigate or sonos2mqtt. Required.
	Protocol string `mapstructure:"protocol"`
	// Topic is the protocol's own device address (see docs). Default: the ID for native.
	Topic string `mapstructure:"topic"`
	// FullTopic is a custom Tasmota FullTopic such as "%prefix%/%topic%/". Default Tasmota's.
	FullTopic string `mapstructure:"full_topic"`
	// StreamURL is a camera's live stream link (http, https or rtsp) shown on
	// the phone UI's Camera page. Default none.
	StreamURL string `mapstructure:"stream_url"`
	// Channel names the output of a multi-output controller in the
	// firmware's words: Tasmota relay "1"-"32", Shelly component id "0"-"999",
	// ESPHome or Home Assistant entity object id ("relay_2"), Zigbee2MQTT
	// endpoint ("l2"). Default empty: the controller's first output.
	Channel string `mapstructure:"channel"`
}

// Uptime configures the uptime reports.
type Uptime struct {
	// SLO is, per device kind, the uptime % a device should reach over a
	// report; devices below it are listed as breaching. A kind left out keeps
	// its default. Defaults: camera 99, light 98, speaker 97.
	SLO map[string]float64 `mapstructure:"slo"`
}

// Lights configures the lights capability.
type Lights struct {
	// ConfirmTimeout is how long a command's response waits for lights to
	// confirm; later results arrive as events. Default 3s.
	ConfirmTimeout time.Duration `mapstructure:"confirm_timeout"`
	// FaultAfter is how long a lamp fault (dark when it should be on,
	// burning by day, no power while on) must last before it is raised. Default 2m.
	FaultAfter time.Duration `mapstructure:"fault_after"`
}

// Announce configures announcements (loudspeakers).
type Announce struct {
	// ValidFor is how long an announcement may wait for offline speakers
	// before they end failed. Default 30m.
	ValidFor time.Duration `mapstructure:"valid_for"`
	// Grace is how late a scheduled occurrence may still play after the
	// daemon was down; later it is marked missed. Default 10m.
	Grace time.Duration `mapstructure:"grace"`
	// AnswerTimeout is how long a speaker may take to answer a play, or to
	// report its end after the audio's length. Default 30s.
	AnswerTimeout time.Duration `mapstructure:"answer_timeout"`
	// MaxMediaBytes bounds an audio upload. Accepts sizes such as "20MiB". Default 20MiB.
	MaxMediaBytes ByteSize `mapstructure:"max_media_bytes"`
	// SpeakerFormat is the audio format speakers play: mp3, ogg or wav. Default "mp3".
	SpeakerFormat string `mapstructure:"speaker_format"`
	// TTSVoice is the espeak-ng voice of text to speech. Default "vi".
	TTSVoice string `mapstructure:"tts_voice"`
	// TTSRate is the speaking rate in words per minute, 80–450. Default 150.
	TTSRate int `mapstructure:"tts_rate"`
	// TTSPitch is the voice pitch, 0–99. Default 50.
	TTSPitch int `mapstructure:"tts_pitch"`
}
