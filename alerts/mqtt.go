package alerts

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
)

// Publisher publishes one MQTT message; the daemon's broker link is one.
type Publisher interface {
	Publish(ctx context.Context, topic string, payload []byte, retained bool) error
}

// MQTTChannel publishes each open alert retained on
// <prefix>/<area>/$alerts/<alert id> and clears the topic (an empty retained
// message) when the alert clears.
type MQTTChannel struct {
	pub    Publisher
	prefix string // "<prefix>/<area>/$alerts/"
	log    *slog.Logger
}

// NewMQTTChannel returns the MQTT channel under topicPrefix and area.
func NewMQTTChannel(pub Publisher, topicPrefix, area string, log *slog.Logger) *MQTTChannel {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &MQTTChannel{pub: pub, prefix: topicPrefix + "/" + area + "/$alerts/", log: log}
}

// Notify publishes or clears the alert's topic.
func (c *MQTTChannel) Notify(ctx context.Context, e Event) {
	var body []byte
	if e.Type != "cleared" {
		body, _ = json.Marshal(e.Alert)
	}
	if err := c.pub.Publish(ctx, c.prefix+e.Alert.ID, body, true); err != nil {
		c.log.Warn("alert not published on MQTT", "id", e.Alert.ID, "err", err)
	}
}

// Speaker makes a spoken announcement of an alert on a zone; the announce
// capability provides it through the daemon.
type Speaker func(ctx context.Context, zone, text string) error

// AnnounceChannel speaks newly raised alerts of at least MinSeverity on a zone.
type AnnounceChannel struct {
	Zone        string
	MinSeverity Severity
	Speak       Speaker
	Log         *slog.Logger
}

// Notify speaks e when it is a raise urgent enough.
func (c *AnnounceChannel) Notify(ctx context.Context, e Event) {
	if e.Type != "raised" || !e.Alert.Severity.AtLeast(c.MinSeverity) || c.Speak == nil {
		return
	}
	text, _, _ := strings.Cut(e.Alert.Message, " / ") // the Vietnamese half
	if err := c.Speak(ctx, c.Zone, "Cảnh báo. "+text); err != nil && c.Log != nil {
		c.Log.Warn("alert not announced", "id", e.Alert.ID, "zone", c.Zone, "err", err)
	}
}
