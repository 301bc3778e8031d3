package telemetry

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// errSpoolClosed is returned by a closed spool.
var errSpoolClosed = errors.New("spool is closed")

// spool keeps, on disk, the batches that could not be written to InfluxDB,
// until they are replayed. It is a log of segment files in one directory
// (see segment.go for the record format): appends go to the newest segment
// and are fsynced before append returns, so a batch is acknowledged only once
// it survives a crash; replay reads from the oldest segment, in append order,
// and a segment is deleted as a whole once replayed.
//
// Why a segment log and not the SQLite store: the spool is the write path's
// fallback while InfluxDB is down and must keep up with full ingest, so it
// should be append-only and sequential (one write and one fsync per batch,
// no B-tree, no WAL checkpoints, no vacuum to give space back), independent
// of the SQLite database that the rest of the daemon shares (its locks, its
// migrations, its failures), and trivially bounded: dropping the oldest data
// is deleting the oldest file.
//
// Recovery: open scans the segments; the newest is fully checked and a torn
// final record (a crash during an append, never acknowledged) is truncated.
// Older segments are checked record by record as they are replayed. The read
// position is not persisted: a segment partly replayed before a restart is
// replayed again from its start, which InfluxDB absorbs because a point with
// the same series and timestamp overwrites itself.
//
// Bound: before an append would take the spool past maxBytes, the oldest
// segment is deleted, its unreplayed points are counted as dropped and an
// ERROR names how many and their time range. One record larger than the whole
// bound is still kept.
type spool struct {
	dir      string
	maxBytes int64
	segBytes int64
	log      *slog.Logger
	m        *metrics

	mu         sync.Mutex
	segs       []*segment // oldest first
	active     *os.File   // the newest segment, open for appends; nil until the next append
	reader     *os.File   // the oldest segment, open for reads
	readerID   uint64
	head       int64 // read offset in segs[0]
	headPoints int   // points of segs[0] before head
	bytes      int64 // sum of the segments' sizes
	nextID     uint64
	closed     bool
}

// chunk is one or more consecutive records read from the oldest segment.
type chunk struct {
	seg        uint64
	start, end int64
	meta       recordMeta
	data       []byte // line protocol
}

// openSpool opens (creating if needed) the spool in dir and recovers it.
func openSpool(dir string, maxBytes, segBytes int64, log *slog.Logger, m *metrics) (*spool, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create spool directory: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read spool directory: %w", err)
	}
	var ids []uint64
	for _, e := range entries {
		if id, ok := parseSegmentName(e.Name()); ok && e.Type().IsRegular() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	s := &spool{dir: dir, maxBytes: maxBytes, segBytes: segBytes, log: log, m: m, nextID: 1}
	for i, id := range ids {
		path := s.path(id)
		last := i == len(ids)-1
		seg, fileSize, err := scanSegment(path, id, last)
		if err != nil && (seg == nil || !errors.Is(err, errCorrupt)) {
			return nil, fmt.Errorf("spool segment %s: %w", path, err)
		}
		if err != nil {
			attrs := []any{"segment", path, "kept_bytes", seg.size, "cut_bytes", fileSize - seg.size, "error", err}
			if last {
				s.log.Warn("spool: truncated an incomplete record at the end of the newest segment", attrs...)
			} else {
				s.log.Error("spool: segment damaged; its points from the damage on are lost", attrs...)
			}
			if err := os.Truncate(path, seg.size); err != nil {
				return nil, fmt.Errorf("truncate spool segment: %w", err)
			}
		}
		s.nextID = id + 1
		if seg.size == 0 {
			_ = os.Remove(path)
			continue
		}
		s.segs = append(s.segs, seg)
		s.bytes += seg.size
	}
	s.gauges()
	return s, nil
}

func (s *spool) path(id uint64) string { return filepath.Join(s.dir, segmentName(id)) }

func (s *spool) gauges() {
	s.m.spoolBytes.Set(float64(s.bytes))
	s.m.spoolSegs.Set(float64(len(s.segs)))
}

// empty reports whether every record has been replayed.
func (s *spool) empty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes-s.head <= 0
}

// append stores the lines of one batch with meta m and fsyncs them.
func (s *spool) append(lines []byte, m recordMeta) error {
	rec := appendRecord(make([]byte, 0, recHeaderLen+recMetaLen+len(lines)), m, lines)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errSpoolClosed
	}
	for len(s.segs) > 0 && s.bytes+int64(len(rec)) > s.maxBytes {
		s.dropHead()
	}
	if s.active == nil || s.segs[len(s.segs)-1].size+int64(len(rec)) > s.segBytes && s.segs[len(s.segs)-1].size > 0 {
		if err := s.rotate(); err != nil {
			return err
		}
	}
	seg := s.segs[len(s.segs)-1]
	if _, err := s.active.WriteAt(rec, seg.size); err != nil {
		s.failActive(seg)
		return fmt.Errorf("append to spool: %w", err)
	}
	if err := s.active.Sync(); err != nil {
		s.failActive(seg)
		return fmt.Errorf("fsync spool: %w", err)
	}
	seg.size += int64(len(rec))
	seg.meta.merge(m)
	s.bytes += int64(len(rec))
	s.gauges()
	return nil
}

// rotate closes the active segment and starts a new one.
func (s *spool) rotate() error {
	if s.active != nil {
		_ = s.active.Close()
		s.active = nil
	}
	id := s.nextID
	f, err := os.OpenFile(s.path(id), os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o640)
	if err != nil {
		return fmt.Errorf("create spool segment: %w", err)
	}
	if err := syncDir(s.dir); err != nil {
		_ = f.Close()
		_ = os.Remove(s.path(id))
		return err
	}
	s.nextID++
	s.active = f
	s.segs = append(s.segs, &segment{id: id})
	s.gauges()
	return nil
}

// failActive gives up the active segment after a failed append: the bytes
// past its valid records are cut (best effort) and the next append starts a
// new segment.
func (s *spool) failActive(seg *segment) {
	_ = s.active.Truncate(seg.size)
	_ = s.active.Close()
	s.active = nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open spool directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync spool directory: %w", err)
	}
	return nil
}

// isActive reports whether seg is the segment open for appends.
func (s *spool) isActive(seg *segment) bool {
	return s.active != nil && seg == s.segs[len(s.segs)-1]
}

// dropHead deletes the oldest segment to make room, counting and logging its
// unreplayed points.
func (s *spool) dropHead() {
	h := s.segs[0]
	if lost := h.meta.points - s.headPoints; lost > 0 {
		s.m.dropped.WithLabelValues(dropSpoolFull).Add(float64(lost))
		s.log.Error("spool full: dropped its oldest segment; these points are lost",
			"points", lost, "from", time.Unix(0, h.meta.minT).UTC(), "to", time.Unix(0, h.meta.maxT).UTC(),
			"bytes", h.size, "max_bytes", s.maxBytes, "segment", s.path(h.id))
	}
	if s.isActive(h) {
		_ = s.active.Close()
		s.active = nil
	}
	s.removeHead()
}

// removeHead deletes the oldest segment.
func (s *spool) removeHead() {
	h := s.segs[0]
	if s.reader != nil && s.readerID == h.id {
		_ = s.reader.Close()
		s.reader = nil
	}
	if err := os.Remove(s.path(h.id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.log.Warn("spool: cannot delete a replayed segment", "segment", s.path(h.id), "error", err)
	}
	s.segs = s.segs[1:]
	s.bytes -= h.size
	s.head, s.headPoints = 0, 0
	s.gauges()
}

// close closes the spool's files; it is safe to call twice.
func (s *spool) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	var errs []error
	if s.active != nil {
		errs = append(errs, s.active.Close())
		s.active = nil
	}
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
		s.reader = nil
	}
	return errors.Join(errs...)
}
