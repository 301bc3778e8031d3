package announce

import (
	"time"
)

// Delivery statuses: the progress of one announcement on one speaker.
const (
	Pending   = "pending"   // waiting for the speaker (queued behind another, or before its time)
	Sent      = "sent"      // the play command was published
	Playing   = "playing"   // the speaker reported it plays it
	Done      = "done"      // played to the end (every repeat); with Error, the speaker went offline during the play and its end was not reported
	Failed    = "failed"    // the speaker refused or failed it, or never answered; Error says why
	Offline   = "offline"   // the speaker is offline before accepting the play; retried until the announcement expires
	Cancelled = "cancelled" // the announcement was cancelled before it played to the end
)

// Overall statuses of an announcement besides the delivery ones.
const (
	Scheduled = "scheduled" // waits for its time (at) or its broadcast window
	Partial   = "partial"   // done on some speakers, failed on others
	Missed    = "missed"    // a scheduled occurrence found after its grace period
	Sending   = "sending"   // in progress on at least one speaker
)

// Announcement is an announcement and its deliveries. Zones are the zones of
// its target speakers: cancelling it needs every one of them.
type Announcement struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Priority   string     `json:"priority"`
	Status     string     `json:"status"`
	Zones      []string   `json:"zones"`
	Deliveries []Delivery `json:"deliveries"`

	Text     string    `json:"text,omitempty"`
	MediaID  string    `json:"media_id,omitempty"`
	Repeat   int       `json:"repeat"`
	Volume   *int      `json:"volume,omitempty"`
	By       string    `json:"created_by"`
	Created  time.Time `json:"created"`
	At       time.Time `json:"at"`      // when it may start (the request's at, or its window)
	Expires  time.Time `json:"expires"` // after this, undelivered speakers end failed
	Schedule string    `json:"schedule,omitempty"`
	// DurationS is the audio's length in seconds (0 when unknown).
	DurationS float64 `json:"duration_s,omitempty"`
}

// Delivery is an announcement's progress on one speaker. Status is pending,
// sent, playing, done, failed, offline or cancelled.
type Delivery struct {
	Device  string    `json:"device"`
	Zone    string    `json:"zone"`
	Status  string    `json:"status"`
	Error   string    `json:"error,omitempty"`
	Updated time.Time `json:"updated"`
	// Times of the steps reached; zero when not reached.
	SentAt    time.Time `json:"sent_at,omitzero"`
	PlayingAt time.Time `json:"playing_at,omitzero"`
	DoneAt    time.Time `json:"done_at,omitzero"`
	// Plays counts the plays finished (of Repeat); Attempts the play commands sent.
	Plays    int `json:"plays"`
	Attempts int `json:"attempts"`
}

// terminal reports whether a delivery status is final.
func terminal(s string) bool { return s == Done || s == Failed || s == Cancelled }

// Media is an uploaded or rendered audio file.
type Media struct {
	ID          string    `json:"id"`
	ContentType string    `json:"content_type"`
	DurationS   float64   `json:"duration_s"`
	Bytes       int64     `json:"bytes"`
	Created     time.Time `json:"created"`
	By          string    `json:"created_by,omitempty"`
}

// Event is a live announcement event for /api/v1/events: one delivery's new
// status, or the announcement's (Device empty).
type Event struct {
	Announcement string    `json:"announcement"`
	Device       string    `json:"device,omitempty"`
	Zone         string    `json:"zone,omitempty"`
	Zones        []string  `json:"zones,omitempty"` // the announcement's zones, on its own events
	Status       string    `json:"status"`
	Error        string    `json:"error,omitempty"`
	At           time.Time `json:"at"`
}

// overall computes an announcement's status from its deliveries.
func overall(a *Announcement, now time.Time) string {
	if a.Status == Cancelled || a.Status == Missed {
		return a.Status
	}
	var done, failed, open, waiting int
	for _, d := range a.Deliveries {
		switch d.Status {
		case Done:
			done++
		case Failed:
			failed++
		case Cancelled:
		case Pending:
			waiting++
			open++
		default:
			open++
		}
	}
	switch {
	case open > 0 && waiting == open && done+failed == 0 && a.At.After(now):
		return Scheduled
	case open > 0:
		return Sending
	case done > 0 && failed == 0:
		return Done
	case done > 0:
		return Partial
	default:
		return Failed
	}
}
