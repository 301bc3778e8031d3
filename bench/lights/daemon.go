package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/bench"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/mqttlink"
)

// apiRound is one "all on" through hamletd's HTTP API.
type apiRound struct {
	response  time.Duration   // POST /api/v1/commands until its answer
	confirmed int             // lamps confirmed in the answer
	lamp      []time.Duration // per lamp: the command sent until its "confirmed" event reached the stream
}

// apiClient drives a running hamletd as a phone does: signed in, with the
// event stream open.
type apiClient struct {
	base string
	http *http.Client

	mu     sync.Mutex
	cmdID  string                   // the command whose results are timed
	t0     time.Time                // when it was sent
	seen   map[string]time.Duration // device → its confirmed event's arrival
	stream io.Closer
}

// daemonRounds runs hamletd (bin) over the fleet's lamps, signs in, opens
// the event stream and times a warm-up and then rounds of "all on" and
// "all off" through the API.
func daemonRounds(ctx context.Context, o options, broker string, zones []string, ds []devices.Device) (warmup apiRound, rounds []apiRound, use daemonUse, err error) {
	dir, err := os.MkdirTemp("", "hamlet-bench-lights-daemon")
	if err != nil {
		return warmup, nil, use, err
	}
	defer os.RemoveAll(dir)
	port, err := bench.FreePort()
	if err != nil {
		return warmup, nil, use, err
	}
	conf := filepath.Join(dir, "hamlet.yaml")
	if err := os.WriteFile(conf, daemonConfig(broker, port, dir, zones, ds), 0o600); err != nil {
		return warmup, nil, use, err
	}
	const user, password = "bench", "mat-khau-do-tai-den"
	add := exec.Command(o.hamletd, "user", "add", user, "--role", "admin", "--config", conf)
	add.Env = bench.WithoutHamletEnv(os.Environ())
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		return warmup, nil, use, fmt.Errorf("hamletd user add: %v: %s", err, out)
	}
	logPath := filepath.Join(os.TempDir(), "hamlet-bench-lights-hamletd.log")
	_ = os.Remove(logPath) // this run's alone
	var args []string
	debugPort := 0
	if o.daemonProfile != "" || o.daemonMemProfile != "" {
		if args, debugPort, err = bench.DebugArgs(); err != nil {
			return warmup, nil, use, err
		}
	}
	d, err := bench.StartDaemon(ctx, o.hamletd, conf, logPath, port, time.Minute, args...)
	if err != nil {
		return warmup, nil, use, err
	}
	defer d.Stop(20 * time.Second)
	// For Options.ScanWindow after connecting, hamletd also subscribes
	// Tasmota's cmnd topics for their retained messages, and each command
	// comes back to it; that scan has long ended when an area head
	// switches the lights.
	scanned := time.Now().Add(mqttlink.DefaultScanWindow + time.Second)
	c, err := signIn(d.HTTPURL, user, password)
	if err != nil {
		return warmup, nil, use, err
	}
	if err := c.waitOnline(len(ds), 2*time.Minute); err != nil {
		return warmup, nil, use, err
	}
	time.Sleep(time.Until(scanned))
	if err := c.openStream(); err != nil {
		return warmup, nil, use, err
	}
	defer c.stream.Close()
	round := func(n int) (apiRound, error) {
		on, err := c.switchAll(fmt.Sprintf("bench-%d-on", n), true)
		if err != nil {
			return on, err
		}
		if _, err := c.switchAll(fmt.Sprintf("bench-%d-off", n), false); err != nil {
			return on, err
		}
		time.Sleep(settleTime)
		return on, nil
	}
	if warmup, err = round(0); err != nil {
		return warmup, nil, use, err
	}
	var profiled chan error
	if o.daemonProfile != "" {
		profiled = make(chan error, 1)
		go func() {
			// 2 s per round is long enough: a round takes well under 2 s.
			profiled <- bench.SaveProfile(debugPort, fmt.Sprintf("profile?seconds=%d", 2*o.rounds), o.daemonProfile)
		}()
	}
	if o.daemonMemProfile != "" {
		if err := bench.SaveProfile(debugPort, "allocs", o.daemonMemProfile+".before"); err != nil {
			return warmup, nil, use, fmt.Errorf("hamletd allocation profile: %w", err)
		}
	}
	cpu0, w0, r0 := bench.CPUTime(d.PID()), bench.IOCount(d.PID(), "syscw"), bench.IOCount(d.PID(), "syscr")
	for i := 1; i <= o.rounds; i++ {
		rd, err := round(i)
		if err != nil {
			return warmup, rounds, use, err
		}
		rounds = append(rounds, rd)
	}
	use = daemonUse{cpu: bench.CPUTime(d.PID()) - cpu0, writes: bench.IOCount(d.PID(), "syscw") - w0,
		reads: bench.IOCount(d.PID(), "syscr") - r0}
	if o.daemonMemProfile != "" {
		if err := bench.SaveProfile(debugPort, "allocs", o.daemonMemProfile); err != nil {
			return warmup, rounds, use, fmt.Errorf("hamletd allocation profile: %w", err)
		}
	}
	if profiled != nil {
		if err := <-profiled; err != nil {
			return warmup, rounds, use, fmt.Errorf("hamletd CPU profile: %w", err)
		}
	}
	return warmup, rounds, use, nil
}

// daemonUse is what hamletd used over the counted rounds.
type daemonUse struct {
	cpu           time.Duration
	writes, reads int64 // system calls
}

// daemonConfig declares the lamps as an installer would.
func daemonConfig(broker string, port int, dir string, zones []string, ds []devices.Device) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "area: {id: khu10, name: \"Khu đo tải\", timezone: Asia/Ho_Chi_Minh, latitude: 21.03, longitude: 105.85}\n"+
		"mqtt: {broker: %q, client_id: %s}\nhttp: {listen: \"127.0.0.1:%d\", public_url: \"http://127.0.0.1:%d\"}\n"+
		"storage: {dir: %q}\nzones:\n", broker, apiClientID, port, port, filepath.Join(dir, "data"))
	for _, z := range zones {
		fmt.Fprintf(&b, "  - {id: %q, name: %q}\n", z, z)
	}
	b.WriteString("devices:\n")
	for _, d := range ds {
		fmt.Fprintf(&b, "  - {id: %q, kind: light, zone: %q, protocol: %s, topic: %q}\n", d.ID, d.Zone, d.Protocol, d.Topic)
	}
	return b.Bytes()
}

func signIn(base, user, password string) (*apiClient, error) {
	jar, _ := cookiejar.New(nil)
	c := &apiClient{base: base, http: &http.Client{Jar: jar, Timeout: time.Minute}}
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	resp, err := c.http.Post(base+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("sign in: %s: %s", resp.Status, b)
	}
	return c, nil
}

// waitOnline waits until hamletd sees n lights online.
func (c *apiClient) waitOnline(n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		var got struct {
			Devices []struct {
				Availability string `json:"availability"`
			} `json:"devices"`
		}
		online := 0
		resp, err := c.http.Get(c.base + "/api/v1/devices?kind=light")
		if err == nil {
			err = json.NewDecoder(resp.Body).Decode(&got)
			resp.Body.Close()
		}
		for _, d := range got.Devices {
			if d.Availability == "online" {
				online++
			}
		}
		if online >= n {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("hamletd sees %d of %d lamps online after %s (err %v)", online, n, timeout, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// openStream opens GET /api/v1/events and times the confirmed results of
// the current command as they arrive.
func (c *apiClient) openStream() error {
	req, _ := http.NewRequest("GET", c.base+"/api/v1/events", nil)
	streamClient := &http.Client{Jar: c.http.Jar} // no timeout: the stream stays open
	resp, err := streamClient.Do(req)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("events: %s", resp.Status)
	}
	c.stream = resp.Body
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		event := ""
		for sc.Scan() {
			line := sc.Text()
			if name, ok := strings.CutPrefix(line, "event: "); ok {
				event = name
				continue
			}
			data, ok := strings.CutPrefix(line, "data: ")
			if !ok || event != "command" || !strings.Contains(data, `"confirmed"`) {
				continue
			}
			var ev struct{ ID, Device, Status string }
			if json.Unmarshal([]byte(data), &ev) != nil || ev.Status != "confirmed" {
				continue
			}
			c.mu.Lock()
			if _, dup := c.seen[ev.Device]; ev.ID == c.cmdID && !dup {
				c.seen[ev.Device] = time.Since(c.t0)
			}
			c.mu.Unlock()
		}
	}()
	return nil
}

// switchAll sends every light on (or off) with command id and waits for the
// answer and, at most 5 s more, for each confirmed lamp's event.
func (c *apiClient) switchAll(id string, on bool) (apiRound, error) {
	body, _ := json.Marshal(map[string]any{"id": id, "target": map[string]any{"all": true, "kind": "light"},
		"set": map[string]bool{"on": on}})
	c.mu.Lock()
	c.cmdID, c.t0, c.seen = id, time.Now(), map[string]time.Duration{}
	t0 := c.t0
	c.mu.Unlock()
	resp, err := c.http.Post(c.base+"/api/v1/commands", "application/json", bytes.NewReader(body))
	if err != nil {
		return apiRound{}, err
	}
	rd := apiRound{response: time.Since(t0)}
	defer resp.Body.Close()
	var res struct {
		Results []struct{ Device, Status string }
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return rd, fmt.Errorf("command: %s: %s", resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return rd, err
	}
	for _, r := range res.Results {
		if r.Status == "confirmed" {
			rd.confirmed++
		}
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c.mu.Lock()
		n := len(c.seen)
		if n >= rd.confirmed || time.Now().After(deadline) {
			for _, d := range c.seen {
				rd.lamp = append(rd.lamp, d)
			}
			c.mu.Unlock()
			break
		}
		c.mu.Unlock()
	}
	if rd.confirmed != len(res.Results) {
		return rd, fmt.Errorf("%d of %d lamps confirmed", rd.confirmed, len(res.Results))
	}
	if len(rd.lamp) < rd.confirmed {
		return rd, errors.New("the event stream missed confirmed results")
	}
	return rd, nil
}
