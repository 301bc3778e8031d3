package telemetry

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"
	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/internal/backoff"
	"github.com/hamlet-vn/hamlet/internal/clockguard"
	"github.com/hamlet-vn/hamlet/internal/ratelog"
)

// lineWriter is the subset of the client's blocking write API the writer uses.
type lineWriter interface {
	WriteRecord(ctx context.Context, line ...string) error
}

// Writer batches points, writes them to InfluxDB, spools them while InfluxDB
// is unavailable and acknowledges every input once its points are durable.
// See the package documentation for the contract. Create it with New, call
// Start, then Add from any number of goroutines, and Close at the end.
type Writer struct {
	opts Options
	log  *slog.Logger
	m    *metrics
	now  func() time.Time

	client    influxdb2.Client
	api       lineWriter
	spool     *spool
	acks      sequencer
	queue     chan *batch
	kick      chan struct{} // a batch started: the flusher arms its timer
	spoolKick chan struct{} // a batch was spooled: the replayer wakes
	held      clockguard.Hold[heldLines]
	holding   atomic.Bool // an episode of an implausible clock is being held
	lines     sync.Pool   // *Lines for Add
	bufs      bufPool     // batch buffers, reused once a batch is durable
	rejectLog *ratelog.Limiter
	retry     backoff.Policy // between probes of InfluxDB and attempts to persist

	mu      sync.Mutex
	cur     *batch
	seq     uint64
	started bool
	closed  bool
	adding  sync.WaitGroup // Adds between their cut and their enqueue

	up        atomic.Bool
	notBefore atomic.Int64 // Unix ns before which the replayer does not probe (Retry-After)
	abandoned atomic.Int64 // points neither written nor spooled at shutdown

	hard       context.Context // cancelled at Close's deadline: give up on InfluxDB, spool
	hardCancel context.CancelFunc
	bg         context.Context // cancelled when Close ends the flusher and replayer
	bgCancel   context.CancelFunc
	workers    sync.WaitGroup
	loops      sync.WaitGroup
	closeOnce  sync.Once
	closeErr   error
}

// New returns a Writer for opts with defaults applied. It has no side
// effects: nothing is opened, registered or started before Start.
func New(opts Options) *Writer {
	opts = opts.withDefaults()
	w := &Writer{
		opts:      opts,
		log:       opts.Logger.With("component", "telemetry"),
		m:         newMetrics(),
		now:       opts.Now,
		queue:     make(chan *batch, opts.MaxInFlight),
		kick:      make(chan struct{}, 1),
		spoolKick: make(chan struct{}, 1),
		rejectLog: ratelog.New(10*time.Second, opts.Now),
		retry:     backoff.Policy{Initial: opts.RetryMin, Max: opts.RetryMax},
	}
	w.held.Max = opts.HoldMaxBytes
	w.acks = sequencer{done: map[uint64][]func(){}, pending: w.m.pendingAcks.Add}
	w.lines.New = func() any { return &Lines{buf: make([]byte, 0, 4096)} }
	w.bufs.max = 2 // a batch being filled and one spare; more would only hold memory after a burst
	w.hard, w.hardCancel = context.WithCancel(context.Background())
	w.bg, w.bgCancel = context.WithCancel(context.Background())
	return w
}

// Start opens the spool (recovering it after a crash), registers the metrics
// and starts the writer's goroutines. ctx bounds only the start itself; the
// writer runs until Close. It fails on invalid options, an unusable spool
// directory or a metrics registration conflict.
func (w *Writer) Start(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.started || w.closed {
		return errors.New("telemetry writer: Start called twice or after Close")
	}
	if err := w.opts.validate(); err != nil {
		return err
	}
	if w.opts.SpoolDir != "" {
		sp, err := openSpool(w.opts.SpoolDir, w.opts.SpoolMaxBytes, w.opts.SpoolSegmentBytes, w.log, w.m)
		if err != nil {
			return fmt.Errorf("telemetry spool %s: %w", w.opts.SpoolDir, err)
		}
		w.spool = sp
	}
	if err := w.m.register(w.opts.Registerer); err != nil {
		if w.spool != nil {
			_ = w.spool.close()
		}
		return err
	}
	copts := influxdb2.DefaultOptions().
		SetUseGZip(!w.opts.DisableGZip).
		SetPrecision(time.Nanosecond).
		SetHTTPRequestTimeout(uint(max(1, w.opts.WriteTimeout/time.Second+1))).
		SetApplicationName("hamletd")
	w.client = influxdb2.NewClientWithOptions(w.opts.URL, w.opts.Token, copts)
	if w.api == nil {
		w.api = w.client.WriteAPIBlocking(w.opts.Org, w.opts.Bucket)
	}
	w.up.Store(true)
	w.m.up.Set(1)
	for range w.opts.MaxInFlight {
		w.workers.Add(1)
		go w.worker()
	}
	w.loops.Add(1)
	go w.flusher()
	if w.spool != nil {
		w.loops.Add(1)
		go w.replayer()
	}
	w.started = true
	w.log.Info("telemetry writer started", "url", w.opts.URL, "bucket", w.opts.Bucket,
		"spool", w.opts.SpoolDir, "spool_bytes", w.spoolBytes())
	return nil
}

func (w *Writer) spoolBytes() int64 {
	if w.spool == nil {
		return 0
	}
	w.spool.mu.Lock()
	defer w.spool.mu.Unlock()
	return w.spool.bytes
}

// Add enqueues points and calls ack (if not nil) exactly once when all of
// them are durable: written to InfluxDB, committed to the spool, or rejected
// for good. ack is called from the writer's goroutines, in the order of
// the Adds, and must neither block nor call Add. Add blocks while the bounded queue of batches
// is full. Points without a timestamp get the time of Add. Points that cannot
// be encoded (no measurement, no usable field) are rejected, counted and
// logged. Added after Close, points are counted as dropped and ack is never
// called, so the broker redelivers the message.
func (w *Writer) Add(points []*write.Point, ack func()) { w.addPoints(points, ack, false) }

// addPoints encodes points and adds them: as Add, or as AddExact when exact.
func (w *Writer) addPoints(points []*write.Point, ack func(), exact bool) {
	l := w.lines.Get().(*Lines)
	l.Reset()
	w.encode(l, points)
	w.m.rewritten.Add(float64(l.rewritten))
	if exact {
		w.addNow(l.buf, l.meta, ack)
	} else {
		w.add(l.buf, l.meta, ack)
	}
	w.lines.Put(l)
}

// AddLines adds the points encoded in l and calls ack like Add. l is not
// retained: it may be reset and reused once AddLines returns.
func (w *Writer) AddLines(l *Lines, ack func()) {
	w.m.received.Add(float64(l.meta.points))
	w.m.rewritten.Add(float64(l.rewritten))
	w.add(l.buf, l.meta, ack)
}

// AddReport adds the points of report r (see ReportPoints and
// Lines.AppendReport), counting device timestamps that were not plausible,
// and calls ack like Add.
func (w *Writer) AddReport(area string, d devices.Device, r devices.Report, received time.Time, loc *time.Location, ack func()) {
	l := w.lines.Get().(*Lines)
	l.Reset()
	if _, n := l.AppendReport(area, d, r, received, loc); n > 0 {
		w.m.implausible.Add(float64(n))
	}
	w.AddLines(l, ack)
	w.lines.Put(l)
}

// add appends encoded lines holding meta's points to the current batch,
// cutting it when it is full; while the clock is not plausible it holds
// them instead (clockhold.go).
func (w *Writer) add(enc []byte, meta recordMeta, ack func()) {
	if w.hold(enc, meta, ack) {
		return
	}
	w.addNow(enc, meta, ack)
}

// addNow is add without the clock's hold.
func (w *Writer) addNow(enc []byte, meta recordMeta, ack func()) {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		w.m.dropped.WithLabelValues(dropClosed).Add(float64(meta.points))
		w.log.Error("telemetry: points added after Close; not acknowledged", "points", meta.points)
		return
	}
	b := w.cur
	if b == nil {
		b = &batch{data: w.bufs.get(len(enc)), deadline: time.Now().Add(w.opts.FlushInterval)}
		w.cur = b
		select {
		case w.kick <- struct{}{}:
		default:
		}
	}
	b.data = append(b.data, enc...)
	b.meta.merge(meta)
	b.acks = append(b.acks, ack)
	if ack != nil {
		w.m.pendingAcks.Inc()
	}
	var full *batch
	if b.meta.points >= w.opts.BatchSize || len(b.acks) >= w.opts.MaxPendingAcks || len(b.data) >= w.opts.MaxBatchBytes {
		full = w.cutLocked()
	}
	w.mu.Unlock()
	if full != nil {
		w.enqueue(full)
	}
}

// encode appends the lines of points to l; points that cannot be encoded
// are rejected.
func (w *Writer) encode(l *Lines, points []*write.Point) {
	var now time.Time
	for _, p := range points {
		if p != nil && p.Time().IsZero() && now.IsZero() {
			now = w.now()
		}
		if err := l.AppendPoint(p, now); err != nil {
			w.reject(nil, 0, err)
		}
	}
	w.m.received.Add(float64(len(points)))
}

// cutLocked takes the current batch out for writing; w.mu is held.
func (w *Writer) cutLocked() *batch {
	b := w.cur
	w.cur = nil
	b.seq = w.seq
	w.seq++
	w.adding.Add(1)
	return b
}

// enqueue hands a cut batch to the workers, blocking while the queue is full.
func (w *Writer) enqueue(b *batch) {
	defer w.adding.Done()
	select {
	case w.queue <- b:
	default:
		w.m.blocked.Inc()
		w.queue <- b
	}
}

// idleBurst is how many inputs a batch must have received within two
// FlushIdle for the idle rule to cut it: a burst, not a trickle.
const idleBurst = 10

// flusher cuts the current batch when FlushInterval has passed since its
// first point, or when it stopped growing after a burst. It looks every
// FlushIdle, and a look that finds the batch has not grown cuts it when
// the two looks before found idleBurst inputs or more added. A trickle of
// messages (a quiet area, a few per second) is left to FlushInterval, so
// that it does not become one small write, and one fsync in InfluxDB, per
// message.
func (w *Writer) flusher() {
	defer w.loops.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-w.bg.Done():
			return
		case <-w.kick:
		}
		w.mu.Lock()
		b := w.cur
		seen := 0
		if b != nil {
			seen = len(b.acks)
		}
		w.mu.Unlock()
		recent := [2]int{seen, 0} // inputs added before the last look and the one before
		for b != nil {
			timer.Reset(min(time.Until(b.deadline), w.opts.FlushIdle))
			select {
			case <-w.bg.Done():
				return
			case <-timer.C:
			}
			var full *batch
			w.mu.Lock()
			grew := len(b.acks) - seen
			switch {
			case w.cur != b || w.closed:
				b = nil // cut by size meanwhile; a new batch sent a kick
			case (grew == 0 && recent[0]+recent[1] >= idleBurst) || !time.Now().Before(b.deadline):
				full = w.cutLocked()
				b = nil
			default:
				seen += grew
				recent = [2]int{grew, recent[0]}
			}
			w.mu.Unlock()
			if full != nil {
				w.enqueue(full)
			}
		}
	}
}

// Run starts the writer, waits for ctx to end and closes it, allowing
// ShutdownTimeout for the final flush.
func (w *Writer) Run(ctx context.Context) error {
	if err := w.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	cctx, cancel := context.WithTimeout(context.Background(), w.opts.ShutdownTimeout)
	defer cancel()
	return w.Close(cctx)
}
