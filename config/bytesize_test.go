package config

import "testing"

func TestParseByteSize(t *testing.T) {
	good := map[string]ByteSize{
		"0": 0, "1048576": 1 << 20, "1GiB": 1 << 30, "1gib": 1 << 30, "500MB": 500e6,
		"64k": 64 << 10, "1.5KiB": 1536, " 2 MiB ": 2 << 20, "10B": 10,
	}
	for in, want := range good {
		got, err := ParseByteSize(in)
		if err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1", "-1GiB", "NaNGiB", "InfGiB", "1e30GiB", "9223372036854775808", "GiB", "1.5"} {
		if got, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestByteSizeString(t *testing.T) {
	for b, want := range map[ByteSize]string{0: "0", 1 << 30: "1GiB", 3 << 20: "3MiB", 1536: "1536", 1000: "1000", 5 << 40: "5TiB"} {
		if got := b.String(); got != want {
			t.Errorf("ByteSize(%d).String() = %q, want %q", int64(b), got, want)
		}
		if b == 0 {
			continue
		}
		back, err := ParseByteSize(b.String())
		if err != nil || back != b {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", b.String(), back, err, int64(b))
		}
	}
}
