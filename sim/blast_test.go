package sim

import (
	"context"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/hamlet-vn/hamlet/internal/testutil"
)

func TestBlastDeliversEveryMessageWithUniqueTimestamps(t *testing.T) {
	const devices, messages = 40, 50
	b := startBroker(t)
	tally := NewBlastTally("", devices, messages)
	c := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(b.url).SetClientID("blast-reader").SetOrderMatters(false))
	if tok := c.Connect(); !tok.WaitTimeout(waitLimit) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer c.Disconnect(100)
	tok := c.Subscribe("tele/+/SENSOR", 1, func(_ mqtt.Client, m mqtt.Message) { _ = tally.Add(m.Topic(), m.Payload()) })
	if !tok.WaitTimeout(waitLimit) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	before := time.Now()
	res, err := Blast(ctx, BlastOptions{Broker: b.url, Devices: devices, Messages: messages, Clients: 4, Window: 64})
	if err != nil {
		t.Fatal(err)
	}
	if res.Published != devices*messages {
		t.Errorf("Published = %d, want %d", res.Published, devices*messages)
	}
	last := res.Start.Add((messages - 1) * time.Second)
	if !last.Before(before) || res.Start.Before(before.Add(-(messages+1)*time.Second)) {
		t.Errorf("timestamps %s … %s are not the %d seconds before %s", res.Start, last, messages, before)
	}
	testutil.Eventually(t, waitLimit, "every blast message", func() bool { return tally.Missing() == 0 || tally.Err() != nil })
	if err := tally.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d messages in %v, %d duplicates", res.Published, res.Duration, tally.Duplicates())
}

func TestBlastTallyRejectsStrangers(t *testing.T) {
	tally := NewBlastTally("b_", 2, 3)
	ts := "2024-05-01T10:00:00"
	if err := tally.Add("tele/b_0001/SENSOR", blastPayload(ts, 1)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ topic, payload string }{
		{"tele/b_0002/SENSOR", string(blastPayload(ts, 0))},                    // device out of range
		{"tele/b_0000/SENSOR", string(blastPayload(ts, 7))},                    // sequence out of range
		{"tele/b_0000/SENSOR", string(blastPayload("2024-05-01T10:00:05", 2))}, // wrong time for k=2
		{"tele/b_0000/SENSOR", "{"},
	} {
		if err := tally.Add(c.topic, []byte(c.payload)); err == nil {
			t.Errorf("Add(%s, %s) accepted", c.topic, c.payload)
		}
	}
	_ = tally.Add("tele/b_0001/SENSOR", blastPayload(ts, 1))
	if tally.Received() != 1 || tally.Duplicates() != 1 || tally.Missing() != 5 {
		t.Errorf("received %d, duplicates %d, missing %d", tally.Received(), tally.Duplicates(), tally.Missing())
	}
	if _, err := Blast(context.Background(), BlastOptions{Broker: "tcp://127.0.0.1:1", Devices: 1, Messages: MaxBlastMessages + 1}); err == nil {
		t.Error("Blast accepted more than MaxBlastMessages")
	}
}
