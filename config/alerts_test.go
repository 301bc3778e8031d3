package config

import (
	"errors"
	"slices"
	"testing"
)

// TestValidateAlerts checks that bad alert settings are reported by key.
func TestValidateAlerts(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Config)
		keys []string
	}{
		{"valid webhook", func(c *Config) {
			c.Alerts.Webhooks = []Webhook{{URL: "https://gw.example.vn/h", Secret: "s", MinSeverity: "warning"}}
		}, nil},
		{"url does not parse", func(c *Config) { c.Alerts.Webhooks = []Webhook{{URL: "http://[::1", Secret: "s", MinSeverity: "info"}} },
			[]string{"alerts.webhooks[0].url"}},
		{"url not http", func(c *Config) { c.Alerts.Webhooks = []Webhook{{URL: "ftp://x/y", Secret: "s", MinSeverity: "info"}} },
			[]string{"alerts.webhooks[0].url"}},
		{"missing secret", func(c *Config) { c.Alerts.Webhooks = []Webhook{{URL: "http://x/y", MinSeverity: "info"}} },
			[]string{"alerts.webhooks[0].secret"}},
		{"unknown severity", func(c *Config) {
			c.Alerts.Webhooks = []Webhook{{URL: "http://x/y", Secret: "s", MinSeverity: "urgent"}}
		},
			[]string{"alerts.webhooks[0].min_severity"}},
		{"unknown kind", func(c *Config) { c.Alerts.OfflineAfter["lamp"] = 1 }, []string{"alerts.offline_after.lamp"}},
		{"announce unknown zone", func(c *Config) { c.Alerts.Announce.Zone = "ngo-9" }, []string{"alerts.announce.zone"}},
		{"announce unknown severity", func(c *Config) { c.Alerts.Announce = AlertAnnounce{Zone: "ngo-3", MinSeverity: "loud"} },
			[]string{"alerts.announce.min_severity"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			c.Zones = []Zone{{ID: "ngo-3"}}
			tt.edit(&c)
			var keys []string
			var ve *ValidationError
			if err := c.Validate(); errors.As(err, &ve) {
				for _, p := range ve.Problems {
					keys = append(keys, p.Key)
				}
			}
			if !slices.Equal(keys, tt.keys) {
				t.Errorf("problems at %v, want %v", keys, tt.keys)
			}
		})
	}
}
