package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
)

// Markers of the lights section in the results file; the rest of the file
// belongs to the other benchmarks.
const (
	beginMarker = "<!-- lights bench: begin -->"
	endMarker   = "<!-- lights bench: end -->"
)

// goal is the p99 per-lamp confirmation latency to stay under on loopback.
const goal = 250 * time.Millisecond

func (r result) markdown() string {
	var b strings.Builder
	b.WriteString(beginMarker + "\n")
	fmt.Fprintf(&b, "# Lights benchmark: \"all lights on\" for %d simulated lamps\n\n", r.o.lamps)
	fmt.Fprintf(&b, "Written by `make bench` (bench/lights, scripts/bench.sh) on %s. Do not edit by hand; rerun it.\n\n",
		time.Now().UTC().Format(time.RFC3339))
	b.WriteString("## Machine\n\n| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| CPU | %s |\n| cores | %d |\n| memory | %s |\n| kernel | %s |\n| Go | %s |\n| Mosquitto | %s |\n| load average (1, 5, 15 min) at the start | %s |\n| load average at the end | %s |\n\n",
		bench.ProcField("/proc/cpuinfo", "model name"), runtime.NumCPU(), bench.ProcField("/proc/meminfo", "MemTotal"),
		strings.TrimSpace(readFile("/proc/sys/kernel/osrelease")), runtime.Version(), mosquittoVersion(),
		r.loadStart, loadAvg())
	fmt.Fprintf(&b, "## Result\n\n%d simulated %s lamps, each its own MQTT connection to Mosquitto on loopback "+
		"(fleet start and all lamps online: %s); the lights pipeline (broker link, adapters, registry, ingest, "+
		"lights.Service) in the same process. One command sets every lamp on; a lamp is confirmed when its "+
		"reported state (Tasmota `stat/.../RESULT`, native `.../state`) has come back through the broker and the registry. Baseline: %d QoS 1 publish → "+
		"receive round trips of one client through the same broker, measured just before each round; and the "+
		"ceiling: a bare paho client sending the same on to every lamp at once (no adapters, registry or "+
		"bookkeeping) and timing each lamp's answer, on the same fleet just before hamlet's turn.\n\n",
		r.o.lamps, r.o.protocol, r.setup.Round(time.Millisecond), r.o.samples)
	b.WriteString("| round | all confirmed | lamp p50 | lamp p99 | bare client p50 | bare client p99 | p99 / bare p99 | broker RTT p50 | broker RTT p99 | confirmed in the response |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	w := r.warmup
	fmt.Fprintf(&b, "| warm-up (not counted) | %s | %s | %s | %s | %s | %.2f | %s | %s | %d / %d |\n", ms(w.total),
		ms(pct(w.lamp, 0.5)), ms(pct(w.lamp, 0.99)), ms(pct(w.bare, 0.5)), ms(pct(w.bare, 0.99)),
		float64(pct(w.lamp, 0.99))/float64(max(pct(w.bare, 0.99), time.Microsecond)),
		ms(pct(w.brokerRTT, 0.5)), ms(pct(w.brokerRTT, 0.99)), w.confirmed, r.o.lamps)
	var worst time.Duration
	var lamps, bares []time.Duration
	for i, rd := range r.rounds {
		lamps, bares = append(lamps, rd.lamp...), append(bares, rd.bare...)
		p99 := pct(rd.lamp, 0.99)
		worst = max(worst, p99)
		ratio := float64(p99) / float64(max(pct(rd.bare, 0.99), time.Microsecond))
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %.2f | %s | %s | %d / %d |\n", i+1, ms(rd.total),
			ms(pct(rd.lamp, 0.5)), ms(p99), ms(pct(rd.bare, 0.5)), ms(pct(rd.bare, 0.99)), ratio,
			ms(pct(rd.brokerRTT, 0.5)), ms(pct(rd.brokerRTT, 0.99)), rd.confirmed, r.o.lamps)
	}
	fmt.Fprintf(&b, "| all rounds | | %s | %s | %s | %s | %.2f | | | |\n", ms(pct(lamps, 0.5)), ms(pct(lamps, 0.99)),
		ms(pct(bares, 0.5)), ms(pct(bares, 0.99)), float64(pct(lamps, 0.99))/float64(max(pct(bares, 0.99), time.Microsecond)))
	met := "met"
	if worst >= goal {
		met = "NOT met"
	}
	fmt.Fprintf(&b, "\nWorst round's per-lamp p99 %s (every lamp of every round: p99 %s), goal < %s on loopback: %s.\n\n",
		ms(worst), ms(pct(lamps, 0.99)), ms(goal), met)
	if r.wall > 0 {
		fmt.Fprintf(&b, "During the counted rounds (bare and hamlet, on and off) the benchmark process, the 1,000 lamps, the\n"+
			"bare client and the pipeline together, used %s of CPU in %s, pauses included (%.0f %% of one core;\n"+
			"the machine has %d).\n\n",
			r.cpu.Round(10*time.Millisecond), r.wall.Round(10*time.Millisecond), 100*r.cpu.Seconds()/r.wall.Seconds(), runtime.NumCPU())
	}
	b.WriteString("The per-lamp latency is the time from sending the command to the lamp's new state in the\n" +
		"registry: the command is encoded and published QoS 1 (one goroutine sends every lamp its command, then\n" +
		"collects the broker's acknowledgements; a Tasmota lamp gets POWER, and Dimmer first only when its\n" +
		"brightness must change), routed by Mosquitto to the lamp's connection, answered by the simulated\n" +
		"firmware and decoded. With 1,000 lamps at once a lamp's latency is mostly the broker's and the lamps'\n" +
		"queue, which the bare client meets too: p99 / bare p99 is hamlet's own cost. Per lamp the broker sends\n" +
		"hamlet two messages (Tasmota answers with stat/RESULT and stat/POWER, and hamlet reads stat/#) against\n" +
		"the bare client's one (it subscribes to RESULT alone). The lamps answer at QoS 0, as Tasmota does, and\n" +
		"each of hamlet and the bare client starts its round only once the pipeline has taken in every answer to\n" +
		"the other's (then 200 ms more). A first round warms up (the pipeline's maps and the store's table fill\n" +
		"for the first time, which a running daemon did at its start); it is shown, not counted. Until 2026-12-04 hamlet got six messages per lamp (Dimmer was sent with\n" +
		"POWER although the lamp already had that brightness, and Tasmota's cmnd/# stayed subscribed, so every\n" +
		"command came back): p99 293–422 ms against the bare client's 133–181 ms (docs/mqtt.md, Tasmota). The\n" +
		"lamps, Mosquitto and the pipeline share the machine's cores, which real lamps do not: the 1,000\n" +
		"simulated lamps use more of its CPU than hamlet does (`-cpuprofile`, `-memprofile`), and with other\n" +
		"work on the machine (see the load averages above) the numbers say more about that than about hamlet.\n\n")
	if len(r.api) > 0 {
		r.apiMarkdown(&b)
	}
	b.WriteString("Rerun: `make bench` (all benchmarks), or with services running\n" +
		"`HAMLET_MQTT_BROKER=tcp://127.0.0.1:PORT go run ./bench/lights -lights 1000 -rounds 3 -out bench/results.md` (`-cpuprofile FILE` and `-memprofile FILE`\n" +
		"profile the rounds).\n")
	b.WriteString(endMarker + "\n")
	return b.String()
}

// apiMarkdown writes the rounds through hamletd's API.
func (r result) apiMarkdown(b *strings.Builder) {
	fmt.Fprintf(b, "## Through hamletd's API\n\nThe same %d lamps and Mosquitto, now with `hamletd run` (its own process, its default of one CPU,\n"+
		"no InfluxDB) declaring them in its config, as deployed. The benchmark signs in, opens `GET /api/v1/events` as the\n"+
		"phone's Đèn page does, and sends `POST /api/v1/commands` `{\"target\":{\"all\":true,\"kind\":\"light\"},\"set\":{\"on\":true}}`\n"+
		"(then the same with off), once hamletd's first scan of Tasmota's retained commands has ended (10 s after it\n"+
		"connects, and for 10 s every hour, each command comes back to it). \"answer\" is the command's round trip: hamletd\n"+
		"answers once every lamp is decided. A lamp's latency is from sending the command to its `confirmed` event arriving\n"+
		"on the stream (hamletd sends command results in batches at most 20 ms apart).\n\n", r.o.lamps)
	b.WriteString("| round | answer (all decided) | lamp p50 | lamp p99 | confirmed in the answer |\n|---:|---:|---:|---:|---:|\n")
	row := func(name string, rd apiRound) {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %d / %d |\n", name, ms(rd.response), ms(pct(rd.lamp, 0.5)), ms(pct(rd.lamp, 0.99)), rd.confirmed, r.o.lamps)
	}
	row("warm-up (not counted)", r.apiWarmup)
	var lamps []time.Duration
	var worst time.Duration
	for i, rd := range r.api {
		row(fmt.Sprint(i+1), rd)
		lamps = append(lamps, rd.lamp...)
		worst = max(worst, pct(rd.lamp, 0.99))
	}
	fmt.Fprintf(b, "| all rounds | | %s | %s | |\n\n", ms(pct(lamps, 0.5)), ms(pct(lamps, 0.99)))
	met := "met"
	if worst >= goal {
		met = "NOT met"
	}
	n := int64(max(len(r.api), 1))
	fmt.Fprintf(b, "Worst round's per-lamp p99 through the API %s, goal < %s: %s. Per round (\"all on\" and \"all off\",\n"+
		"%d lamps each, the event stream included) hamletd used %s of CPU, %d write and %d read system calls.\n\n",
		ms(worst), ms(goal), met, r.o.lamps, ms(r.apiUse.cpu/time.Duration(n)), r.apiUse.writes/n, r.apiUse.reads/n)
}

// writeSection replaces the lights section of the file at path (or
// appends it), keeping everything else.
func writeSection(path, section string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	s := string(old)
	if i := strings.Index(s, beginMarker); i >= 0 {
		if j := strings.Index(s[i:], endMarker); j >= 0 {
			s = s[:i] + section + strings.TrimPrefix(s[i+j+len(endMarker):], "\n")
			return os.WriteFile(path, []byte(s), 0o644)
		}
	}
	if s != "" && !strings.HasSuffix(s, "\n\n") {
		s = strings.TrimRight(s, "\n") + "\n\n"
	}
	return os.WriteFile(path, []byte(s+section), 0o644)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

func readFile(p string) string { b, _ := os.ReadFile(p); return string(b) }

func mosquittoVersion() string {
	for _, p := range []string{"mosquitto", "/usr/sbin/mosquitto"} {
		out, _ := exec.Command(p, "-h").CombinedOutput()
		if line, _, _ := strings.Cut(string(out), "\n"); strings.Contains(line, "mosquitto") {
			return line
		}
	}
	return "unknown"
}

// loadAvg returns the 1, 5 and 15 minute load averages.
func loadAvg() string {
	f := strings.Fields(readFile("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}
