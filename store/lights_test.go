package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// desiredStates returns n lights' desired states, set at at; every third
// has no brightness and every fifth an override with an end.
func desiredStates(n int, on bool, at time.Time) []LightDesired {
	ds := make([]LightDesired, n)
	for i := range ds {
		ds[i] = LightDesired{Device: fmt.Sprintf("den-%04d", i), On: on, By: "ban", At: at}
		if i%3 != 0 {
			b := i % 101
			ds[i].Brightness = &b
		}
		if i%5 == 0 {
			ds[i].Override, ds[i].Until = true, at.Add(2*time.Hour)
		}
	}
	return ds
}

func TestSaveLightDesiredInsertsThenReplaces(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	// More rows than one statement takes, so that the last chunk is short.
	n := 2*desiredChunk + 7
	if err := db.SaveLightDesired(ctx, desiredStates(n, true, at)); err != nil {
		t.Fatal(err)
	}
	later := desiredStates(n/2, false, at.Add(time.Hour))
	if err := db.SaveLightDesired(ctx, later); err != nil {
		t.Fatal(err)
	}
	got, err := db.LightDesiredAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := append(later, desiredStates(n, true, at)[n/2:]...)
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.Device != w.Device || g.On != w.On || g.Override != w.Override || g.By != w.By ||
			!g.Until.Equal(w.Until) || !g.At.Equal(w.At) || (g.Brightness == nil) != (w.Brightness == nil) ||
			(g.Brightness != nil && *g.Brightness != *w.Brightness) {
			t.Fatalf("row %d = %+v, want %+v", i, g, w)
		}
	}
	if err := db.SaveLightDesired(ctx, nil); err != nil {
		t.Errorf("saving nothing: %v", err)
	}
}

// A light named twice in one save, in one statement or across two, ends
// with the later state.
func TestSaveLightDesiredLaterRowWins(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	ds := desiredStates(desiredChunk+3, true, at)
	ds = append(ds, LightDesired{Device: ds[1].Device, On: false, By: "sau", At: at.Add(time.Minute)}, // a later statement than ds[1]'s
		LightDesired{Device: ds[desiredChunk+1].Device, On: false, By: "sau", At: at}) // the same statement as ds[desiredChunk+1]
	if err := db.SaveLightDesired(ctx, ds); err != nil {
		t.Fatal(err)
	}
	got, err := db.LightDesiredAll(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != desiredChunk+3 {
		t.Fatalf("%d rows, want %d", len(got), desiredChunk+3)
	}
	for _, i := range []int{1, desiredChunk + 1} {
		if g := got[i]; g.On || g.By != "sau" || g.Brightness != nil || g.Override {
			t.Errorf("row %d = %+v, want the later state", i, g)
		}
	}
}

// BenchmarkSaveLightDesired saves "all lights on" for 1,000 lights, which
// hamletd does while the lamps answer.
func BenchmarkSaveLightDesired(b *testing.B) {
	db, err := Open(context.Background(), b.TempDir(), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC)
	on, off := desiredStates(1000, true, at), desiredStates(1000, false, at)
	i := 0
	for b.Loop() {
		ds := on
		if i++; i%2 == 0 {
			ds = off
		}
		if err := db.SaveLightDesired(context.Background(), ds); err != nil {
			b.Fatal(err)
		}
	}
}
