package main

import (
	"fmt"
	"slices"
	"strings"
)

// telegrafSection compares hamletd with Telegraf, measured on the same load
// in the same rounds: rate, CPU per message and peak RSS, with the ratios
// hamlet/Telegraf.
func (r report) telegrafSection() string {
	var rows []round
	for _, x := range r.rounds {
		if x.telegraf != nil {
			rows = append(rows, x)
		}
	}
	if len(rows) == 0 {
		return "Telegraf was not measured in this run (`scripts/bench.sh` measures it with `TELEGRAF=1`, the default; " +
			"`-telegraf BINARY` of bench/ingest).\n"
	}
	us := func(p phase) float64 { return p.cpu.Seconds() / float64(p.total) * 1e6 }
	var b strings.Builder
	fmt.Fprintf(&b, "### Side by side with Telegraf (%s)\n\n", orUnknown(r.machine.telegraf))
	b.WriteString("The same publisher and load, one phase each per round, into a fresh InfluxDB database each; " +
		"Telegraf's configuration is below.\n\n")
	b.WriteString("| round | hamlet msg/s | Telegraf msg/s | rate ×Telegraf | hamletd CPU/msg | Telegraf CPU/msg | CPU ×Telegraf | hamletd peak RSS | Telegraf peak RSS | RSS ×Telegraf | lost (hamlet / Telegraf) |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	var rate, cpu, rss []float64
	for _, x := range rows {
		h, t := x.hamlet, *x.telegraf
		rate = append(rate, h.rate()/t.rate())
		cpu = append(cpu, us(h)/us(t))
		rss = append(rss, float64(h.peakRSS)/float64(t.peakRSS))
		fmt.Fprintf(&b, "| %d | %.0f | %.0f | %.2f | %.1f µs | %.1f µs | %.2f | %.1f MB | %.1f MB | %.2f | %d / %d |\n",
			x.n, h.rate(), t.rate(), rate[len(rate)-1], us(h), us(t), cpu[len(cpu)-1],
			mb(h.peakRSS), mb(t.peakRSS), rss[len(rss)-1], h.lost, t.lost)
	}
	fmt.Fprintf(&b, "\nMedians over the rounds: hamletd ingests at **%.2f×** Telegraf's rate, with **%.2f×** its CPU per message "+
		"and **%.2f×** its peak resident memory.\n\n", median(rate), median(cpu), median(rss))
	b.WriteString("Telegraf's phase ends at the first InfluxDB count that is complete, asked every " + r.opts.poll.String() +
		" once the publisher has finished (Telegraf has no counter to ask first, as hamletd's /metrics is); " +
		"its CPU is user+system of the telegraf process over the phase, its peak RSS its VmHWM.\n\n")
	b.WriteString("```toml\n" + strings.TrimSpace(fmt.Sprintf(telegrafConfig, "<dir>/telegraf.log", "tcp://127.0.0.1:<port>",
		"tele/+/SENSOR", telegrafClientID, "Asia/Ho_Chi_Minh", "http://127.0.0.1:<port>", "<db>/autogen")) + "\n```\n")
	return b.String()
}

// median returns the median of xs (which it sorts).
func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}
