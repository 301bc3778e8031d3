package telemetry

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"strings"
)

// A spool segment is a file named <20-digit id>.seg holding records, one per
// batch, each:
//
//	offset  size  content (little endian)
//	0       4     payload length n (at least 20)
//	4       4     CRC-32C (Castagnoli) of the payload
//	8       4     number of points
//	12      8     earliest point time, Unix nanoseconds
//	20      8     latest point time, Unix nanoseconds
//	28      n-20  line protocol, one point per line, each line ending in '\n'
const (
	recHeaderLen = 8
	recMetaLen   = 20
	maxRecordLen = 256 << 20
	segSuffix    = ".seg"
)

// errCorrupt marks a record that is torn or fails its checksum.
var errCorrupt = errors.New("corrupt spool record")

// recordMeta describes a record's points.
type recordMeta struct {
	points     int
	minT, maxT int64
}

// merge widens m to include o.
func (m *recordMeta) merge(o recordMeta) {
	if m.points == 0 {
		*m = o
		return
	}
	m.points += o.points
	m.minT = min(m.minT, o.minT)
	m.maxT = max(m.maxT, o.maxT)
}

// segment is one segment file's state.
type segment struct {
	id   uint64
	size int64 // bytes of whole, valid records
	meta recordMeta
}

func segmentName(id uint64) string { return fmt.Sprintf("%020d%s", id, segSuffix) }

func parseSegmentName(name string) (uint64, bool) {
	digits, ok := strings.CutSuffix(name, segSuffix)
	if !ok || len(digits) != 20 {
		return 0, false
	}
	id, err := strconv.ParseUint(digits, 10, 64)
	return id, err == nil
}

func checksum(b []byte) uint32 { return crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)) }

// appendRecord appends the record of lines with meta m to dst.
func appendRecord(dst []byte, m recordMeta, lines []byte) []byte {
	n := recMetaLen + len(lines)
	start := len(dst)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(n))
	dst = binary.LittleEndian.AppendUint32(dst, 0)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(m.points))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(m.minT))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(m.maxT))
	dst = append(dst, lines...)
	binary.LittleEndian.PutUint32(dst[start+4:], checksum(dst[start+recHeaderLen:]))
	return dst
}

// readHeader reads the header and meta of the record at off; end is where
// the segment's records end. It returns the payload length.
func readHeader(f io.ReaderAt, off, end int64) (n int64, crc uint32, m recordMeta, err error) {
	var h [recHeaderLen + recMetaLen]byte
	if end-off < int64(len(h)) {
		return 0, 0, m, fmt.Errorf("%w at offset %d: %d bytes left, a header needs %d", errCorrupt, off, end-off, len(h))
	}
	if _, err := f.ReadAt(h[:], off); err != nil {
		return 0, 0, m, fmt.Errorf("read spool record header at offset %d: %w", off, err)
	}
	n = int64(binary.LittleEndian.Uint32(h[0:]))
	if n < recMetaLen || n > maxRecordLen || off+recHeaderLen+n > end {
		return 0, 0, m, fmt.Errorf("%w at offset %d: payload length %d does not fit", errCorrupt, off, n)
	}
	crc = binary.LittleEndian.Uint32(h[4:])
	m.points = int(binary.LittleEndian.Uint32(h[8:]))
	m.minT = int64(binary.LittleEndian.Uint64(h[12:]))
	m.maxT = int64(binary.LittleEndian.Uint64(h[20:]))
	return n, crc, m, nil
}

// readRecord reads and checks the record at off, appending its lines to dst.
func readRecord(f io.ReaderAt, off, end int64, dst []byte) ([]byte, recordMeta, int64, error) {
	n, crc, m, err := readHeader(f, off, end)
	if err != nil {
		return dst, m, off, err
	}
	start := len(dst)
	dst = append(dst, make([]byte, n)...)
	if _, err := f.ReadAt(dst[start:], off+recHeaderLen); err != nil {
		return dst[:start], m, off, fmt.Errorf("read spool record at offset %d: %w", off, err)
	}
	if checksum(dst[start:]) != crc {
		return dst[:start], m, off, fmt.Errorf("%w at offset %d: checksum mismatch", errCorrupt, off)
	}
	copy(dst[start:], dst[start+recMetaLen:])
	return dst[:len(dst)-recMetaLen], m, off + recHeaderLen + n, nil
}

// scanSegment reads the records of segment id in dir. With verify it reads
// every payload and checks its checksum (for the newest segment, where a
// crash may have torn the last append); otherwise it reads only headers and
// checksums are checked when records are replayed. It stops at the first
// torn or damaged record and returns the segment up to there, the file's
// size, and the error that stopped it (nil when the whole file is valid).
func scanSegment(path string, id uint64, verify bool) (*segment, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("open spool segment: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("stat spool segment: %w", err)
	}
	seg := &segment{id: id}
	end := st.Size()
	var buf []byte
	for seg.size < end {
		var m recordMeta
		var next int64
		if verify {
			buf, m, next, err = readRecord(f, seg.size, end, buf[:0])
		} else {
			var n int64
			n, _, m, err = readHeader(f, seg.size, end)
			next = seg.size + recHeaderLen + n
		}
		if err != nil {
			return seg, end, err
		}
		seg.meta.merge(m)
		seg.size = next
	}
	return seg, end, nil
}
