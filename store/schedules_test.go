package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestSchedules(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return t0 }
	light, err := db.CreateSchedule(ctx, ScheduleRow{Kind: "light", Name: "Đêm", Targets: []byte(`{"zones":["ngo-3"]}`),
		Program: []byte(`{"steps":[]}`), Enabled: true, Zones: []string{"ngo-3"}, CreatedBy: "an"})
	if err != nil || light.ID == 0 || !light.Created.Equal(t0) || light.UpdatedBy != "an" {
		t.Fatalf("create = %+v, %v", light, err)
	}
	ann, err := db.CreateSchedule(ctx, ScheduleRow{Kind: "announcement", Name: "Họp", Targets: []byte(`{"all":true}`),
		Program: []byte(`{"cron":"0 7 * * 1"}`), CreatedBy: "an"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateSchedule(ctx, ScheduleRow{Kind: "sprinkler", Name: "x", Targets: []byte(`{}`), Program: []byte(`{}`)}); err == nil {
		t.Error("kind sprinkler accepted")
	}
	all, _ := db.Schedules(ctx, "")
	lights, _ := db.Schedules(ctx, "light")
	if len(all) != 2 || len(lights) != 1 || lights[0].Name != "Đêm" || !slices.Equal(lights[0].Zones, []string{"ngo-3"}) || !lights[0].Enabled {
		t.Errorf("list = %+v / %+v", all, lights)
	}
	db.Now = func() time.Time { return t0.Add(time.Hour) }
	up, err := db.UpdateSchedule(ctx, ScheduleRow{ID: ann.ID, Name: "Họp tổ", Targets: []byte(`{"zones":["ngo-5"]}`),
		Program: []byte(`{"cron":"0 8 * * 1"}`), Enabled: false, Zones: []string{"ngo-5"}, UpdatedBy: "binh"})
	if err != nil || up.Kind != "announcement" || up.Name != "Họp tổ" || up.Enabled || up.UpdatedBy != "binh" || up.CreatedBy != "an" ||
		!up.Updated.Equal(t0.Add(time.Hour)) || !up.Created.Equal(t0) || string(up.Program) != `{"cron":"0 8 * * 1"}` {
		t.Errorf("update = %+v, %v", up, err)
	}
	if _, err := db.UpdateSchedule(ctx, ScheduleRow{ID: 99, Targets: []byte(`{}`), Program: []byte(`{}`)}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update unknown: %v", err)
	}
	if err := db.DeleteSchedule(ctx, light.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Schedule(ctx, light.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("get deleted: %v", err)
	}
	if err := db.DeleteSchedule(ctx, light.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}
