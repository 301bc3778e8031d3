package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

func newTestService(t *testing.T) *Service {
	t.Helper()
	db, err := store.Open(context.Background(), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2027, 2, 4, 12, 0, 0, 0, time.UTC)
	return NewService(Options{DB: db, Place: hanoiPlace(t), Now: func() time.Time { return now }})
}

func TestServiceRegisterChangesAndLights(t *testing.T) {
	s := newTestService(t)
	ctx := context.Background()
	an := accounts.User{Name: "an"}
	changes := s.Changes()

	// Announce replaces the announcement validator with its own.
	s.Register(KindAnnouncement, func(raw json.RawMessage) error {
		return devices.Invalid("program.text", "Cần nội dung / text is required")
	})
	_, err := s.Create(ctx, Request{Kind: KindAnnouncement, Name: "Họp", Targets: devices.Target{All: true}, Program: json.RawMessage(`{"cron":"0 7 * * *"}`)}, an)
	var fe *devices.FieldError
	if !errors.As(err, &fe) || fe.Field != "program.text" {
		t.Fatalf("announcement with the registered validator: %v", err)
	}
	select {
	case <-changes:
		t.Fatal("a refused create notified a change")
	default:
	}

	// Two changes while nobody listens coalesce into one notification.
	on, err := s.Create(ctx, Request{Name: "Đêm", Targets: devices.Target{Zones: []string{"ngo-3"}}, Program: json.RawMessage(evening + `}`)}, an)
	if err != nil {
		t.Fatal(err)
	}
	off := false
	if _, err := s.Create(ctx, Request{Name: "Tắt", Targets: devices.Target{All: true}, Program: json.RawMessage(evening + `}`), Enabled: &off}, an); err != nil {
		t.Fatal(err)
	}
	<-changes
	select {
	case <-changes:
		t.Fatal("changes did not coalesce")
	default:
	}

	// Lights lists only enabled light programmes, decoded.
	ls, err := s.Lights(ctx)
	if err != nil || len(ls) != 1 || ls[0].ID != on.ID || len(ls[0].Programme.Steps) != 3 || ls[0].Targets.Zones[0] != "ngo-3" {
		t.Fatalf("Lights = %+v, %v", ls, err)
	}
	// Update keeps enabled when omitted and refuses another kind.
	up, err := s.Update(ctx, on.ID, Request{Name: "Đêm 2", Targets: devices.Target{All: true}, Program: json.RawMessage(`{"steps":[{"at":"18:00","on":true}]}`)}, accounts.User{Name: "binh"})
	if err != nil || !up.Enabled || up.Name != "Đêm 2" || up.UpdatedBy != "binh" || up.CreatedBy != "an" || up.Next == nil || up.Next.Step.At != "18:00" {
		t.Errorf("update = %+v, %v", up, err)
	}
	if _, err := s.Update(ctx, on.ID, Request{Kind: KindAnnouncement, Name: "x", Targets: devices.Target{All: true}, Program: json.RawMessage(`{}`)}, an); !errors.As(err, &fe) || fe.Field != "kind" {
		t.Errorf("kind change: %v", err)
	}
	for _, id := range []string{"0", "x", "99"} {
		if _, err := s.Get(ctx, id); !errors.Is(err, devices.ErrNotFound) {
			t.Errorf("Get(%q) = %v", id, err)
		}
		if err := s.Delete(ctx, id, an); !errors.Is(err, devices.ErrNotFound) {
			t.Errorf("Delete(%q) = %v", id, err)
		}
	}
}

func TestAnnouncementTiming(t *testing.T) {
	hcm := mustLoc(t, "Asia/Ho_Chi_Minh")
	from := time.Date(2027, 2, 4, 12, 0, 0, 0, hcm)
	up, ok := AnnouncementNext(json.RawMessage(`{"cron":"0 7 * * *"}`), from, hcm)
	if !ok || !up.Time.Equal(time.Date(2027, 2, 5, 7, 0, 0, 0, hcm)) {
		t.Errorf("cron next = %v %v", up, ok)
	}
	if _, ok := AnnouncementNext(json.RawMessage(`{"at":"2027-02-04T07:00:00+07:00"}`), from, hcm); ok {
		t.Error("a past one-off has a next time")
	}
	if up, ok := AnnouncementNext(json.RawMessage(`{"at":"2027-02-06T07:00:00+07:00"}`), from, hcm); !ok || up.Time.Day() != 6 {
		t.Errorf("at next = %v %v", up, ok)
	}
	for raw, field := range map[string]string{`{}`: "program", `{"cron":"61 * * * *"}`: "program.cron", `{"at":"mai"}`: "program.at", `[1]`: "program"} {
		var fe *devices.FieldError
		if err := ValidateAnnouncement(json.RawMessage(raw), hcm); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("ValidateAnnouncement(%s) = %v, want field %s", raw, err, field)
		}
	}
}
