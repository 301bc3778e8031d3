package schedule

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// TestScheduleTonight: a light schedule shows this evening's run with each
// step at its actual time (sun steps at that day's sun times), an "off"
// exception makes it empty, and announcements have none.
func TestScheduleTonight(t *testing.T) {
	s := newTestService(t) // now: 2027-02-04 19:00 in Hanoi
	ctx := context.Background()
	an := accounts.User{Name: "an"}
	pl := hanoiPlace(t)
	off := false
	sc, err := s.Create(ctx, Request{Name: "Đêm", Targets: devices.Target{Zones: []string{"ngo-3"}},
		Program: json.RawMessage(evening + `,"exceptions":[{"date":"2027-02-05","off":true}]}`), Enabled: &off}, an)
	if err != nil {
		t.Fatal(err)
	}
	n := sc.Tonight
	if n == nil || n.Date != "2027-02-04" || len(n.Steps) != 3 {
		t.Fatalf("tonight of a disabled programme on 4 Feb: %+v", n)
	}
	set, rise := sunTime(t, pl, 2027, 2, 4, "sunset"), sunTime(t, pl, 2027, 2, 5, "sunrise")
	want := []struct {
		at   string
		time time.Time
		on   bool
		br   int
	}{
		{"sunset+10m", set.Add(10 * time.Minute), true, 100},
		{"23:00", time.Date(2027, 2, 4, 23, 0, 0, 0, pl.Loc), true, 50},
		{"sunrise-10m", rise.Add(-10 * time.Minute), false, 0},
	}
	for i, w := range want {
		st := n.Steps[i]
		if st.At != w.at || !st.Time.Equal(w.time) || st.On != w.on || st.Brightness != w.br || st.Time.Location().String() != pl.Loc.String() {
			t.Errorf("step %d = %+v, want %+v", i, st, w)
		}
	}
	b, _ := json.Marshal(sc)
	if !strings.Contains(string(b), `"tonight":{"date":"2027-02-04","steps":[{"at":"sunset+10m","time":"2027-02-04T17:`) {
		t.Errorf("JSON lacks tonight: %s", b)
	}

	// The next evening has an "off" exception: no steps. Before noon,
	// tonight is still the night in progress.
	p, _ := ParseProgramme(sc.Program, pl)
	if got := p.Night(time.Date(2027, 2, 5, 0, 0, 0, 0, pl.Loc), pl); got.Date != "2027-02-05" || len(got.Steps) != 0 || got.Steps == nil {
		t.Errorf("the off exception's night: %+v", got)
	}
	if e := Evening(time.Date(2027, 2, 5, 4, 0, 0, 0, pl.Loc), pl.Loc); e.Format(time.DateOnly) != "2027-02-04" {
		t.Errorf("at 04:00 tonight is %s, want the night in progress (2027-02-04)", e)
	}

	a, err := s.Create(ctx, Request{Kind: KindAnnouncement, Name: "Họp", Targets: devices.Target{All: true},
		Program: json.RawMessage(`{"cron":"0 19 * * 1"}`)}, an)
	if err != nil {
		t.Fatal(err)
	}
	if a.Tonight != nil {
		t.Errorf("an announcement has a tonight: %+v", a.Tonight)
	}
	list, err := s.List(ctx, KindLight)
	if err != nil || len(list) != 1 || list[0].Tonight == nil || len(list[0].Tonight.Steps) != 3 {
		t.Errorf("List: %+v, %v", list, err)
	}
}

// sunTime is the sun event on a date at pl, through a time expression.
func sunTime(t *testing.T, pl Place, y int, m time.Month, d int, ev string) time.Time {
	t.Helper()
	w, err := ParseWhen(ev)
	if err != nil {
		t.Fatal(err)
	}
	at, err := w.On(time.Date(y, m, d, 0, 0, 0, 0, pl.Loc), pl)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
