package daemon

import (
	"context"
	"errors"
	"fmt"

	"github.com/hamlet-vn/hamlet/mqttlink"
)

// startMQTT starts the embedded broker when configured, then the broker link.
// An unreachable broker is not fatal: the link keeps retrying.
func (d *Daemon) startMQTT(ctx context.Context) error {
	opts := mqttlink.OptionsFromConfig(d.cfg, d.log)
	opts.Registerer = d.reg
	opts.OrderKey = d.router.OrderKey // one device's messages in order, whatever their topics
	if d.cfg.MQTT.Broker == "embedded" {
		emb, err := mqttlink.StartEmbedded(d.cfg.MQTT.Listen, d.log)
		if err != nil {
			return fmt.Errorf("embedded broker: %w", err)
		}
		d.embedded = emb
		opts.Broker = emb.URL()
	}
	d.brokerURL.Store(&opts.Broker)
	d.link = mqttlink.New(opts)
	if err := d.subscribeDevices(); err != nil {
		return err
	}
	return d.link.Start(ctx)
}

// mqttReady is the readiness check of the broker link.
func (d *Daemon) mqttReady(context.Context) error {
	if d.link == nil || !d.link.Connected() {
		return errors.New("not connected to the MQTT broker")
	}
	return nil
}

// BrokerURL returns the URL of the broker the daemon connects to (the
// embedded one's, when configured) once Run has started, else "".
func (d *Daemon) BrokerURL() string {
	if u := d.brokerURL.Load(); u != nil {
		return *u
	}
	return ""
}
