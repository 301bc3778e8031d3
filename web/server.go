// Package web is hamlet's HTTP side: the JSON API under /api/v1 (sign-in
// with its cookies and throttling, the audit log, server-sent events) and the
// operational endpoints (/healthz, /readyz, /metrics). It only speaks HTTP:
// users, sessions and API tokens are package accounts', devices the
// registry's, and each capability its own package's, reached through hooks.
//
// Every route and the policy that guards it (minimum role, zone rule, audit
// action, capability) is listed in one table in routes.go; guard in
// policy.go enforces it, so handlers never check roles themselves.
package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
)

// DeviceSource is what the API reads devices from; *devices.Registry is one.
type DeviceSource interface {
	List(f devices.Filter) []devices.Status
	Get(id string) (devices.Status, bool)
	SubscribeLatest() (*devices.Latest[devices.Change], func())
}

// Zone is a declared zone of the area.
type Zone struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Options configures a Server. Only Addr has a meaningful zero value; the
// daemon fills the rest.
type Options struct {
	// Addr is the listen address, e.g. ":8080". If empty, ":8080" is used.
	Addr string
	// CertFile and KeyFile serve HTTPS when both are set; session cookies are
	// then Secure.
	CertFile, KeyFile string
	// Logger receives the access log and server errors. If nil, logs are discarded.
	Logger *slog.Logger
	// Checks are the readiness checks behind /readyz, by name.
	Checks map[string]func(context.Context) error
	// Metrics serves /metrics. If nil, /metrics is not served.
	Metrics http.Handler
	// Registerer receives the HTTP and device metrics. If nil, they are not registered.
	Registerer prometheus.Registerer

	// Store keeps users, sessions, API tokens and the audit log. If nil, every
	// /api/v1 route answers 503 not_available.
	Store *store.DB
	// Devices is the device registry. If nil, an empty one is used.
	Devices DeviceSource
	// Zones are the area's declared zones; user zones and targets must name one.
	Zones []Zone
	// Location is the area's timezone: times in responses and YYYY-MM-DD
	// query dates use it. If nil, UTC.
	Location *time.Location
	// AuditSink receives audit entries that name devices (for InfluxDB). May be nil.
	AuditSink AuditSink

	// Capabilities (see hooks.go). A nil one makes its routes answer 503.
	Commander Commander
	// Lights shows lights' overrides and faults and reports burning hours.
	Lights    LightsReporter
	Announcer Announcer
	Media     MediaStore
	Scheduler Scheduler
	Uptime    UptimeReporter
	// DeviceAdmin assigns discovered devices to zones.
	DeviceAdmin DeviceAdmin
	// Alerts lists and acknowledges alerts.
	Alerts Alerter

	// Snapshots holds the latest camera snapshots for the Camera page. May be nil.
	Snapshots SnapshotSource
	// StreamURLs are the cameras' stream links (devices[].stream_url), by device id.
	StreamURLs map[string]string

	// Now returns the current time for sessions, throttling and the audit
	// log. If nil, time.Now.
	Now func() time.Time
	// Sessions bound session lifetimes; zero fields take their defaults.
	Sessions accounts.SessionLimits
	// Login bounds failed sign-ins; zero fields take their defaults.
	Login LoginLimits
	// Password is the argon2id cost of new hashes. If zero,
	// accounts.DefaultPasswordParams.
	Password accounts.PasswordParams
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (see clientAddr). If empty, every request is judged by its
	// peer's address.
	TrustedProxies []netip.Prefix
	// TrustedOrigins are extra origins ("https://host:port") allowed to send
	// state-changing requests, besides the server's own.
	TrustedOrigins []string
	// Heartbeat is the interval of event stream heartbeats. If zero, 15s.
	Heartbeat time.Duration
	// MaxStreams bounds concurrent event streams. If zero, 64.
	MaxStreams int
	// MaxMediaBytes bounds an audio upload. If zero, 20 MiB.
	MaxMediaBytes int64
}

// Server is the HTTP server. New, then Listen, then Serve, then Shutdown.
type Server struct {
	opts     Options
	srv      *http.Server
	ln       net.Listener
	handler  http.Handler
	throttle *throttle
	accounts *accounts.Service // users, sessions and tokens over Store
	commands devices.Hub[CommandEvent]
	metrics  *metrics
	streams  chan struct{}          // a token per open event stream
	setupErr error                  // a bad trusted origin; reported by Listen
	zoneList atomic.Pointer[[]Zone] // set by SetZones; nil: Options.Zones

	closeOnce sync.Once
	closing   chan struct{} // closed when Shutdown starts: event streams end

	ui *uiAssets // the phone UI's templates and static files (pages.go)
}

// New returns a Server; it does not listen yet.
func New(opts Options) *Server {
	if opts.Addr == "" {
		opts.Addr = ":8080"
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Devices == nil {
		opts.Devices = devices.NewRegistry(nil, nil, time.Time{})
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = 15 * time.Second
	}
	if opts.MaxStreams <= 0 {
		opts.MaxStreams = 64
	}
	if opts.MaxMediaBytes <= 0 {
		opts.MaxMediaBytes = 20 << 20
	}
	opts.Login.fill()
	s := &Server{opts: opts, throttle: newThrottle(opts.Login), closing: make(chan struct{}),
		accounts: accounts.New(opts.Store, accounts.Options{Password: opts.Password, Sessions: opts.Sessions, Now: opts.Now,
			Logger: opts.Logger.With("component", "accounts")}),
		streams: make(chan struct{}, opts.MaxStreams), ui: &uiAssets{}}
	s.metrics = newMetrics(opts.Registerer, opts.Devices, opts.Logger)
	s.handler = s.routes()
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// WriteTimeout stays 0: event streams last long. guard sets a write
		// deadline on every other response.
		IdleTimeout:    120 * time.Second,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	s.srv.RegisterOnShutdown(s.close)
	return s
}

// Handler returns the server's whole HTTP handler (for tests and embedding).
func (s *Server) Handler() http.Handler { return s.handler }

// Listen binds the listen address, so that errors (port in use) surface
// before the daemon reports ready.
func (s *Server) Listen() error {
	if s.setupErr != nil {
		return s.setupErr
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("http listen %s: %w", s.opts.Addr, err)
	}
	if s.opts.CertFile != "" && s.opts.KeyFile != "" {
		cert, err := tls.LoadX509KeyPair(s.opts.CertFile, s.opts.KeyFile)
		if err != nil {
			ln.Close()
			return fmt.Errorf("http tls: %w", err)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address, or the configured one before Listen.
func (s *Server) Addr() string {
	if s.ln != nil {
		return s.ln.Addr().String()
	}
	return s.opts.Addr
}

// Serve serves on the listener until Shutdown. It returns nil after Shutdown.
func (s *Server) Serve() error {
	if s.ln == nil {
		return errors.New("http: Serve before Listen")
	}
	s.opts.Logger.Info("http serving", "addr", s.Addr(), "tls", s.opts.CertFile != "")
	if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http serve: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections, ends open event streams and waits
// for active requests until ctx ends, then closes the rest.
func (s *Server) Shutdown(ctx context.Context) error {
	s.close()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.srv.Close()
	}
	return err
}

// close ends the event streams; safe to call more than once.
func (s *Server) close() { s.closeOnce.Do(func() { close(s.closing) }) }

// PublishCommand sends a command result to the event streams of the users
// who may see ev.Zone (event "command"). The lights capability calls it as
// results change; the commands route publishes the results it answers.
func (s *Server) PublishCommand(ev CommandEvent) { s.commands.Publish(ev) }

// knownZone reports whether id is a declared zone.
func (s *Server) knownZone(id string) bool {
	for _, z := range s.zones() {
		if z.ID == id {
			return true
		}
	}
	return false
}
