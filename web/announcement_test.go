package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/announce"
)

// failingAnnouncer and failingMedia return the announce capability's own errors.
type failingAnnouncer struct {
	fakeAnnouncer
	err error
}

func (f failingAnnouncer) Announce(ctx context.Context, req announce.Request, u User) (Announcement, error) {
	return Announcement{}, f.err
}

type failingMedia struct {
	fakeMedia
	err error
}

func (f failingMedia) Upload(ctx context.Context, ct string, body io.Reader, u User) (Media, error) {
	io.Copy(io.Discard, body)
	return Media{}, f.err
}

// TestAnnouncementErrors: outside a window is 409 with next_window, a
// missing tool 503 naming it, a full disk 507.
func TestAnnouncementErrors(t *testing.T) {
	next := time.Date(2026, 11, 2, 17, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		err    error
		status int
		key    string
	}{
		{&announce.WindowError{Zone: "ngo-a", NextWindow: next}, http.StatusConflict, "next_window"},
		{&announce.ToolError{Tool: "espeak-ng"}, http.StatusServiceUnavailable, "error"},
		{fmt.Errorf("store: %w", announce.ErrStorageFull), http.StatusInsufficientStorage, "error"},
	} {
		f := newFixture(t, func(o *Options) {
			withHooks(o)
			o.Announcer = failingAnnouncer{err: tc.err}
			o.Media = failingMedia{err: tc.err}
		})
		f.discover()
		code, m := f.call(f.as(opA), "POST", "/api/v1/announcements", `{"title":"Họp","text":"Mời họp","targets":{"zones":["ngo-a"]}}`)
		if code != tc.status || m[tc.key] == nil {
			t.Errorf("%v: announce %d %v, want %d with %s", tc.err, code, m, tc.status, tc.key)
		}
		if _, ok := tc.err.(*announce.WindowError); ok {
			continue
		}
		code, m = f.call(f.as(opA), "POST", "/api/v1/media", "ID3 audio", "Content-Type", "audio/mpeg")
		if code != tc.status {
			t.Errorf("%v: upload %d %v, want %d", tc.err, code, m, tc.status)
		}
	}
}
