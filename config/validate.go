package config

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// safeID is what ids that become MQTT topic levels and InfluxDB tags may hold.
var safeID = regexp.MustCompile(`^[a-z0-9_-]+$`)

// brokerSchemes are the URL schemes paho accepts for mqtt.broker.
func brokerSchemes() []string { return []string{"tcp", "mqtt", "ssl", "tls", "mqtts", "ws", "wss"} }

// Validate checks every key and returns nil or a *ValidationError listing
// every problem at once, in file order. It does not change c. Load calls it.
func (c *Config) Validate() error {
	return c.check().err()
}

// check returns every problem with c.
func (c *Config) check() problems {
	var ps problems
	c.checkArea(&ps)
	c.checkMQTT(&ps)
	c.checkInflux(&ps)
	c.checkHTTP(&ps)
	if strings.TrimSpace(c.Storage.Dir) == "" {
		ps.add("storage.dir", nil, "must not be empty")
	}
	c.checkAvailability(&ps)
	if d := c.Discovery.HomeAssistant; d.Enabled {
		checkTopic(&ps, "discovery.homeassistant.prefix", d.Prefix)
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		ps.add("log.level", c.Log.Level, "want debug, info, warn or error")
	}
	if !slices.Contains([]string{"text", "json"}, c.Log.Format) {
		ps.add("log.format", c.Log.Format, "want text or json")
	}
	c.checkZones(&ps)
	c.checkDevices(&ps)
	c.checkAnnounce(&ps)
	c.checkAlerts(&ps)
	c.checkUptime(&ps)
	c.checkLights(&ps)
	return ps
}

func (c *Config) checkAnnounce(ps *problems) {
	a := c.Announce
	if a.ValidFor < time.Minute || a.ValidFor > 24*time.Hour {
		ps.add("announce.valid_for", a.ValidFor, "want 1m to 24h")
	}
	if a.Grace < 0 || a.Grace > 24*time.Hour {
		ps.add("announce.grace", a.Grace, "want 0 to 24h")
	}
	if a.AnswerTimeout < time.Second || a.AnswerTimeout > 10*time.Minute {
		ps.add("announce.answer_timeout", a.AnswerTimeout, "want 1s to 10m")
	}
	if a.MaxMediaBytes < 64<<10 || a.MaxMediaBytes > 1<<30 {
		ps.add("announce.max_media_bytes", a.MaxMediaBytes, "want 64KiB to 1GiB")
	}
	if !slices.Contains([]string{"mp3", "ogg", "wav"}, a.SpeakerFormat) {
		ps.add("announce.speaker_format", a.SpeakerFormat, "want mp3, ogg or wav")
	}
	if strings.TrimSpace(a.TTSVoice) == "" || strings.ContainsAny(a.TTSVoice, " /\\") {
		ps.add("announce.tts_voice", a.TTSVoice, "want an espeak-ng voice name such as vi")
	}
	if a.TTSRate < 80 || a.TTSRate > 450 {
		ps.add("announce.tts_rate", a.TTSRate, "want 80 to 450 words per minute")
	}
	if a.TTSPitch < 0 || a.TTSPitch > 99 {
		ps.add("announce.tts_pitch", a.TTSPitch, "want 0 to 99")
	}
}

func (c *Config) checkArea(ps *problems) {
	checkID(ps, "area.id", c.Area.ID)
	if c.Area.Timezone == "" {
		ps.add("area.timezone", nil, "must not be empty (want an IANA zone such as Asia/Ho_Chi_Minh)")
	} else if _, err := time.LoadLocation(c.Area.Timezone); err != nil {
		ps.add("area.timezone", c.Area.Timezone, "unknown timezone (want an IANA zone such as Asia/Ho_Chi_Minh)")
	}
	if !(c.Area.Latitude >= -90 && c.Area.Latitude <= 90) {
		ps.add("area.latitude", c.Area.Latitude, "must be between -90 and 90 degrees")
	}
	if !(c.Area.Longitude >= -180 && c.Area.Longitude <= 180) {
		ps.add("area.longitude", c.Area.Longitude, "must be between -180 and 180 degrees")
	}
}

func (c *Config) checkMQTT(ps *problems) {
	m := c.MQTT
	if m.Broker != EmbeddedBroker {
		checkBrokerURL(ps, "mqtt.broker", m.Broker)
	}
	if id := c.ClientID(); len(id) > 65535 || strings.ContainsAny(id, "+#/\x00") {
		ps.add("mqtt.client_id", id, "must be at most 65535 bytes without +, #, / or NUL")
	}
	if m.Password != "" && m.Username == "" {
		ps.add("mqtt.password", nil, "is set but mqtt.username is empty (MQTT sends a password only with a username)")
	}
	checkTopic(ps, "mqtt.topic_prefix", m.TopicPrefix)
	checkHostPort(ps, "mqtt.listen", m.Listen, true)
	checkFile(ps, "mqtt.tls.ca_file", m.TLS.CAFile)
	checkCertPair(ps, "mqtt.tls", m.TLS.CertFile, m.TLS.KeyFile)
	if m.KeepAlive < time.Second || m.KeepAlive > 65535*time.Second {
		ps.add("mqtt.keep_alive", m.KeepAlive, "must be between 1s and 18h12m15s (MQTT counts whole seconds)")
	}
	checkPositive(ps, "mqtt.reconnect_max", m.ReconnectMax)
	checkPositive(ps, "mqtt.workers", m.Workers)
	checkPositive(ps, "mqtt.queue", m.Queue)
}

func (c *Config) checkInflux(ps *problems) {
	in := c.Influx
	if in.URL != "" {
		checkHTTPURL(ps, "influx.url", in.URL)
		if strings.TrimSpace(in.Bucket) == "" {
			ps.add("influx.bucket", nil, "must not be empty when influx.url is set (1.8: database/retention, e.g. hamlet/autogen)")
		}
	}
	if in.SpoolMaxBytes < 1<<20 {
		ps.add("influx.spool_max_bytes", in.SpoolMaxBytes, "must be at least 1MiB")
	}
	checkPositive(ps, "influx.batch_size", in.BatchSize)
	checkPositive(ps, "influx.flush_interval", in.FlushInterval)
}

func (c *Config) checkHTTP(ps *problems) {
	checkHostPort(ps, "http.listen", c.HTTP.Listen, true)
	checkHTTPURL(ps, "http.public_url", c.HTTP.PublicURL)
	checkCertPair(ps, "http", c.HTTP.CertFile, c.HTTP.KeyFile)
	for i, p := range c.HTTP.TrustedProxies {
		if _, err := netip.ParsePrefix(strings.TrimSpace(p)); err != nil {
			ps.add(fmt.Sprintf("http.trusted_proxies[%d]", i), p, "want a CIDR such as 10.0.0.5/32 or 192.168.1.0/24")
		}
	}
}

func (c *Config) checkAvailability(ps *problems) {
	for kind, d := range c.Availability.Timeout {
		key := "availability.timeout." + kind
		if _, err := devices.ParseKind(kind); err != nil {
			ps.add(key, nil, "unknown device kind%s", suggest(kind, "want one of", kindNames()))
			continue
		}
		checkPositive(ps, key, d)
	}
}

func kindNames() []string {
	names := make([]string, len(devices.Kinds))
	for i, k := range devices.Kinds {
		names[i] = string(k)
	}
	return names
}

// checkID requires a non-empty id of [a-z0-9_-], safe as a topic level and tag.
func checkID(ps *problems, key, id string) {
	switch {
	case id == "":
		ps.add(key, nil, "must not be empty")
	case len(id) > 64 || !safeID.MatchString(id):
		ps.add(key, id, "want only a-z, 0-9, _ and -, at most 64 characters (it becomes an MQTT topic level and an InfluxDB tag)")
	}
}

// checkTopic requires an MQTT topic without wildcards, empty levels or a leading $.
func checkTopic(ps *problems, key, topic string) {
	switch {
	case topic == "":
		ps.add(key, nil, "must not be empty")
	case strings.ContainsAny(topic, "+#\x00"):
		ps.add(key, topic, "must not contain the MQTT wildcards + or #")
	case strings.HasPrefix(topic, "/") || strings.HasSuffix(topic, "/") || strings.Contains(topic, "//"):
		ps.add(key, topic, "must not start or end with / or contain an empty level")
	case strings.HasPrefix(topic, "$"):
		ps.add(key, topic, "must not start with $ (reserved for broker topics)")
	}
}

// checkBrokerURL requires scheme://host:port with a scheme paho knows; the port
// may be left out for ws and wss.
func checkBrokerURL(ps *problems, key, raw string) {
	u, err := url.Parse(raw)
	if err != nil || !slices.Contains(brokerSchemes(), u.Scheme) {
		ps.add(key, raw, `want "embedded" or a URL such as tcp://127.0.0.1:1883 (schemes: %s)`, strings.Join(brokerSchemes(), ", "))
		return
	}
	if u.Hostname() == "" {
		ps.add(key, raw, "the URL has no host (want e.g. tcp://127.0.0.1:1883)")
		return
	}
	if u.Port() == "" && u.Scheme != "ws" && u.Scheme != "wss" {
		ps.add(key, raw, "the URL has no port (want e.g. tcp://127.0.0.1:1883)")
		return
	}
	if p := u.Port(); p != "" && !validPort(p) {
		ps.add(key, raw, "the port must be a number from 1 to 65535")
	}
}

// checkHTTPURL requires an absolute http or https URL with a host.
func checkHTTPURL(ps *problems, key, raw string) {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		ps.add(key, nil, "must not be empty (want e.g. http://192.168.1.10:8080)")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https"):
		ps.add(key, raw, "want an http:// or https:// URL")
	case u.Hostname() == "":
		ps.add(key, raw, "the URL has no host")
	case u.Port() != "" && !validPort(u.Port()):
		ps.add(key, raw, "the port must be a number from 1 to 65535")
	}
}

// checkHostPort requires "host:port" or ":port"; port 0 is allowed when zeroOK.
func checkHostPort(ps *problems, key, addr string, zeroOK bool) {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		ps.add(key, addr, "want host:port such as 127.0.0.1:1883 or :8080")
		return
	}
	if !validPort(port) && !(zeroOK && port == "0") {
		ps.add(key, addr, "the port must be a number from 1 to 65535")
	}
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// checkCertPair requires cert_file and key_file together, each an existing file.
func checkCertPair(ps *problems, prefix, cert, key string) {
	if (cert == "") != (key == "") {
		missing := prefix + ".key_file"
		if cert == "" {
			missing = prefix + ".cert_file"
		}
		ps.add(missing, nil, "must be set together with %s", other(prefix, missing))
	}
	checkFile(ps, prefix+".cert_file", cert)
	checkFile(ps, prefix+".key_file", key)
}

// other names the other half of a cert_file/key_file pair.
func other(prefix, key string) string {
	if key == prefix+".cert_file" {
		return prefix + ".key_file"
	}
	return prefix + ".cert_file"
}

// checkFile requires path, when set, to name an existing regular file.
func checkFile(ps *problems, key, path string) {
	if path == "" {
		return
	}
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		ps.add(key, path, "file not found")
	case fi.IsDir():
		ps.add(key, path, "is a directory, want a PEM file")
	}
}

// checkPositive requires n > 0.
func checkPositive[T int | time.Duration](ps *problems, key string, n T) {
	if n <= 0 {
		ps.add(key, n, "must be greater than zero")
	}
}

func (c *Config) checkUptime(ps *problems) {
	for kind, v := range c.Uptime.SLO {
		key := "uptime.slo." + kind
		if _, err := devices.ParseKind(kind); err != nil {
			ps.add(key, nil, "unknown device kind%s", suggest(kind, "want one of", kindNames()))
			continue
		}
		if !(v > 0 && v <= 100) {
			ps.add(key, v, "want a percentage above 0 and at most 100")
		}
	}
}

func (c *Config) checkLights(ps *problems) {
	if t := c.Lights.ConfirmTimeout; t < 100*time.Millisecond || t > time.Minute {
		ps.add("lights.confirm_timeout", t.String(), "want a duration from 100ms to 1m")
	}
	if t := c.Lights.FaultAfter; t < time.Second || t > 24*time.Hour {
		ps.add("lights.fault_after", t.String(), "want a duration from 1s to 24h")
	}
}
