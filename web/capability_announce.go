package web

import (
	"context"
	"io"
	"time"

	"github.com/hamlet-vn/hamlet/announce"
	"github.com/hamlet-vn/hamlet/devices"
)

// Announcer sends and tracks announcements on speakers (the announce capability).
type Announcer interface {
	Announce(ctx context.Context, req announce.Request, u User) (Announcement, error)
	// Announcement returns one announcement; unknown ids wrap ErrNotFound.
	Announcement(ctx context.Context, id string) (Announcement, error)
	// History returns the announcements created in [from, to), newest first.
	History(ctx context.Context, from, to time.Time) ([]Announcement, error)
	Cancel(ctx context.Context, id string, u User) error
	// Events are live announcement and delivery events for /api/v1/events.
	Events(buffer int) (<-chan announce.Event, func())
	// Window returns whether zone's broadcast window is open at t and when
	// it next opens.
	Window(zone string, t time.Time) announce.ZoneWindow
}

// Announcement is an announcement and its deliveries (announce.Announcement).
type Announcement = announce.Announcement

// Delivery is an announcement's progress on one speaker (announce.Delivery).
type Delivery = announce.Delivery

// MediaStore keeps uploaded audio that speakers fetch.
type MediaStore interface {
	// Upload stores body (already bounded in size) of the given content type.
	Upload(ctx context.Context, contentType string, body io.Reader, u User) (Media, error)
	// MediaList returns the uploaded files.
	MediaList(ctx context.Context) ([]Media, error)
	// DeleteMedia removes one; unknown ids wrap ErrNotFound.
	DeleteMedia(ctx context.Context, id string) error
	// Fetch returns the file a speaker's token names while it is valid;
	// other tokens wrap ErrNotFound.
	Fetch(ctx context.Context, token string) (path, contentType string, err error)
}

// Media is an uploaded audio file (announce.Media).
type Media = announce.Media

// AnnouncementRequest is the body of POST /api/v1/announcements.
type AnnouncementRequest struct {
	announce.Request
}

func (a *AnnouncementRequest) targets() (Target, string, devices.Kind) {
	return a.Targets, "targets", devices.Speaker
}
func (a *AnnouncementRequest) setDevices(ds []devices.Device) { a.Devices = ds }

func (a *AnnouncementRequest) validate() *apiError {
	if e := a.Check(); e != nil {
		return fieldError(e.Field, codeInvalid, "%s", e.Message)
	}
	return nil
}
