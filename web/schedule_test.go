package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/schedule"
)

// scheduleFixture is a server with the real schedule service over its store,
// at Hà Nội in Asia/Ho_Chi_Minh; the clock starts at t0String.
func scheduleFixture(t *testing.T) (*fixture, *schedule.Service, schedule.Place) {
	var svc *schedule.Service
	var pl schedule.Place
	f := newFixture(t, func(o *Options) {
		pl = schedule.Place{Lat: 21.03, Lon: 105.85, Loc: o.Location}
		svc = schedule.NewService(schedule.Options{DB: o.Store, Place: pl, Now: o.Now})
		o.Scheduler = svc
	})
	return f, svc, pl
}

const nightProgram = `{"steps":[{"at":"sunset+10m","on":true,"brightness":100},{"at":"23:00","on":true,"brightness":50},{"at":"sunrise-10m","on":false}],` +
	`"exceptions":[{"date":"2027-02-06","steps":[{"at":"sunset","on":true},{"at":"sunrise","on":false}]}]}`

func TestSchedulesThroughTheAPI(t *testing.T) {
	f, svc, pl := scheduleFixture(t)
	changes := svc.Changes()
	opA := f.as(opA)

	st, body := f.call(opA, "POST", "/api/v1/schedules",
		`{"name":"Đèn ngõ A ban đêm","targets":{"zones":["ngo-a"]},"program":`+nightProgram+`}`)
	if st != http.StatusCreated {
		t.Fatalf("create: %d %v", st, body)
	}
	id, _ := body["id"].(string)
	if body["kind"] != "light" || body["enabled"] != true || body["created_by"] != "opa" {
		t.Errorf("created = %v", body)
	}
	if zs, _ := body["zones"].([]any); len(zs) != 1 || zs[0] != zoneA {
		t.Errorf("zones = %v", body["zones"])
	}
	// t0 is 08:00 local: the next step is today's sunset+10m.
	wantNext, _ := schedule.MustWhen("sunset+10m").On(f.clock.Now().In(pl.Loc), pl)
	checkNext(t, body, wantNext, "sunset+10m")
	select {
	case <-changes:
	default:
		t.Error("no change notification after create")
	}

	// List and get show the next step too; a later clock moves it on.
	f.clock.Add(12 * time.Hour) // 20:00
	st, body = f.call(opA, "GET", "/api/v1/schedules", "")
	list, _ := body["schedules"].([]any)
	if st != 200 || len(list) != 1 {
		t.Fatalf("list: %d %v", st, body)
	}
	checkNext(t, list[0].(map[string]any), time.Date(2026, 11, 1, 23, 0, 0, 0, pl.Loc), "23:00")
	if st, body = f.call(f.as(viewer), "GET", "/api/v1/schedules/"+id, ""); st != 200 || body["name"] != "Đèn ngõ A ban đêm" {
		t.Errorf("get: %d %v", st, body)
	}
	if st, body = f.call(opA, "GET", "/api/v1/schedules?kind=announcement", ""); st != 200 || len(body["schedules"].([]any)) != 0 {
		t.Errorf("list announcements: %d %v", st, body)
	}

	// An operator of another zone may not change it.
	if st, _ := f.call(f.as(opB), "PUT", "/api/v1/schedules/"+id, `{"name":"x","targets":{"zones":["ngo-b"]},"program":`+nightProgram+`}`); st != http.StatusForbidden {
		t.Errorf("opB update: %d", st)
	}
	// Update: disabled, and no next step shown.
	st, body = f.call(opA, "PUT", "/api/v1/schedules/"+id,
		`{"name":"Tắt tạm","targets":{"devices":["den-a1"]},"program":{"steps":[{"at":"18:00","on":true}]},"enabled":false}`)
	if st != 200 || body["enabled"] != false || body["name"] != "Tắt tạm" || body["next"] != nil || body["updated_by"] != "opa" {
		t.Errorf("update: %d %v", st, body)
	}
	select {
	case <-changes:
	default:
		t.Error("no change notification after update")
	}
	// The kind cannot change.
	if st, body = f.call(opA, "PUT", "/api/v1/schedules/"+id, `{"kind":"announcement","name":"x","targets":{"devices":["loa-a1"]},"program":{"cron":"0 7 * * *"}}`); st != 400 || body["field"] != "kind" {
		t.Errorf("kind change: %d %v", st, body)
	}

	// Delete, then it is gone.
	if st, _ := f.call(opA, "DELETE", "/api/v1/schedules/"+id, ""); st != http.StatusNoContent {
		t.Errorf("delete: %d", st)
	}
	for _, path := range []string{"/api/v1/schedules/" + id, "/api/v1/schedules/nope"} {
		if st, _ := f.call(opA, "GET", path, ""); st != http.StatusNotFound {
			t.Errorf("GET %s after delete: %d", path, st)
		}
	}
	if _, ok := f.findAudit("schedule.delete", "ok"); !ok {
		t.Error("delete not audited")
	}
}

func checkNext(t *testing.T, sc map[string]any, want time.Time, at string) {
	t.Helper()
	next, _ := sc["next"].(map[string]any)
	if next == nil {
		t.Fatalf("no next in %v", sc)
	}
	got, err := time.Parse(time.RFC3339, next["time"].(string))
	step, _ := next["step"].(map[string]any)
	if err != nil || !got.Equal(want) || step["at"] != at || !strings.HasSuffix(next["time"].(string), "+07:00") {
		t.Errorf("next = %v, want %s at %v", next, at, want)
	}
}

func TestScheduleAnnouncementNext(t *testing.T) {
	f, _, pl := scheduleFixture(t)
	st, body := f.call(f.as(admin), "POST", "/api/v1/schedules",
		`{"kind":"announcement","name":"Nhắc họp","targets":{"zones":["ngo-b"]},"program":{"cron":"30 19 * * 1","text":"Họp tổ"}}`)
	if st != 201 {
		t.Fatalf("create: %d %v", st, body)
	}
	next, _ := body["next"].(map[string]any)
	// t0 is Sunday 2026-11-01 08:00 local: next Monday 19:30.
	if got, _ := time.Parse(time.RFC3339, next["time"].(string)); !got.Equal(time.Date(2026, 11, 2, 19, 30, 0, 0, pl.Loc)) {
		t.Errorf("next = %v", next)
	}
	var prog map[string]any
	json.Unmarshal([]byte(mustJSON(t, body["program"])), &prog)
	if prog["text"] != "Họp tổ" {
		t.Errorf("program not kept: %v", body["program"])
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScheduleBadInput(t *testing.T) {
	f, _, _ := scheduleFixture(t)
	adm := f.as(admin)
	for _, tc := range []struct {
		name, body, field, says string
	}{
		{"unparsable step", `{"name":"x","targets":{"all":true},"program":{"steps":[{"at":"sunset+15x","on":true}]}}`, "program.steps[0].at", "character 8"},
		{"unordered steps", `{"name":"x","targets":{"all":true},"program":{"steps":[{"at":"23:00","on":true},{"at":"sunset","on":true},{"at":"sunrise","on":false}]}}`, "program.steps[2].at", "time order"},
		{"same time", `{"name":"x","targets":{"all":true},"program":{"steps":[{"at":"18:00","on":true},{"at":"18:00","on":false}]}}`, "program.steps[1].at", "same time"},
		{"brightness", `{"name":"x","targets":{"all":true},"program":{"steps":[{"at":"18:00","on":true,"brightness":150}]}}`, "program.steps[0].brightness", "0 to 100"},
		{"bad day", `{"name":"x","targets":{"all":true},"program":{"steps":[{"at":"18:00","on":true}],"days":["thu2"]}}`, "program.days[0]", "unknown day"},
		{"bad exception date", `{"name":"x","targets":{"all":true},"program":{"steps":[{"at":"18:00","on":true}],"exceptions":[{"date":"Tết","off":true}]}}`, "program.exceptions[0].date", "YYYY-MM-DD"},
		{"unknown kind", `{"kind":"sprinkler","name":"x","targets":{"all":true},"program":{}}`, "kind", "kind must be"},
		{"bad cron", `{"kind":"announcement","name":"x","targets":{"all":true},"program":{"cron":"0 25 * * *"}}`, "program.cron", "hour"},
		{"cron and at", `{"kind":"announcement","name":"x","targets":{"all":true},"program":{"cron":"0 7 * * *","at":"2027-01-01T07:00:00+07:00"}}`, "program", "exactly one"},
		{"speaker in a light schedule", `{"name":"x","targets":{"devices":["loa-a1"]},"program":{"steps":[{"at":"18:00","on":true}]}}`, "targets", ""},
		{"no name", `{"name":" ","targets":{"all":true},"program":{"steps":[]}}`, "name", "name is required"},
	} {
		st, body := f.call(adm, "POST", "/api/v1/schedules", tc.body)
		msg, _ := body["error"].(string)
		if st != 400 || !strings.HasPrefix(mustJSON(t, body["field"]), `"`+tc.field) || !strings.Contains(msg, tc.says) {
			t.Errorf("%s: %d %v; want 400 on %s saying %q", tc.name, st, body, tc.field, tc.says)
		}
	}
	if st, _ := f.call(adm, "GET", "/api/v1/schedules?kind=sprinkler", ""); st != 400 {
		t.Errorf("list of an unknown kind: %d", st)
	}
}
