package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/sim"
)

// The soak's simulated area next to the blast meters: lamps on three
// protocols and native speakers that really play and keep a play log.
var soakSpec = sim.Spec{Area: "e2e", Zones: []string{"z1", "z2"}, Lights: 4, Shelly: 2, NativeLights: 2, Speakers: 4,
	Period: 30 * time.Second, AudioDuration: 2 * time.Second, Seed: 14}

const (
	// lampTimeout bounds the wait, after a fault, for every lamp to be in
	// its commanded state (the daemon re-asserts it 2 s after it connects).
	lampTimeout = 60 * time.Second
	// announceTimeout bounds the wait at the end for every announcement to
	// be final (a play lost to a broker restart is retried after 30 s).
	announceTimeout = 3 * time.Minute
)

// soakArea is the simulated area and the admin commanding it.
type soakArea struct {
	t     *testing.T
	fleet *sim.Fleet
	api   *apiClient

	dimmable []string // Tasmota and native lights: on/off and brightness
	switches []string // Shelly relays: on/off only
	speakers []string

	mu   sync.Mutex
	anns []scheduled // every announcement scheduled, in order
}

// lampState is what one cycle commands every lamp.
type lampState struct {
	on         bool
	brightness int // for dimmable lamps when on
}

// cycleState alternates on (at a varying level) and off.
func cycleState(cycle int) lampState {
	return lampState{on: cycle%2 == 0, brightness: 20 + (cycle*17)%80}
}

// scheduled is one announcement the soak scheduled.
type scheduled struct {
	id    string
	cycle int
	at    time.Time
	gap   bool // its time fell while hamletd was killed
}

// newSoakArea builds the simulated area (not started); its devices go into
// the daemon's config.
func newSoakArea(t *testing.T, broker string) *soakArea {
	t.Helper()
	f, err := sim.New(soakSpec, sim.Options{Broker: broker})
	if err != nil {
		t.Fatal(err)
	}
	a := &soakArea{t: t, fleet: f}
	for _, d := range f.Devices() {
		switch {
		case d.Kind == devices.Speaker:
			a.speakers = append(a.speakers, d.ID)
		case d.Protocol == devices.Shelly:
			a.switches = append(a.switches, d.ID)
		default:
			a.dimmable = append(a.dimmable, d.ID)
		}
	}
	return a
}

func (a *soakArea) lamps() []string {
	return append(append([]string(nil), a.dimmable...), a.switches...)
}

// start connects the simulated devices; they are closed when the test ends.
func (a *soakArea) start(ctx context.Context) {
	a.t.Helper()
	if err := a.fleet.Start(ctx); err != nil {
		a.t.Fatal(err)
	}
	a.t.Cleanup(func() { _ = a.fleet.Close() })
}

// commandResult is the answer of POST /api/v1/commands.
type commandResult struct {
	Results []struct {
		Device, Status, Error string
	} `json:"results"`
}

// command sets every lamp to s through the API (dimmable lamps with their
// level, relays on/off), and returns how many answered confirmed. It does
// not fail when the daemon cannot confirm (a fault may be going on): the
// lamps' own state is checked afterwards.
func (a *soakArea) command(s lampState) (confirmed int) {
	a.t.Helper()
	set := map[string]any{"on": s.on}
	if s.on {
		set["brightness"] = s.brightness
	}
	for _, group := range []struct {
		ids []string
		set map[string]any
	}{{a.dimmable, set}, {a.switches, map[string]any{"on": s.on}}} {
		var res commandResult
		st := a.api.call("POST", "/api/v1/commands", map[string]any{"target": map[string]any{"devices": group.ids}, "set": group.set}, &res)
		if st != http.StatusOK {
			a.t.Errorf("POST /api/v1/commands %v: %d", group.set, st)
			continue
		}
		for _, r := range res.Results {
			if r.Status == "confirmed" {
				confirmed++
			}
		}
	}
	return confirmed
}

// tamper switches every lamp by hand to the opposite of s, as a person at
// the cabinet would; the daemon must put its desired state back when it
// (re)connects.
func (a *soakArea) tamper(s lampState) {
	a.t.Helper()
	for _, id := range a.lamps() {
		if err := a.fleet.SwitchByHand(id, !s.on); err != nil {
			a.t.Errorf("switch %s by hand: %v", id, err)
		}
	}
}

// garbage makes every lamp and speaker publish malformed payloads on its
// own topics.
func (a *soakArea) garbage() {
	a.t.Helper()
	for _, id := range append(a.lamps(), a.speakers...) {
		if err := a.fleet.SendGarbage(id); err != nil {
			a.t.Errorf("garbage from %s: %v", id, err)
		}
	}
}

// lampsIn returns the lamps whose simulated state is s, and a description
// of the others.
func (a *soakArea) lampsIn(s lampState) (ok int, wrong []string) {
	for _, id := range a.lamps() {
		st, err := a.fleet.Status(id)
		if err != nil || st.Light == nil || st.Light.On == nil {
			wrong = append(wrong, fmt.Sprintf("%s: %v", id, err))
			continue
		}
		on := *st.Light.On
		good := on == s.on
		if good && on && st.Light.Brightness != nil && containsID(a.dimmable, id) {
			d := *st.Light.Brightness - s.brightness
			good = d >= -1 && d <= 1
		}
		if good {
			ok++
			continue
		}
		b := -1
		if st.Light.Brightness != nil {
			b = *st.Light.Brightness
		}
		wrong = append(wrong, fmt.Sprintf("%s: on=%v brightness=%d", id, on, b))
	}
	return ok, wrong
}

// waitLamps waits until every lamp is in state s, up to lampTimeout, and
// returns how many are and how long it took.
func (a *soakArea) waitLamps(s lampState) (ok int, took time.Duration) {
	a.t.Helper()
	began := time.Now()
	for {
		n, wrong := a.lampsIn(s)
		if len(wrong) == 0 {
			return n, time.Since(began)
		}
		if time.Since(began) > lampTimeout {
			a.t.Errorf("lamps not in their commanded state (on=%v brightness=%d) %s after the fault: %s",
				s.on, s.brightness, lampTimeout, strings.Join(wrong, "; "))
			return n, time.Since(began)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// schedule asks for an announcement to every speaker at at (whole
// seconds), spoken from text.
func (a *soakArea) schedule(cycle int, at time.Time, n int) {
	a.t.Helper()
	var out announce.Announcement
	st := a.api.call("POST", "/api/v1/announcements", map[string]any{
		"title": fmt.Sprintf("Thông báo %d.%d", cycle, n), "text": fmt.Sprintf("Thông báo số %d", cycle*10+n),
		"targets": map[string]any{"devices": a.speakers}, "at": at.Format(time.RFC3339)}, &out)
	if st != http.StatusCreated {
		a.t.Fatalf("POST /api/v1/announcements (cycle %d): %d", cycle, st)
	}
	a.mu.Lock()
	a.anns = append(a.anns, scheduled{id: out.ID, cycle: cycle, at: at})
	a.mu.Unlock()
}

// markGap records that hamletd was dead from killed to restarted: the
// announcements due in between are the ones that must play late.
func (a *soakArea) markGap(killed, restarted time.Time) {
	a.t.Logf("hamletd killed at %s, ready again at %s", clock(killed), clock(restarted))
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range a.anns {
		if at := a.anns[i].at; at.After(killed) && at.Before(restarted) {
			a.anns[i].gap = true
		}
	}
}

// due returns the time of the last announcement scheduled.
func (a *soakArea) lastDue() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.anns) == 0 {
		return time.Time{}
	}
	return a.anns[len(a.anns)-1].at
}

// playTally is the comparison of the announcements' receipts with the
// speakers' own play logs, per cycle.
type playTally struct {
	expected, played, duplicates, missing int
	gapPlayed, gapExpected                int
	gapLate                               time.Duration // the latest start of a gap announcement after its time
}

// checkPlays waits until every announcement is final, then checks each
// against every speaker's play log: each speaker played it exactly once
// (none twice, none missing), and its receipt says done. Announcements
// whose time fell inside a SIGKILL gap are within announce.grace (10 min) of
// it when hamletd is back, so announce's policy is that they play late,
// once; they are held to the same rule. It returns the tally per cycle.
func (a *soakArea) checkPlays() map[int]*playTally {
	a.t.Helper()
	a.mu.Lock()
	anns := append([]scheduled(nil), a.anns...)
	a.mu.Unlock()
	receipts := map[string]announce.Announcement{}
	deadline := time.Now().Add(announceTimeout)
	for _, s := range anns {
		for {
			var got announce.Announcement
			st := a.api.call("GET", "/api/v1/announcements/"+s.id, nil, &got)
			if st == http.StatusOK && final(got.Status) {
				receipts[s.id] = got
				break
			}
			if time.Now().After(deadline) {
				a.t.Errorf("announcement %s (cycle %d, at %s) not final after %s: %d %s", s.id, s.cycle, s.at.Format(time.TimeOnly), announceTimeout, st, got.Status)
				receipts[s.id] = got
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	logs := map[string]map[string][]sim.Play{} // speaker → announcement → plays
	for _, sp := range a.speakers {
		st, err := a.fleet.Status(sp)
		if err != nil {
			a.t.Fatalf("speaker %s: %v", sp, err)
		}
		logs[sp] = map[string][]sim.Play{}
		for _, p := range st.Plays {
			logs[sp][p.Announcement] = append(logs[sp][p.Announcement], p)
		}
	}
	tally := map[int]*playTally{}
	known := map[string]bool{}
	for _, s := range anns {
		known[s.id] = true
		c := tally[s.cycle]
		if c == nil {
			c = &playTally{}
			tally[s.cycle] = c
		}
		rec := receipts[s.id]
		for _, sp := range a.speakers {
			c.expected++
			if s.gap {
				c.gapExpected++
			}
			plays := logs[sp][s.id]
			switch {
			case len(plays) == 0:
				c.missing++
				a.t.Errorf("announcement %s (cycle %d, at %s, in a SIGKILL gap: %v) never played on %s; receipt: %s",
					s.id, s.cycle, s.at.Format(time.TimeOnly), s.gap, sp, deliveryOf(rec, sp))
			case len(plays) > 1:
				c.played++
				c.duplicates += len(plays) - 1
				a.t.Errorf("announcement %s (cycle %d, at %s) played %d times on %s (at %v); receipt: %s; hamletd's log of it:\n%s",
					s.id, s.cycle, s.at.Format(time.TimeOnly), len(plays), sp, playTimes(plays), deliveryOf(rec, sp), grepLog(a.api.h.logPath, s.id, "announcement command not published"))
			default:
				c.played++
				if s.gap {
					c.gapPlayed++
					c.gapLate = max(c.gapLate, plays[0].At.Sub(s.at))
				}
				if d := deliveryOf(rec, sp); !strings.HasPrefix(d, announce.Done) {
					a.t.Errorf("announcement %s (cycle %d, at %s) played once on %s at %s but its receipt says %s", s.id, s.cycle,
						s.at.Format(time.TimeOnly), sp, playTimes(plays), d)
				}
			}
		}
	}
	for sp, byAnn := range logs {
		for id, plays := range byAnn {
			if !known[id] {
				a.t.Errorf("speaker %s played %q %d times: not an announcement the soak scheduled", sp, id, len(plays))
			}
		}
	}
	return tally
}

// final reports whether an announcement's status is one it keeps.
func final(status string) bool {
	switch status {
	case announce.Done, announce.Partial, announce.Failed, announce.Missed, announce.Cancelled:
		return true
	}
	return false
}

// deliveryOf describes speaker sp's delivery in a receipt.
func deliveryOf(a announce.Announcement, sp string) string {
	for _, d := range a.Deliveries {
		if d.Device == sp {
			times := fmt.Sprintf("sent %s, playing %s, done %s, updated %s", clock(d.SentAt), clock(d.PlayingAt), clock(d.DoneAt), clock(d.Updated))
			if d.Error != "" {
				return fmt.Sprintf("%s (%s; %d attempts; %s)", d.Status, d.Error, d.Attempts, times)
			}
			return fmt.Sprintf("%s (%d plays, %d attempts; %s)", d.Status, d.Plays, d.Attempts, times)
		}
	}
	return fmt.Sprintf("no delivery (announcement status %q)", a.Status)
}

// grepLog returns the lines of the daemon's log at path that name any of
// words, HTTP request lines left out.
func grepLog(path string, words ...string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, `msg="http request"`) {
			continue
		}
		for _, w := range words {
			if strings.Contains(l, w) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// clock formats t as a time of day with milliseconds, "-" when zero.
func clock(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("15:04:05.000")
}

func playTimes(plays []sim.Play) string {
	var s []string
	for _, p := range plays {
		s = append(s, p.At.Format("15:04:05.000"))
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

func containsID(ids []string, id string) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
