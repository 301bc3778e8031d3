package sim

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"golang.org/x/sync/errgroup"
)

// Blast limits and defaults.
const (
	// MaxBlastMessages is the most messages per device: their timestamps
	// step one second back from now, and must stay within the daemon's
	// 7-day plausibility window with a day to spare.
	MaxBlastMessages   = 6 * 24 * 3600
	DefaultBlastPrefix = "blast_"
	DefaultBlastWindow = 256
)

// BlastOptions configures Blast.
type BlastOptions struct {
	// Broker, Username, Password and TLS reach the broker as in Options.
	Broker             string
	Username, Password string
	TLS                *tls.Config
	// Devices (N) and Messages (M, at most MaxBlastMessages) are the meters
	// and the messages each sends. Required.
	Devices, Messages int
	// Clients is how many MQTT connections share the devices. Default 8
	// (never more than Devices).
	Clients int
	// Window is the most unacknowledged publishes per client. Default
	// DefaultBlastWindow; brokers cap it (mochi disconnects past 1024).
	Window int
	// Prefix starts each device's Tasmota topic: device i (0-based) is
	// <Prefix><i as 4 digits>. Default DefaultBlastPrefix.
	Prefix string
	// Timezone is the IANA zone of the local-time timestamps. Default DefaultTimezone.
	Timezone string
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives progress. Default: discard.
	Logger *slog.Logger
}

// BlastResult reports a finished Blast.
type BlastResult struct {
	Published int           // messages acknowledged by the broker
	Duration  time.Duration // from the first connection to the last PUBACK
	// Start is the device time of every device's message 0; message k
	// carries Start + k seconds. Its location is the blast's timezone.
	Start time.Time
}

// BlastTopic returns the tele SENSOR topic of blast device i.
func BlastTopic(prefix string, i int) string { return fmt.Sprintf("tele/%s%04d/SENSOR", prefix, i) }

// Blast publishes N×M Tasmota tele/<topic>/SENSOR messages at QoS 1, over a
// few connections, and returns once the broker acknowledged every one.
//
// Timestamps are unique and strictly increasing per device although
// Tasmota's Time has one-second resolution and no offset: message k of every
// device carries Start + k s in the blast's timezone, where Start is now,
// truncated to the second, minus M seconds. The last message is one second
// old, so none is in the future, and M ≤ MaxBlastMessages keeps the first
// within 6 days. ENERGY.Total is k/1000 kWh (printed with three decimals),
// so a reader can tell exactly which messages arrived; BlastTally checks that.
func Blast(ctx context.Context, o BlastOptions) (BlastResult, error) {
	if o.Devices <= 0 || o.Messages <= 0 || o.Messages > MaxBlastMessages {
		return BlastResult{}, fmt.Errorf("sim: blast: devices (%d) must be positive and messages (%d) between 1 and %d",
			o.Devices, o.Messages, MaxBlastMessages)
	}
	dial, err := newDialer(Options{Broker: o.Broker, Username: o.Username, Password: o.Password, TLS: o.TLS})
	if err != nil {
		return BlastResult{}, err
	}
	if o.Clients <= 0 {
		o.Clients = 8
	}
	o.Clients = min(o.Clients, o.Devices)
	if o.Window <= 0 {
		o.Window = DefaultBlastWindow
	}
	if o.Prefix == "" {
		o.Prefix = DefaultBlastPrefix
	}
	if o.Timezone == "" {
		o.Timezone = DefaultTimezone
	}
	loc, err := loadLocation(o.Timezone)
	if err != nil {
		return BlastResult{}, fmt.Errorf("sim: blast: timezone: %w", err)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	start := o.Now().In(loc).Truncate(time.Second).Add(-time.Duration(o.Messages) * time.Second)
	began := time.Now()
	sessions := make([]*session, o.Clients)
	defer func() {
		for _, s := range sessions {
			if s != nil {
				s.disconnect()
			}
		}
	}()
	for c := range sessions {
		s, err := openSession(ctx, dial, sessionConfig{clientID: fmt.Sprintf("sim-blast-%d-%d", began.UnixNano()%1e6, c)})
		if err != nil {
			return BlastResult{}, fmt.Errorf("sim: blast: %w", err)
		}
		sessions[c] = s
	}
	g, gctx := errgroup.WithContext(ctx)
	for c, s := range sessions {
		g.Go(func() error { return blastClient(gctx, s, o, c, start) })
	}
	if err := g.Wait(); err != nil {
		return BlastResult{}, fmt.Errorf("sim: blast: %w", err)
	}
	res := BlastResult{Published: o.Devices * o.Messages, Duration: time.Since(began), Start: start}
	log.Info("blast done", "published", res.Published, "duration", res.Duration,
		"per_second", int(float64(res.Published)/res.Duration.Seconds()))
	return res, nil
}

// blastClient publishes for devices c, c+Clients, … every message in turn,
// keeping at most Window acknowledgements outstanding.
func blastClient(ctx context.Context, s *session, o BlastOptions, c int, start time.Time) error {
	var pending []mqtt.Token
	waitOldest := func() error {
		if err := wait(ctx, pending[0], DefaultPublishTimeout*6); err != nil {
			return err
		}
		pending = pending[1:]
		return nil
	}
	for k := 0; k < o.Messages; k++ {
		ts := start.Add(time.Duration(k) * time.Second).Format(tasmotaTime)
		for i := c; i < o.Devices; i += o.Clients {
			if len(pending) >= o.Window {
				if err := waitOldest(); err != nil {
					return err
				}
			}
			pending = append(pending, s.client.Publish(BlastTopic(o.Prefix, i), 1, false, blastPayload(ts, k)))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	for len(pending) > 0 {
		if err := waitOldest(); err != nil {
			return err
		}
	}
	return nil
}

// blastPayload is message k of a meter, with Time ts.
func blastPayload(ts string, k int) []byte {
	return fmt.Appendf(nil, `{"Time":"%s","ENERGY":{"TotalStartTime":"2024-01-01T00:00:00","Total":%.3f,`+
		`"Yesterday":0.000,"Today":%.3f,"Period":0,"Power":40,"ApparentPower":42,"ReactivePower":13,"Factor":0.95,`+
		`"Voltage":230,"Current":0.174}}`, ts, float64(k)/1000, float64(k)/1000)
}
