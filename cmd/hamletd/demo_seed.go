package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"time"
)

// demoProgramme is the demo's light programme: on at dusk, dimmed at
// midnight's approach, off at dawn, every day.
const demoProgramme = `{"kind":"light","name":"Chiếu sáng đêm / night lighting","targets":{"all":true,"kind":"light"},
 "program":{"steps":[{"at":"sunset+10m","on":true,"brightness":100},{"at":"23:00","on":true,"brightness":50},
 {"at":"sunrise-10m","on":false}]}}`

// demoBulletin is the demo's scheduled announcement: the evening bulletin.
const demoBulletin = `{"title":"Bản tin chiều / evening bulletin","priority":"normal","targets":{"all":true,"kind":"speaker"},
 "cron":"0 17 * * *","text":"Kính thưa bà con, bản tin chiều của khu dân cư số 10 bắt đầu lúc 17 giờ."}`

// seedDemo gives a new demo its light programme and scheduled bulletin,
// through the API as an area head would, once per demo folder. What fails is
// reported, not fatal: the demo still runs.
func seedDemo(ctx context.Context, e *env, dir, base, user, password string) {
	marker := filepath.Join(dir, "demo-seeded")
	if _, err := os.Stat(marker); err == nil {
		return
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	post := func(path, body string) error {
		req, _ := http.NewRequestWithContext(ctx, "POST", base+path, bytes.NewBufferString(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", base)
		resp, err := c.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			var msg struct {
				Error string `json:"error"`
			}
			b, _ := io.ReadAll(resp.Body)
			json.Unmarshal(b, &msg)
			return fmt.Errorf("%s: %d %s", path, resp.StatusCode, msg.Error)
		}
		return nil
	}
	login, _ := json.Marshal(map[string]string{"username": user, "password": password})
	if err := post("/api/v1/login", string(login)); err != nil {
		fmt.Fprintf(e.stderr, "  (không đăng nhập được để tạo lịch / could not sign in to seed schedules: %v)\n", err)
		return
	}
	ok := true
	if err := post("/api/v1/schedules", demoProgramme); err != nil {
		ok = false
		fmt.Fprintf(e.stderr, "  (chưa tạo được chương trình đèn / light programme not created: %v)\n", err)
	}
	if err := post("/api/v1/announcements", demoBulletin); err != nil {
		ok = false
		fmt.Fprintf(e.stderr, "  (chưa tạo được bản tin hẹn giờ / scheduled bulletin not created: %v)\n", err)
	}
	if ok {
		os.WriteFile(marker, nil, 0o600)
	}
}
