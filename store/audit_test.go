package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

// TestAuditScope checks, per kind of reader, which entries the query returns.
func TestAuditScope(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	entries := []AuditEntry{
		{User: "an", Action: "login", Result: "ok"},                                                           // 1 admin signs in
		{User: "an", Action: "user.create", Target: "user:binh", Result: "ok"},                                // 2 user management
		{User: "an", Action: "token.create", Target: "token:3", Result: "ok"},                                 // 3 token management
		{User: "an", Action: "command", Target: "devices:den-a1", Zones: []string{"ngo-a"}, Result: "ok"},     // 4 zone A
		{User: "an", Action: "command", Target: "devices:den-b1", Zones: []string{"ngo-b"}, Result: "ok"},     // 5 zone B
		{User: "an", Action: "command", Zones: []string{"ngo-a", "ngo-b", "ngo-a"}, Result: "ok"},             // 6 both zones
		{User: "opa", Action: "login", Result: "ok"},                                                          // 7 opa signs in
		{User: "opa", Action: "command", Zones: []string{"ngo-a", "ngo-b"}, Result: "denied"},                 // 8 opa refused
		{User: "opa", Action: "user.password", Target: "user:opa", Result: "ok"},                              // 9 opa's own password
		{User: "an", Action: "user.password", Target: "user:opa", Result: "ok"},                               // 10 admin resets opa's
		{User: "an", Action: "device.assign", Target: "device:cam-9", Zones: []string{""}, Result: "ok"},      // 11 a device in no zone
		{User: "opb", Action: "media.upload", Result: "ok"},                                                   // 12 no zone
		{User: "opa", Action: "login", Result: "failed", Error: "wrong password"},                             // 13 someone tried opa
		{User: "an", Action: "announcement.cancel", Zones: []string{"ngo-a"}, Result: "ok"},                   // 14 zone A
		{User: "token:scada", Action: "command", Zones: []string{"ngo-b"}, Result: "ok"},                      // 15 a token, zone B
		{User: "vi", Action: "logout", Result: "ok"},                                                          // 16 viewer signs out
		{User: "an", Action: "token.revoke", Target: "token:3", Zones: []string{"ngo-a"}, Result: "ok"},       // 17 zones never open token entries
		{User: "an", Action: "schedule.delete", Target: "schedule:2", Zones: []string{"ngo-c"}, Result: "ok"}, // 18 zone C
	}
	for i, e := range entries {
		e.At = t0.Add(time.Duration(i) * time.Minute)
		if _, err := db.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	for _, tt := range []struct {
		reader string
		scope  AuditScope
		want   []int64
	}{
		{"admin", AuditScope{All: true, User: "an"}, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}},
		{"operator of zone A", AuditScope{User: "opa", Zones: []string{"ngo-a"}}, []int64{4, 7, 8, 9, 13, 14}},
		{"operator of zones A and B", AuditScope{User: "opb", Zones: []string{"ngo-a", "ngo-b"}}, []int64{4, 5, 6, 8, 12, 14, 15}},
		{"viewer of every zone", AuditScope{User: "vi", AllZones: true}, []int64{4, 5, 6, 8, 11, 14, 15, 16, 18}},
		{"token limited to zone B", AuditScope{User: "token:scada", Zones: []string{"ngo-b"}}, []int64{5, 15}},
		{"nobody", AuditScope{}, nil},
	} {
		got, err := db.Audit(ctx, AuditQuery{From: t0, To: t0.Add(time.Hour), Scope: tt.scope})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, e := range got {
			ids = append(ids, e.ID)
		}
		slices.Sort(ids)
		if !slices.Equal(ids, tt.want) {
			t.Errorf("%s sees %v, want %v", tt.reader, ids, tt.want)
		}
	}
	got, _ := db.Audit(ctx, AuditQuery{From: t0, To: t0.Add(time.Hour), Action: "command", User: "an", Scope: all})
	if len(got) != 3 || !slices.Equal(got[0].Zones, []string{"ngo-a", "ngo-b"}) || got[2].Zones[0] != "ngo-a" {
		t.Errorf("zones read back: %+v", got)
	}
}
