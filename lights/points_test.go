package lights

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// pointLines records points as line protocol.
type pointLines struct {
	mu    sync.Mutex
	lines []string
}

func (p *pointLines) Add(points []*write.Point, ack func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pt := range points {
		p.lines = append(p.lines, strings.TrimSpace(write.PointToLineProtocol(pt, time.Nanosecond)))
	}
	ack()
}

func (p *pointLines) with(prefix string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, l := range p.lines {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// TestInfluxPoints: a late timeout is a command point, a fault a
// light_fault point, a day's burning a light_burn point, each with the
// schema's tags.
func TestInfluxPoints(t *testing.T) {
	u := newUnit(t, "den-01")
	pts := &pointLines{}
	u.svc.opts.Points = pts
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u.svc.opts.Burns = DBStore{DB: db}

	u.lamps.dead["den-01"] = true
	res := u.command(LightSet{On: devices.Bool(true)}, "den-01")
	u.svc.expire(u.clock.Now().Add(time.Hour))
	cmd := pts.with("command,")
	if len(cmd) != 1 || !strings.Contains(cmd[0], "action=set,area=khu10,device=den-01,kind=light,protocol=native,zone=ngo-1") ||
		!strings.Contains(cmd[0], `result="timeout"`) || !strings.Contains(cmd[0], `id="`+res.ID+`"`) || !strings.Contains(cmd[0], `user="an"`) {
		t.Fatalf("command points %v", cmd)
	}

	t0 := u.clock.Now()
	u.svc.CheckFaults(t0)
	u.svc.CheckFaults(t0.Add(3 * time.Minute))
	f := pts.with("light_fault,")
	if len(f) != 1 || !strings.Contains(f[0], "fault=dark") || !strings.Contains(f[0], "active=1i") {
		t.Fatalf("fault points %v", f)
	}

	u.report("den-01", devices.Bool(true), map[string]float64{"power_w": 50})
	st, _ := u.reg.Get("den-01")
	u.svc.mu.Lock()
	u.svc.accountLocked(st, t0)
	u.svc.mu.Unlock()
	u.svc.flushBurn(context.Background(), t0.Add(2*time.Hour))
	b := pts.with("light_burn,")
	if len(b) != 1 || !strings.Contains(b[0], "hours_on=2") || !strings.Contains(b[0], "energy_kwh=0.1") ||
		!strings.HasSuffix(b[0], " 1796317200000000000") { // 2026-12-04 00:00 +07:00
		t.Fatalf("burn points %v", b)
	}
}
