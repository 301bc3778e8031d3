package jsonfield

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/hamlet-vn/hamlet/devices"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]devices.Reason{
		"":          devices.ReasonEmpty,
		"  ":        devices.ReasonEmpty,
		"[1]":       devices.ReasonMalformed,
		`"x"`:       devices.ReasonMalformed,
		`{"a":1`:    devices.ReasonMalformed,
		`{"a":1}x`:  devices.ReasonMalformed,
		`{"a":1} `:  "",
		` {"a":[]}`: "",
	} {
		_, err := Parse([]byte(in))
		if (err == nil && want != "") || (err != nil && err.Reason != want) {
			t.Errorf("Parse(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestAccessors(t *testing.T) {
	o, err := Parse([]byte(`{"n":5,"s":"x","ns":"12.5","b":true,"o":{"k":"v","deep":{"x":1}},"a":[1,2],"bad":[1,"x"],"null":null,"big":1e999,"nan":"NaN","ss":["a",null]}`))
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, err := o.Number("n"); v != 5 || !ok || err != nil {
		t.Errorf("Number(n) = %v %v %v", v, ok, err)
	}
	if _, ok, err := o.Number("missing"); ok || err != nil {
		t.Errorf("Number(missing) = %v %v", ok, err)
	}
	if _, ok, err := o.Number("null"); ok || err != nil {
		t.Errorf("Number(null) = %v %v", ok, err)
	}
	if _, _, err := o.Number("ns"); err == nil || err.Detail != `"ns": want a number, got "12.5"` {
		t.Errorf("Number(ns) strict = %v", err)
	}
	lax := o
	lax.Lax = true
	if v, _, err := lax.Number("ns"); v != 12.5 || err != nil {
		t.Errorf("lax Number(ns) = %v %v", v, err)
	}
	if _, _, err := lax.Number("nan"); err == nil {
		t.Error("lax Number(NaN) accepted")
	}
	if _, _, err := o.Number("big"); err == nil {
		t.Error("1e999 accepted")
	}
	if _, _, err := o.NumberIn("n", 0, 4); err == nil || err.Detail != `"n": want a number 0-4, got 5` {
		t.Errorf("NumberIn = %v", err)
	}
	if s, ok, err := o.String("s"); s != "x" || !ok || err != nil {
		t.Errorf("String = %v %v %v", s, ok, err)
	}
	if _, _, err := o.String("n"); err == nil || err.Reason != devices.ReasonWrongType {
		t.Errorf("String(n) = %v", err)
	}
	if b, ok, err := o.Bool("b"); !b || !ok || err != nil {
		t.Errorf("Bool = %v %v %v", b, ok, err)
	}
	if _, _, err := o.Bool("s"); err == nil {
		t.Error("Bool(s) accepted")
	}
	inner, ok, err := o.Object("o")
	if !ok || err != nil {
		t.Fatalf("Object = %v %v", ok, err)
	}
	deep, _, _ := inner.Object("deep")
	if _, _, err := deep.String("x"); err == nil || !strings.HasPrefix(err.Detail, `"o.deep.x": want a string`) {
		t.Errorf("nested error = %v", err)
	}
	if _, _, err := o.Object("a"); err == nil {
		t.Error("Object(a) accepted an array")
	}
	if vs, ok, err := o.Numbers("a"); len(vs) != 2 || !ok || err != nil {
		t.Errorf("Numbers(a) = %v %v %v", vs, ok, err)
	}
	if vs, _, _ := o.Numbers("n"); len(vs) != 1 || vs[0] != 5 {
		t.Errorf("Numbers(n) = %v", vs)
	}
	if _, _, err := o.Numbers("bad"); err == nil || err.Detail != `"bad"[1]: want a number, got "x"` {
		t.Errorf("Numbers(bad) = %v", err)
	}
	if ss, ok, err := o.Strings("ss"); len(ss) != 2 || ss[1] != "" || !ok || err != nil {
		t.Errorf("Strings = %v %v %v", ss, ok, err)
	}
	if got := strings.Join(o.Keys(), ","); got != "a,b,bad,big,n,nan,ns,null,o,s,ss" {
		t.Errorf("Keys = %s", got)
	}
	if !o.Has("n") || o.Has("null") || o.Has("missing") {
		t.Error("Has")
	}
}

func TestGotTruncates(t *testing.T) {
	long := `"` + strings.Repeat("é", 100) + `"`
	if g := Got([]byte(long)); len([]rune(g)) != 41 {
		t.Errorf("Got = %q", g)
	}
}

// FuzzPlainString checks String's fast path against json.Unmarshal: when
// plainString takes a JSON string, it must read what encoding/json reads.
func FuzzPlainString(f *testing.F) {
	for _, s := range []string{`"x"`, `""`, `"é ü"`, `"a\"b"`, `"\u00e9"`, "\"\xff\"", `"2025-11-26T18:30:00"`, `"tab	"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := plainString(b)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("plainString(%q) = %q, but encoding/json refuses it: %v", b, got, err)
		}
		if got != want {
			t.Fatalf("plainString(%q) = %q, encoding/json reads %q", b, got, want)
		}
	})
}

// FuzzExactDecimal checks ParseNumber's fast path against strconv.ParseFloat.
func FuzzExactDecimal(f *testing.F) {
	for _, s := range []string{"0", "-0", "12.345", "0.001", "230", "0.95", "-61", "123456789012345", "1234567890123456",
		"0.000000000000000000001", "1e5", "00012.5", "1.", ".5", "-", "3.14159265358979"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := exactDecimal([]byte(s))
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("exactDecimal(%q) = %v (%x), strconv: %v (%x), %v", s, got, math.Float64bits(got), want, math.Float64bits(want), err)
		}
	})
}
