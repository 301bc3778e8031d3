package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/sim"
)

// variant is one hamlet phase of -compare: a hamletd build and a publisher.
type variant struct {
	path, publisher string
	hamletd         string
	clients, window int
	p               phase
}

// compare runs one hamlet phase for each acknowledgement path (the default
// build, whose link writes its own PUBACKs, and the paho_ack build, which
// uses paho's dialer, store and Message.Ack) with each publisher (the
// benchmark's, and a gentler one with fewer connections and fewer messages
// in flight), then prints the comparison as a Markdown section and, with
// -out, writes it into that file as the section "ack-path".
func compare(ctx context.Context, o options, m machine, stdout io.Writer) error {
	vs := []variant{
		{path: "bypass (own PUBACKs)", publisher: "benchmark", hamletd: o.hamletd},
		{path: "paho (Message.Ack)", publisher: "benchmark", hamletd: o.hamletdPaho},
		{path: "bypass (own PUBACKs)", publisher: "gentle", hamletd: o.hamletd, clients: o.gentleClients, window: o.gentleWindow},
		{path: "paho (Message.Ack)", publisher: "gentle", hamletd: o.hamletdPaho, clients: o.gentleClients, window: o.gentleWindow},
	}
	load0 := loadAverage()
	for i := range vs {
		v := &vs[i]
		vo := o
		vo.hamletd, vo.blastClients, vo.blastWindow = v.hamletd, v.clients, v.window
		p, err := runHamlet(ctx, vo, 10+i)
		if err != nil {
			return fmt.Errorf("%s, %s publisher: %w", v.path, v.publisher, err)
		}
		if p.lost != 0 {
			return fmt.Errorf("%s, %s publisher: lost %d points", v.path, v.publisher, p.lost)
		}
		v.p = p
		logf(o, "compare: %s, %s publisher: %.0f msg/s, hamletd %.1f µs CPU/msg", v.path, v.publisher, p.rate(), perMsg(p.cpu, p.total))
	}
	section := compareMarkdown(o, m, vs, load0, loadAverage())
	fmt.Fprint(stdout, section)
	if o.out != "" {
		if err := writeSection(o.out, "ack-path", section); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
		logf(o, "section ack-path written to %s", o.out)
	}
	return nil
}

func perMsg(d time.Duration, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(n)
}

// compareMarkdown renders the comparison, with the machine it ran on.
func compareMarkdown(o options, m machine, vs []variant, load0, load1 string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `## The acknowledgement path: hamletd's own PUBACKs against paho's

Written by `+"`COMPARE=1 scripts/bench.sh`"+` on %s; %s, %d cores, Go %s, %s, hamletd %s.
%d Tasmota energy meters × %d messages = %d messages at QoS 1 per phase, one phase each, every point
checked in InfluxDB. "bypass" is the default build (mqttlink writes QoS 1 PUBACKs itself through its
buffered connection); "paho" is hamletd built with `+"`-tags paho_ack`"+` (paho's default dialer, its memory
store, `+"`SetAutoAckDisabled(true)`"+` and `+"`Message.Ack()`"+`). The benchmark's publisher is sim.Blast's default
(8 connections, %d unacknowledged publishes each); the gentle one uses %d connections with %d each.
The machine is shared: its 1-minute load average was %s before and %s after the run, so absolute
rates are low; compare the rows with each other.

| publisher | path | msg/s | hamletd CPU | hamletd µs CPU/msg | CPU %% of one core | peak RSS | points lost |
|---|---|---:|---:|---:|---:|---:|---:|
`, m.date.Format(time.RFC3339), m.cpu, m.cores, m.goVersion, orUnknown(m.mosquitto), orUnknown(m.hamletd),
		o.devices, o.messages, o.devices*o.messages, sim.DefaultBlastWindow, o.gentleClients, o.gentleWindow, load0, load1)
	for _, v := range vs {
		fmt.Fprintf(&b, "| %s | %s | %.0f | %s | %.1f | %.0f %% | %.1f MB | %d |\n", v.publisher, v.path, v.p.rate(),
			v.p.cpu.Round(10*time.Millisecond), perMsg(v.p.cpu, v.p.total), 100*v.p.cpu.Seconds()/v.p.elapsed.Seconds(),
			mb(v.p.peakRSS), v.p.lost)
	}
	b.WriteString("\n")
	for _, pub := range []string{"benchmark", "gentle"} {
		var by, pa phase
		for _, v := range vs {
			if v.publisher != pub {
				continue
			}
			if strings.HasPrefix(v.path, "bypass") {
				by = v.p
			} else {
				pa = v.p
			}
		}
		fmt.Fprintf(&b, "- %s publisher: the bypass has %+.0f %% throughput and %+.0f %% CPU per message against paho's path.\n", pub,
			100*(by.rate()/pa.rate()-1), 100*(perMsg(by.cpu, by.total)/perMsg(pa.cpu, pa.total)-1))
	}
	b.WriteString("\n")
	return b.String()
}

// loadAverage returns the 1-minute load average from /proc/loadavg, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "unknown"
	}
	return f[0]
}

// writeSection puts body into the file at path between the markers of
// section name, replacing an earlier copy or appending it, and leaves the
// rest of the file as it is.
func writeSection(path, name, body string) error {
	begin, end := "<!-- section "+name+" -->\n", "<!-- end "+name+" -->\n"
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	block := begin + body + end
	if i := strings.Index(s, begin); i >= 0 {
		if j := strings.Index(s[i:], end); j >= 0 {
			return os.WriteFile(path, []byte(s[:i]+block+s[i+j+len(end):]), 0o644)
		}
	}
	if s != "" && !strings.HasSuffix(s, "\n\n") {
		s = strings.TrimRight(s, "\n") + "\n\n"
	}
	return os.WriteFile(path, []byte(s+block), 0o644)
}
