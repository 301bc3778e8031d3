package telemetry

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hamlet-vn/hamlet/config"
)

// Options configure a Writer. The zero value of every field but URL and
// Bucket means its default.
type Options struct {
	// URL of InfluxDB: 1.8 (v2-compatible API), 2.x or 3.x. Required.
	URL string
	// Token authenticates; "user:password" or empty for InfluxDB 1.8.
	Token string
	// Org is the InfluxDB 2.x organisation; ignored by 1.8.
	Org string
	// Bucket is the bucket, or "database/retention" for 1.8. Required.
	Bucket string

	// BatchSize cuts a batch when it holds this many points. Default 5000.
	// One Add's points are never split, so a batch may hold more.
	BatchSize int
	// MaxBatchBytes cuts a batch when its line protocol reaches this size. Default 8 MiB.
	MaxBatchBytes int
	// FlushInterval cuts a batch this long after its first point. Default 1s.
	FlushInterval time.Duration
	// FlushIdle cuts a batch that received a burst (10 inputs or more
	// within two FlushIdle) once nothing was added to it for FlushIdle
	// (checked every FlushIdle, so after between one and two). It bounds
	// the delay of the last messages of a burst, and of each window of a
	// broker that stops at a small inflight window (see the package doc).
	// Default 10ms.
	FlushIdle time.Duration
	// MaxPendingAcks cuts a batch when this many inputs wait in it.
	// Default BatchSize.
	MaxPendingAcks int
	// MaxInFlight is how many batches are written concurrently, and how many
	// more may wait before Add blocks. Default 2.
	MaxInFlight int
	// WriteTimeout bounds one write request. Default 10s.
	WriteTimeout time.Duration
	// RetryMin and RetryMax bound the jittered exponential backoff between
	// probes of an unavailable InfluxDB. Defaults 500ms and 30s.
	RetryMin, RetryMax time.Duration
	// DisableGZip sends line protocol uncompressed (gzip costs CPU and saves
	// network; with InfluxDB on the same host it only costs). Default false;
	// OptionsFromConfig sets it for a loopback URL.
	DisableGZip bool

	// SpoolDir holds the spool. Empty means no spool: while InfluxDB is
	// unavailable batches are retried from memory, Add soon blocks, and the
	// broker holds the unacknowledged messages.
	SpoolDir string
	// SpoolMaxBytes bounds the spool; when full, its oldest segment is dropped
	// (counted and logged). Default 1 GiB.
	SpoolMaxBytes int64
	// SpoolSegmentBytes is the size at which a new segment file is started.
	// Default SpoolMaxBytes/16 within [64 KiB, 64 MiB].
	SpoolSegmentBytes int64

	// ShutdownTimeout is how long Run lets Close flush. Default 10s.
	ShutdownTimeout time.Duration
	// Logger receives the writer's logs. Default: discarded.
	Logger *slog.Logger
	// Registerer receives the metrics at Start. Default nil: not registered.
	Registerer prometheus.Registerer
	// Now gives the time of points added without one. Default time.Now.
	Now func() time.Time
	// Clock, when set, says whether the wall clock can be trusted
	// (clockguard.Guard). While it cannot, points are held in memory and
	// written once it can, their timestamps corrected (see clockhold.go).
	Clock Clock
	// HoldMaxBytes bounds the line protocol held while the clock is not
	// plausible; points beyond it are never written. Default 16 MiB.
	HoldMaxBytes int
}

// withDefaults returns o with defaults filled in.
func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.BatchSize, 5000)
	def(&o.MaxBatchBytes, 8<<20)
	def(&o.HoldMaxBytes, 16<<20)
	def(&o.MaxPendingAcks, o.BatchSize)
	def(&o.MaxInFlight, 2)
	defDur(&o.FlushInterval, time.Second)
	defDur(&o.FlushIdle, 10*time.Millisecond)
	defDur(&o.WriteTimeout, 10*time.Second)
	defDur(&o.RetryMin, 500*time.Millisecond)
	defDur(&o.RetryMax, 30*time.Second)
	defDur(&o.ShutdownTimeout, 10*time.Second)
	o.RetryMax = max(o.RetryMax, o.RetryMin)
	if o.SpoolMaxBytes <= 0 {
		o.SpoolMaxBytes = 1 << 30
	}
	if o.SpoolSegmentBytes <= 0 {
		o.SpoolSegmentBytes = min(max(o.SpoolMaxBytes/16, 64<<10), 64<<20)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// validate checks the options Start needs, naming the bad one.
func (o Options) validate() error {
	if strings.TrimSpace(o.URL) == "" {
		return errors.New("telemetry: influx url is empty (export is off; do not start a writer)")
	}
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("telemetry: influx url %q: want http://host:port or https://host:port", o.URL)
	}
	if strings.TrimSpace(o.Bucket) == "" {
		return errors.New(`telemetry: influx bucket is empty (for InfluxDB 1.8 use "database/retention", e.g. "hamlet/autogen")`)
	}
	return nil
}

// Enabled reports whether c turns telemetry export on: its URL is set.
func Enabled(c config.Influx) bool { return strings.TrimSpace(c.URL) != "" }

// OptionsFromConfig returns the writer options for c, with the spool in
// spoolDir. Requests to an InfluxDB on the same host (a loopback URL) are
// not compressed: there gzip only costs CPU, on both sides. Logger,
// Registerer and the rest keep their defaults.
func OptionsFromConfig(c config.Influx, spoolDir string) Options {
	return Options{
		URL:           c.URL,
		Token:         c.Token,
		Org:           c.Org,
		Bucket:        c.Bucket,
		BatchSize:     c.BatchSize,
		FlushInterval: c.FlushInterval,
		DisableGZip:   isLoopback(c.URL),
		SpoolDir:      spoolDir,
		SpoolMaxBytes: int64(c.SpoolMaxBytes),
	}
}

// isLoopback reports whether the host of rawURL is "localhost" or a loopback
// IP address.
func isLoopback(rawURL string) bool {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
