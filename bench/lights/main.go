// Command lights is the "all lights on" benchmark: on a real broker it
// starts simulated Tasmota street lights (one MQTT connection each, as
// real lamps have) and the lights pipeline (lightstest.Rig, joined as the
// daemon joins it), switches every lamp on with one command and measures
// the time until every lamp has confirmed and each lamp's confirmation
// latency, against the broker's own round trip for one QoS 1 message
// measured in the same run. It writes its section of bench/results.md.
//
//	HAMLET_MQTT_BROKER=tcp://127.0.0.1:1883 go run ./bench/lights -lights 1000 -rounds 3 -out bench/results.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/lights"
	"github.com/hamlet-vn/hamlet/lights/lightstest"
	"github.com/hamlet-vn/hamlet/sim"
)

// The MQTT client ids of the pipeline in this process and of hamletd.
const (
	rigClientID = "hamletd-bench-lights"
	apiClientID = "hamletd-bench-lights-api"
)

type options struct {
	broker  string
	lamps   int
	rounds  int
	samples int
	out     string
	// protocol is tasmota or native.
	protocol string
	// cpuprofile, when set, is where the rounds' CPU profile goes;
	// memprofile, where the allocations made during the rounds go.
	cpuprofile, memprofile string
	// hamletd, when set, is the daemon binary to time "all on" through
	// the API as well; daemonProfile and daemonMemProfile, where its CPU
	// and allocation profiles of the counted rounds go.
	hamletd, daemonProfile, daemonMemProfile string
}

func main() {
	var o options
	flag.StringVar(&o.broker, "broker", os.Getenv("HAMLET_MQTT_BROKER"), "broker URL (default $HAMLET_MQTT_BROKER)")
	flag.IntVar(&o.lamps, "lights", 1000, "simulated lamps")
	flag.StringVar(&o.protocol, "protocol", "tasmota", "the lamps' protocol: tasmota or native")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds of all on, then all off")
	flag.IntVar(&o.samples, "samples", 500, "broker round trips measured per round")
	flag.StringVar(&o.out, "out", "", "results file whose lights section to write (e.g. bench/results.md)")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the counted rounds to this file")
	flag.StringVar(&o.memprofile, "memprofile", "", "write heap profiles before (FILE.before) and after the counted rounds: go tool pprof -sample_index=alloc_space -diff_base FILE.before FILE")
	flag.StringVar(&o.daemonProfile, "hamletd-cpuprofile", "", "with -hamletd: write a CPU profile of hamletd during the counted rounds to this file (through its --debug-listen)")
	flag.StringVar(&o.daemonMemProfile, "hamletd-memprofile", "", "with -hamletd: write hamletd's allocation profiles before (FILE.before) and after the counted rounds, as -memprofile")
	flag.StringVar(&o.hamletd, "hamletd", "", "hamletd binary: also time \"all on\" through its HTTP API, with an event stream open")
	flag.Parse()
	if o.broker == "" {
		log.Fatal("lights bench: -broker or HAMLET_MQTT_BROKER is required")
	}
	res, err := run(o)
	if err != nil {
		log.Fatalf("lights bench: %v", err)
	}
	md := res.markdown()
	fmt.Print(md)
	if o.out != "" {
		if err := writeSection(o.out, md); err != nil {
			log.Fatalf("lights bench: %v", err)
		}
	}
}

// round is one "all lights on" measurement.
type round struct {
	total     time.Duration   // command sent until the last lamp confirmed
	confirmed int             // lamps confirmed in the response
	lamp      []time.Duration // per-lamp latency (command to its reported state)
	brokerRTT []time.Duration // single-message QoS 1 round trips through the broker
	bare      []time.Duration // per-lamp latency of a bare paho client doing the same
}

type result struct {
	o         options
	loadStart string
	// cpu and wall are the benchmark process's CPU time (lamps and
	// pipeline together) and the wall time of all rounds.
	cpu, wall time.Duration
	setup     time.Duration
	warmup    round
	rounds    []round
	// apiWarmup and api are the rounds through hamletd (-hamletd).
	apiWarmup apiRound
	api       []apiRound
	apiUse    daemonUse // what hamletd used over the counted rounds
}

func run(o options) (r result, err error) {
	ctx := context.Background()
	r = result{o: o, loadStart: loadAvg()}
	start := time.Now()
	spec := sim.Spec{Period: time.Hour, Seed: 1, Zones: []string{"ngo-1", "ngo-2", "ngo-3", "ngo-4"},
		FirmwareQoS: true} // the lamps answer at QoS 0, as Tasmota does
	switch o.protocol {
	case "tasmota":
		spec.Lights = o.lamps
	case "native":
		spec.NativeLights = o.lamps
	default:
		return r, fmt.Errorf("-protocol %q: want tasmota or native", o.protocol)
	}
	fleet, err := sim.New(spec,
		sim.Options{Broker: o.broker, ConnectTimeout: 30 * time.Second, PublishTimeout: 30 * time.Second})
	if err != nil {
		return r, err
	}
	if err := fleet.Start(ctx); err != nil {
		return r, err
	}
	defer fleet.Close()
	dir, err := os.MkdirTemp("", "hamlet-bench-lights")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	// The pipelines' persistent sessions go with the run: a session kept
	// from an earlier run would greet the next with thousands of queued
	// lamp answers.
	for _, id := range []string{rigClientID, apiClientID} {
		if err := bench.DropSession(ctx, o.broker, id); err != nil {
			return r, err
		}
		defer func() { _ = bench.DropSession(context.Background(), o.broker, id) }()
	}
	rig, err := lightstest.Start(ctx, lightstest.Options{Broker: o.broker, Dir: dir, Devices: fleet.Devices(),
		ClientID: rigClientID, Lights: func(lo *lights.Options) { lo.ConfirmTimeout = time.Minute }})
	if err != nil {
		return r, err
	}
	defer rig.Close()
	// Only the fleet's lamps: a broker kept from earlier runs may hold
	// retained messages of other devices, which discovery adds.
	ds := fleet.Devices()
	if !lightstest.WaitFor(2*time.Minute, func() bool { return online(rig, ds) == o.lamps }) {
		return r, fmt.Errorf("only %d of %d lamps online after 2 minutes", online(rig, ds), o.lamps)
	}
	// The link's first scan of the retained commands (lightstest: 1 s) ends,
	// as it has long ended when an area head switches the lights.
	time.Sleep(2 * time.Second)
	r.setup = time.Since(start)
	probe, err := newProbe(o.broker)
	if err != nil {
		return r, err
	}
	defer probe.close()
	ceiling, err := newBare(o.broker, o.protocol)
	if err != nil {
		return r, err
	}
	defer ceiling.close()
	// A warm-up round, not counted: the first commands after the start
	// fill the pipeline's maps and the store's table for the first time,
	// which a running daemon did long ago (it loads the desired states at
	// start). Its numbers are shown apart.
	if r.warmup, err = oneRound(ctx, rig, probe, ceiling, ds, o.samples); err != nil {
		return r, err
	}
	if err := counted(ctx, o, &r, rig, probe, ceiling, ds); err != nil {
		return r, err
	}
	if o.hamletd != "" {
		// Only hamletd hears the lamps from here on.
		rig.Close()
		ceiling.close()
		probe.close()
		r.apiWarmup, r.api, r.apiUse, err = daemonRounds(ctx, o, o.broker, fleet.Zones(), ds)
		if err != nil {
			return r, fmt.Errorf("through hamletd: %w", err)
		}
	}
	return r, nil
}

// counted runs the counted rounds in the pipeline of this process,
// profiling them when asked.
func counted(ctx context.Context, o options, r *result, rig *lightstest.Rig, probe *probe, ceiling *bare, ds []devices.Device) (err error) {
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.memprofile != "" {
		if err := writeAllocs(o.memprofile + ".before"); err != nil {
			return err
		}
		defer func() {
			if err == nil {
				err = writeAllocs(o.memprofile)
			}
		}()
	}
	cpu0, wall0 := cpuTime(), time.Now()
	defer func() { r.cpu, r.wall = cpuTime()-cpu0, time.Since(wall0) }()
	for i := 0; i < o.rounds; i++ {
		rd, err := oneRound(ctx, rig, probe, ceiling, ds, o.samples)
		if err != nil {
			return err
		}
		r.rounds = append(r.rounds, rd)
	}
	return nil
}

// oneRound measures the broker's round trip, then the bare client's and
// hamlet's "all on", each followed by "all off".
func oneRound(ctx context.Context, rig *lightstest.Rig, probe *probe, ceiling *bare, ds []devices.Device, samples int) (round, error) {
	rtt, err := probe.roundTrips(samples)
	if err != nil {
		return round{}, err
	}
	bareOn, err := ceiling.round(ds, true)
	if err != nil {
		return round{}, err
	}
	if _, err := ceiling.round(ds, false); err != nil {
		return round{}, err
	}
	if err := settle(rig, ds); err != nil {
		return round{}, err
	}
	rd, err := allOn(ctx, rig, ds, true)
	if err != nil {
		return round{}, err
	}
	rd.brokerRTT, rd.bare = rtt, bareOn
	if _, err := allOn(ctx, rig, ds, false); err != nil { // back off for the next round
		return round{}, err
	}
	return rd, settle(rig, ds)
}

// settle waits until the pipeline has taken in every lamp's answer to the
// last "all off" (the lamps answer hamlet and the bare client alike), then
// a moment more, so that neither starts its round while the pipeline still
// works through the other's answers.
func settle(rig *lightstest.Rig, ds []devices.Device) error {
	allOff := func() bool {
		for _, d := range ds {
			st, _ := rig.Registry.Get(d.ID)
			if l := st.Reported.Light; l == nil || l.On == nil || *l.On {
				return false
			}
		}
		return true
	}
	if !lightstest.WaitFor(10*time.Second, allOff) {
		return errors.New("the pipeline did not see every lamp off within 10s")
	}
	time.Sleep(settleTime)
	return nil
}

// settleTime is the pause between one switching and the next.
const settleTime = 200 * time.Millisecond

// cpuTime returns the process's user and system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func online(rig *lightstest.Rig, ds []devices.Device) int {
	n := 0
	for _, d := range ds {
		if st, ok := rig.Registry.Get(d.ID); ok && st.Availability == devices.Online {
			n++
		}
	}
	return n
}

// allOn switches every lamp on (or off) with one command and times each
// lamp's reported state.
func allOn(ctx context.Context, rig *lightstest.Rig, ds []devices.Device, on bool) (round, error) {
	changes, cancel := rig.Registry.Subscribe(len(ds) * 4)
	defer cancel()
	seen := map[string]time.Duration{}
	mine := map[string]bool{}
	for _, d := range ds {
		mine[d.ID] = true
	}
	done := make(chan struct{})
	t0 := time.Now()
	go func() {
		defer close(done)
		for c := range changes {
			if l := c.Status.Reported.Light; c.Type == devices.ChangeState && mine[c.Status.ID] && l != nil && l.On != nil && *l.On == on {
				if _, ok := seen[c.Status.ID]; !ok {
					seen[c.Status.ID] = time.Since(t0)
					if len(seen) == len(ds) {
						return
					}
				}
			}
		}
	}()
	set := &lights.LightSet{On: devices.Bool(on)}
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	res, err := rig.Lights.Command(ctx, lights.CommandRequest{Target: devices.Target{Devices: ids}, Set: set, Devices: ds},
		accounts.User{Name: "bench", Role: accounts.RoleAdmin})
	total := time.Since(t0)
	if err != nil {
		return round{}, err
	}
	rd := round{total: total}
	for _, x := range res.Results {
		if x.Status == lights.StatusConfirmed {
			rd.confirmed++
		}
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cancel()
		<-done
	}
	for _, d := range seen {
		rd.lamp = append(rd.lamp, d)
	}
	if rd.confirmed != len(ds) {
		return rd, fmt.Errorf("%d of %d lamps confirmed (%d state changes seen)", rd.confirmed, len(ds), len(seen))
	}
	return rd, nil
}

// probe measures the broker's own round trip: publish one QoS 1 message
// to a topic the same client subscribes, until it comes back.
type probe struct {
	c   mqtt.Client
	got chan struct{}
}

const probeTopic = "bench/lights/rtt"

func newProbe(broker string) (*probe, error) {
	p := &probe{got: make(chan struct{}, 1)}
	p.c = mqtt.NewClient(mqtt.NewClientOptions().AddBroker(broker).SetClientID("hamlet-bench-rtt").SetCleanSession(true))
	if t := p.c.Connect(); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return nil, fmt.Errorf("probe connect: %v", t.Error())
	}
	if t := p.c.Subscribe(probeTopic, 1, func(mqtt.Client, mqtt.Message) { p.got <- struct{}{} }); !t.WaitTimeout(10*time.Second) || t.Error() != nil {
		return nil, fmt.Errorf("probe subscribe: %v", t.Error())
	}
	return p, nil
}

func (p *probe) roundTrips(n int) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for range n {
		t0 := time.Now()
		p.c.Publish(probeTopic, 1, false, []byte("x"))
		select {
		case <-p.got:
			out = append(out, time.Since(t0))
		case <-time.After(5 * time.Second):
			return nil, errors.New("probe: a message did not come back within 5s")
		}
	}
	return out, nil
}

func (p *probe) close() { p.c.Disconnect(100) }

func pct(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}
