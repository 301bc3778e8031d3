package bench

import (
	"context"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// DropSession removes a client's persistent session from the broker by
// connecting with its client id and a clean session, so that the broker
// stops queueing messages for it: a benchmark's daemon must not start its
// next run under the backlog of messages sent while it was away.
func DropSession(ctx context.Context, broker, clientID string) error {
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker).SetClientID(clientID).
		SetCleanSession(true).SetAutoReconnect(false).SetConnectTimeout(10 * time.Second))
	t := c.Connect()
	select {
	case <-t.Done():
		if err := t.Error(); err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(30 * time.Second):
		return fmt.Errorf("drop session %q: no answer from the broker within 30s", clientID)
	}
	c.Disconnect(250)
	return nil
}
