package telemetry

import (
	"math"
	"strconv"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// Lines is line protocol built for one Writer.AddLines: whole lines, each
// ending in '\n', exactly as the Writer encodes points itself. It lets the
// ingest path encode a report straight from the domain values, without
// building a *write.Point per report. The zero value is empty and ready to
// use; Reset empties it and keeps its memory, so a Lines can be pooled.
type Lines struct {
	buf       []byte
	meta      recordMeta
	rewritten int // names, keys and tag values rewritten by the encoder
}

// Reset empties l.
func (l *Lines) Reset() {
	l.buf = l.buf[:0]
	l.meta = recordMeta{}
	l.rewritten = 0
}

// Rewritten returns how many measurement names, tag keys, tag values and
// field keys in l had a backslash (written as '/') or a control character
// (written as a space): see docs/influx-schema.md, "Line protocol".
func (l *Lines) Rewritten() int { return l.rewritten }

// Points returns the number of lines (points) in l.
func (l *Lines) Points() int { return l.meta.points }

// Bytes returns the line protocol. It aliases l's buffer until the next
// change to l.
func (l *Lines) Bytes() []byte { return l.buf }

// AppendPoint appends p, with def as its time when it has none. A point that
// cannot be encoded (no measurement, no field line protocol can carry, a
// time out of range) is not appended and the error says why.
func (l *Lines) AppendPoint(p *write.Point, def time.Time) error {
	buf, ns, err := appendLineCounting(l.buf, p, def, &l.rewritten)
	if err != nil {
		return err
	}
	l.buf = buf
	l.add(ns)
	return nil
}

func (l *Lines) add(ns int64) {
	l.meta.merge(recordMeta{points: 1, minT: ns, maxT: ns})
}

// AppendReport appends the points of ReportPoints(area, d, r, received,
// loc), byte for byte as the Writer would encode them. It returns where the
// report's timestamp came from (see ReportTime) and how many device
// timestamps, the events' included, were implausible and replaced. The
// telemetry point is encoded directly from r; event points, which are rare,
// go through ReportPoints' own code.
func (l *Lines) AppendReport(area string, d devices.Device, r devices.Report, received time.Time, loc *time.Location) (src TimeSource, implausible int) {
	ts, src := ReportTime(r, received, loc)
	if src == TimeImplausible {
		implausible = 1
	}
	if len(r.Events) > 0 {
		points, n := reportPoints(area, d, r, received, loc)
		for _, p := range points {
			_ = l.AppendPoint(p, received) // every report point has a time and a field
		}
		return src, n
	}
	if ts.Before(minLineTime) || ts.After(maxLineTime) {
		return src, implausible // cannot happen: ts is received or within days of it
	}
	kind := d.Kind
	if kind == "" {
		kind = r.Kind
	}
	if d.Protocol == "" {
		d.Protocol = r.Protocol
	}
	if d.ID == "" {
		d.ID = r.Key
	}
	var storage [24]stateField
	fields := stateFields(storage[:0], r)
	if len(fields) == 0 {
		return src, implausible
	}
	buf := appendName(l.buf, Measurement(kind), false, &l.rewritten)
	buf = appendTag(buf, TagArea, area, &l.rewritten)
	buf = appendTag(buf, TagDevice, d.ID, &l.rewritten)
	buf = appendTag(buf, TagKind, string(kind), &l.rewritten)
	buf = appendTag(buf, TagProtocol, string(d.Protocol), &l.rewritten)
	buf = appendTag(buf, TagZone, d.Zone, &l.rewritten)
	for i, f := range fields {
		if i == 0 {
			buf = append(buf, ' ')
		} else {
			buf = append(buf, ',')
		}
		buf = appendName(buf, f.key, true, &l.rewritten)
		buf = append(buf, '=')
		switch f.kind {
		case fieldFloat:
			buf = appendFloat(buf, f.f)
		case fieldBool:
			buf = strconv.AppendBool(buf, f.b)
		default:
			buf, _ = appendValue(buf, f.s)
		}
	}
	ns := ts.UnixNano()
	buf = append(buf, ' ')
	buf = strconv.AppendInt(buf, ns, 10)
	l.buf = append(buf, '\n')
	l.add(ns)
	return src, implausible
}

// appendTag appends ",key=value" unless value is empty. Tag keys in the
// schema need no escaping; values are escaped.
func appendTag(buf []byte, key, value string, rewritten *int) []byte {
	if value == "" {
		return buf
	}
	buf = append(buf, ',')
	buf = append(buf, key...)
	buf = append(buf, '=')
	return appendName(buf, value, true, rewritten)
}

// Kinds of stateField.
const (
	fieldFloat = iota
	fieldBool
	fieldString
)

// stateField is one field of a report's telemetry point.
type stateField struct {
	key  string
	kind int
	f    float64
	b    bool
	s    string
	from string // the metric's own name, for metrics; "" for state fields
}

// stateFields returns the fields of statePoint(r) sorted by key, appended to
// fields: the same keys and values, with the same rule for duplicate keys
// (write.Point.AddField replaces: metrics are added in the order of their
// names, then the state fields).
func stateFields(fields []stateField, r devices.Report) []stateField {
	for k, v := range r.Metrics {
		if k == "" || math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		key := k
		if reserved(k) {
			key = k + "_value"
		}
		fields = putField(fields, stateField{key: key, f: v, from: k})
	}
	if s := r.Light; s != nil {
		fields = putBool(fields, FieldOn, s.On)
		fields = putPct(fields, FieldBrightness, s.Brightness)
	}
	if s := r.Speaker; s != nil {
		if s.Playing != nil {
			fields = putField(fields, stateField{key: FieldPlaying, kind: fieldBool, b: *s.Playing != ""})
			fields = putField(fields, stateField{key: FieldAnnouncement, kind: fieldString, s: *s.Playing})
		}
		fields = putPct(fields, FieldVolume, s.Volume)
	}
	if s := r.Camera; s != nil {
		fields = putBool(fields, FieldRecording, s.Recording)
		fields = putBool(fields, FieldDetecting, s.Detecting)
		fields = putBool(fields, FieldStreaming, s.Streaming)
		fields = putBool(fields, FieldMotion, s.Motion)
	}
	for i := 1; i < len(fields); i++ { // insertion sort: a handful of fields
		for j := i; j > 0 && fields[j].key < fields[j-1].key; j-- {
			fields[j], fields[j-1] = fields[j-1], fields[j]
		}
	}
	return fields
}

// putField adds f, or replaces the field with its key: a state field always
// replaces, a metric replaces a metric whose own name sorts before its own.
func putField(fields []stateField, f stateField) []stateField {
	for i := range fields {
		if fields[i].key != f.key {
			continue
		}
		if f.from == "" || (fields[i].from != "" && fields[i].from < f.from) {
			fields[i] = f
		}
		return fields
	}
	return append(fields, f)
}

func putBool(fields []stateField, key string, v *bool) []stateField {
	if v == nil {
		return fields
	}
	return putField(fields, stateField{key: key, kind: fieldBool, b: *v})
}

func putPct(fields []stateField, key string, v *int) []stateField {
	if v == nil {
		return fields
	}
	return putField(fields, stateField{key: key, f: float64(*v)})
}
