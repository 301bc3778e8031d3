package config

import (
	"maps"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// Alerts configures who hears about problems, and when.
type Alerts struct {
	// OfflineAfter is, per device kind, how long a device may be offline before
	// an alert. Defaults: camera 5m, light 15m, speaker 30m.
	OfflineAfter map[string]time.Duration `mapstructure:"offline_after"`
	// ClearAfter is how long a condition must stay away before its alert
	// clears; a return within it counts a flap on the same alert. Default 2m.
	ClearAfter time.Duration `mapstructure:"clear_after"`
	// Webhooks receive every alert event as a signed JSON POST (docs/alerts.md). Default none.
	Webhooks []Webhook `mapstructure:"webhooks"`
	// MQTT publishes open alerts retained on <prefix>/<area>/$alerts/<id>. Default false.
	MQTT bool `mapstructure:"mqtt"`
	// Announce speaks new alerts on a zone's loudspeakers. Default off (no zone).
	Announce AlertAnnounce `mapstructure:"announce"`
}

// Webhook is one receiver of alert notifications.
type Webhook struct {
	// URL is where notifications are POSTed. Required.
	URL string `mapstructure:"url"`
	// Secret signs each body (X-Hamlet-Signature: sha256=<hex HMAC-SHA256>). Required.
	Secret string `mapstructure:"secret"`
	// MinSeverity is the least urgent severity sent: critical, warning or info. Default info.
	MinSeverity string `mapstructure:"min_severity"`
}

// AlertAnnounce speaks alerts on a zone.
type AlertAnnounce struct {
	// Zone whose speakers announce alerts. Default empty: no spoken alerts.
	Zone string `mapstructure:"zone"`
	// MinSeverity is the least urgent severity spoken. Default critical.
	MinSeverity string `mapstructure:"min_severity"`
}

func defaultAlerts() Alerts {
	return Alerts{OfflineAfter: defaultOfflineAfter(), ClearAfter: 2 * time.Minute,
		Announce: AlertAnnounce{MinSeverity: "critical"}}
}

func defaultOfflineAfter() map[string]time.Duration {
	return map[string]time.Duration{
		string(devices.Camera):  5 * time.Minute,
		string(devices.Light):   15 * time.Minute,
		string(devices.Speaker): 30 * time.Minute,
	}
}

// fillAlerts sets kinds the file left out and default severities.
func (c *Config) fillAlerts() {
	after := defaultOfflineAfter()
	maps.Copy(after, c.Alerts.OfflineAfter)
	c.Alerts.OfflineAfter = after
	if len(c.Alerts.Webhooks) == 0 {
		c.Alerts.Webhooks = nil // an empty list in the file means the same as none
	}
	for i := range c.Alerts.Webhooks {
		if c.Alerts.Webhooks[i].MinSeverity == "" {
			c.Alerts.Webhooks[i].MinSeverity = "info"
		}
	}
	if c.Alerts.Announce.MinSeverity == "" {
		c.Alerts.Announce.MinSeverity = "critical"
	}
}

var severities = []string{"critical", "warning", "info"}

func (c *Config) checkAlerts(ps *problems) {
	for kind, d := range c.Alerts.OfflineAfter {
		key := "alerts.offline_after." + kind
		if _, err := devices.ParseKind(kind); err != nil {
			ps.add(key, nil, "unknown device kind%s", suggest(kind, "want one of", kindNames()))
			continue
		}
		checkPositive(ps, key, d)
	}
	checkPositive(ps, "alerts.clear_after", c.Alerts.ClearAfter)
	for i, w := range c.Alerts.Webhooks {
		key := "alerts.webhooks[" + strconv.Itoa(i) + "]"
		if u, err := url.Parse(w.URL); w.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.add(key+".url", w.URL, "want an http:// or https:// URL")
		}
		if w.Secret == "" {
			ps.add(key+".secret", nil, "must not be empty: receivers verify the signature with it")
		}
		if !slices.Contains(severities, w.MinSeverity) {
			ps.add(key+".min_severity", w.MinSeverity, "unknown severity%s", suggest(w.MinSeverity, "want one of", severities))
		}
	}
	if a := c.Alerts.Announce; a.Zone != "" {
		if !slices.ContainsFunc(c.Zones, func(z Zone) bool { return z.ID == a.Zone }) {
			ps.add("alerts.announce.zone", a.Zone, "no such zone in zones")
		}
		if !slices.Contains(severities, a.MinSeverity) {
			ps.add("alerts.announce.min_severity", a.MinSeverity, "unknown severity%s", suggest(a.MinSeverity, "want one of", severities))
		}
	}
}
