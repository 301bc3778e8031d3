package alerts

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// DefaultOfflineAfter is how long each kind may be offline before an alert.
func DefaultOfflineAfter() map[devices.Kind]time.Duration {
	return map[devices.Kind]time.Duration{
		devices.Camera:  5 * time.Minute,
		devices.Light:   15 * time.Minute,
		devices.Speaker: 30 * time.Minute,
	}
}

// DeviceSource lists devices; *devices.Registry is one.
type DeviceSource interface {
	List(f devices.Filter) []devices.Status
}

// SpoolStats reports the telemetry spool: bytes waiting for InfluxDB and
// points ever dropped. The zero func means telemetry export is off.
type SpoolStats func() (waiting int64, dropped uint64)

// Watcher turns what the registry and the telemetry writer show into
// problems: devices offline beyond their kind's grace, cameras not streaming
// for the grace, the spool growing (InfluxDB unreachable) or dropping.
type Watcher struct {
	devices      DeviceSource
	manager      *Manager
	mu           sync.Mutex // guards offlineAfter (SetOfflineAfter on a config reload)
	offlineAfter map[devices.Kind]time.Duration
	spool        SpoolStats
	now          func() time.Time
	log          *slog.Logger

	notStreaming map[string]time.Time // camera → since when it has not streamed
	spoolingFrom time.Time            // since when the spool has held data
	dropped      uint64               // the spool's drop count at the last check
	droppedAt    time.Time            // when it last grew
}

// WatcherOptions configure a Watcher; zero fields take defaults.
type WatcherOptions struct {
	// OfflineAfter is each kind's grace; missing kinds take DefaultOfflineAfter.
	OfflineAfter map[devices.Kind]time.Duration
	// Spool reports the telemetry spool; nil when export is off.
	Spool SpoolStats
	// Now returns the current time. If nil, time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// NewWatcher returns a Watcher that reports to m.
func NewWatcher(src DeviceSource, m *Manager, opts WatcherOptions) *Watcher {
	grace := DefaultOfflineAfter()
	for k, d := range opts.OfflineAfter {
		grace[k] = d
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Watcher{devices: src, manager: m, offlineAfter: grace, spool: opts.Spool, now: opts.Now,
		log: opts.Logger, notStreaming: map[string]time.Time{}}
}

// SetOfflineAfter replaces the kinds' graces (a config reload); missing
// kinds take DefaultOfflineAfter.
func (w *Watcher) SetOfflineAfter(after map[devices.Kind]time.Duration) {
	grace := DefaultOfflineAfter()
	maps.Copy(grace, after)
	w.mu.Lock()
	w.offlineAfter = grace
	w.mu.Unlock()
}

// watched are the conditions the Watcher owns: it resolves them when they end.
var watched = []Condition{DeviceOffline, CameraNotStreaming, TelemetrySpooling, TelemetryDropping}

// Check looks once at every device and the spool, and syncs the manager.
func (w *Watcher) Check(ctx context.Context) error {
	now := w.now()
	var ps []Problem
	seen := map[string]bool{}
	w.mu.Lock()
	graces := maps.Clone(w.offlineAfter)
	w.mu.Unlock()
	for _, st := range w.devices.List(devices.Filter{}) {
		grace := graces[st.Kind]
		if grace == 0 {
			grace = 15 * time.Minute
		}
		if st.Availability == devices.Offline && now.Sub(st.Since) >= grace {
			ps = append(ps, Problem{Key: Key{st.ID, DeviceOffline}, Zone: st.Zone, Kind: string(st.Kind),
				Severity: offlineSeverity(st.Kind), Message: fmt.Sprintf(
					"%s mất kết nối từ %s / %s offline since %s (%s)", st.Name, st.Since.Format("15:04 02/01"),
					st.ID, st.Since.Format(time.RFC3339), st.Cause)})
		}
		if st.Kind == devices.Camera && st.Availability == devices.Online && !streaming(st) {
			seen[st.ID] = true
			since, ok := w.notStreaming[st.ID]
			if !ok {
				since, w.notStreaming[st.ID] = now, now
			}
			if now.Sub(since) >= grace {
				ps = append(ps, Problem{Key: Key{st.ID, CameraNotStreaming}, Zone: st.Zone, Kind: string(st.Kind),
					Severity: Warning, Message: fmt.Sprintf("%s không phát hình (0 khung/giây) / camera %s is not streaming (0 fps)",
						st.Name, st.ID)})
			}
		}
	}
	for id := range w.notStreaming {
		if !seen[id] {
			delete(w.notStreaming, id)
		}
	}
	ps = append(ps, w.spoolProblems(now)...)
	return w.manager.Sync(ctx, watched, ps)
}

func (w *Watcher) spoolProblems(now time.Time) []Problem {
	if w.spool == nil {
		return nil
	}
	var ps []Problem
	waiting, dropped := w.spool()
	switch {
	case waiting == 0:
		w.spoolingFrom = time.Time{}
	case w.spoolingFrom.IsZero():
		w.spoolingFrom = now
	case now.Sub(w.spoolingFrom) >= 5*time.Minute:
		ps = append(ps, Problem{Key: Key{"", TelemetrySpooling}, Severity: Warning, Message: fmt.Sprintf(
			"Không ghi được vào InfluxDB, dữ liệu đang được giữ lại (%d byte) / InfluxDB unreachable: %d bytes spooled", waiting, waiting)})
	}
	if dropped > w.dropped {
		w.dropped, w.droppedAt = dropped, now
	}
	if !w.droppedAt.IsZero() && now.Sub(w.droppedAt) < 10*time.Minute {
		ps = append(ps, Problem{Key: Key{"", TelemetryDropping}, Severity: Critical, Message: fmt.Sprintf(
			"Bộ đệm đầy, đã bỏ %d điểm dữ liệu / the telemetry spool is full: %d points dropped", dropped, dropped)})
	}
	return ps
}

// Run checks every interval and clears settled alerts until ctx ends.
func (w *Watcher) Run(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := w.Check(ctx); err != nil {
			w.log.Warn("alert check failed", "err", err)
		}
		if err := w.manager.Tick(ctx); err != nil {
			w.log.Warn("alert clearing failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// UncleanRestart raises an info alert that the daemon started after a crash
// or power cut (its previous run never stopped cleanly), then lets it clear.
func UncleanRestart(ctx context.Context, m *Manager, lastAlive time.Time) error {
	k := Key{"", DaemonUncleanRestart}
	_, err := m.Raise(ctx, Problem{Key: k, Severity: Info, Message: fmt.Sprintf(
		"hamletd khởi động lại sau sự cố hoặc mất điện (lần cuối hoạt động %s) / hamletd restarted after a crash or power cut (last alive %s)",
		lastAlive.Format("15:04 02/01/2006"), lastAlive.Format(time.RFC3339))})
	if err != nil {
		return err
	}
	return m.Resolve(ctx, k)
}

func streaming(st devices.Status) bool {
	if fps, ok := st.Telemetry["fps"]; ok && fps == 0 {
		return false
	}
	if c := st.Reported.Camera; c != nil && c.Streaming != nil {
		return *c.Streaming
	}
	return true
}

func offlineSeverity(k devices.Kind) Severity {
	if k == devices.Camera || k == devices.Light {
		return Critical
	}
	return Warning
}
