package telemetry

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"
)

func nan() float64 { return math.NaN() }

func TestAppendLineEscaping(t *testing.T) {
	at := time.Unix(1, 5)
	for _, tc := range []struct {
		name string
		p    *write.Point
		want string
	}{
		{"names and tags",
			write.NewPoint("my meas,x=y", map[string]string{"k ey": "a,b=c d", "nl": "x\ny", "bs": `C:\dir\`, "empty": ""},
				map[string]any{"f=1": 1.5}, at),
			`my\ meas\,x=y,bs=C:/dir/,k\ ey=a\,b\=c\ d,nl=x\ y f\=1=1.5 1000000005`},
		{"string field",
			write.NewPoint("m", nil, map[string]any{"s": "say \"hi\"\\\nnext\r"}, at),
			`m s="say \"hi\"\\\nnext\r" 1000000005`},
		{"types",
			write.NewPoint("m", nil, map[string]any{"b": false, "f": 35.0, "i": 42, "u": uint64(7), "big": 1e22, "small": 1e-7, "neg": -0.25}, at),
			`m b=false,big=1e+22,f=35,i=42i,neg=-0.25,small=1e-07,u=7i 1000000005`},
		{"unusable fields left out",
			write.NewPoint("m", nil, map[string]any{"nan": nan(), "inf": math.Inf(1), "huge": uint64(math.MaxUint64), "ok": 1.0}, at),
			`m ok=1 1000000005`},
	} {
		got, ns, err := appendLine(nil, tc.p, time.Time{})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if string(got) != tc.want+"\n" || ns != at.UnixNano() {
			t.Errorf("%s:\ngot  %s want %s", tc.name, got, tc.want)
		}
		if strings.Count(string(got), "\n") != 1 {
			t.Errorf("%s: line contains a raw newline: %q", tc.name, got)
		}
	}
}

func TestAppendLineDefaultTimeAndErrors(t *testing.T) {
	def := time.Unix(2, 0)
	got, ns, err := appendLine([]byte("x\n"), write.NewPointWithMeasurement("m").AddField("v", 1.0), def)
	if err != nil || string(got) != "x\nm v=1 2000000000\n" || ns != def.UnixNano() {
		t.Errorf("default time: got %q, %d, %v", got, ns, err)
	}
	for name, p := range map[string]*write.Point{
		"no measurement": write.NewPointWithMeasurement("").AddField("v", 1.0),
		"no field":       write.NewPointWithMeasurement("m").AddTag("t", "x"),
		"only NaN":       write.NewPointWithMeasurement("m").AddField("v", nan()),
		"year 1500":      write.NewPointWithMeasurement("m").AddField("v", 1.0).SetTime(time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)),
	} {
		got, _, err := appendLine([]byte("x\n"), p, def)
		if err == nil || string(got) != "x\n" {
			t.Errorf("%s: got %q, %v; want the buffer unchanged and an error", name, got, err)
		}
	}
	if _, _, err := appendLine(nil, nil, def); err == nil {
		t.Error("nil point: no error")
	}
}

func TestSplitHalf(t *testing.T) {
	s := span{[]byte("a\nb\nc\nd\ne\n"), 5}
	a, b := splitHalf(s)
	if string(a.data) != "a\nb\n" || a.n != 2 || string(b.data) != "c\nd\ne\n" || b.n != 3 {
		t.Errorf("got %q/%d %q/%d", a.data, a.n, b.data, b.n)
	}
}

func benchPoints(n int) []*write.Point {
	points := make([]*write.Point, n)
	base := time.Date(2025, 11, 26, 11, 30, 0, 0, time.UTC)
	for i := range points {
		p := write.NewPointWithMeasurement("light").
			AddTag("area", "khu10").AddTag("device", "den-ngo3-01").AddTag("kind", "light").
			AddTag("protocol", "tasmota").AddTag("zone", "ngo-3").
			AddField("energy_kwh", 12.3+float64(i)).AddField("on", true).AddField("power_w", 35.2).
			AddField("rssi_dbm", -61.0).AddField("voltage_v", 229.0)
		points[i] = p.SetTime(base.Add(time.Duration(i) * time.Millisecond))
	}
	return points
}

// BenchmarkEncode compares the writer's encoder with the client library's
// write.PointToLineProtocol on typical light telemetry points.
func BenchmarkEncode(b *testing.B) {
	points := benchPoints(1000)
	b.Run("appendLine", func(b *testing.B) {
		var buf []byte
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			buf, _, _ = appendLine(buf[:0], points[i%len(points)], time.Time{})
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("PointToLineProtocol", func(b *testing.B) {
		var s string
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			s = write.PointToLineProtocol(points[i%len(points)], time.Nanosecond)
		}
		b.SetBytes(int64(len(s)))
	})
}

// FuzzAppendFloat checks appendFloat's integer fast path against the
// general formatting it replaces.
func FuzzAppendFloat(f *testing.F) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 230, 40, 1e14, 999999999999999, 1e15, 1e21, 0.5, -0.25, 1e-5, 123.456} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		want := strconv.AppendFloat(nil, v, 'f', -1, 64)
		if a := math.Abs(v); !(a == 0 || (a >= 1e-4 && a < 1e21)) {
			want = strconv.AppendFloat(nil, v, 'e', -1, 64)
		}
		if got := appendFloat(nil, v); string(got) != string(want) {
			t.Fatalf("appendFloat(%v) = %s, want %s", v, got, want)
		}
	})
}
