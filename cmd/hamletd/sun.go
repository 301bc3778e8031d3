package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/schedule"
	"github.com/hamlet-vn/hamlet/store"
)

// maxSunDays bounds --days.
const maxSunDays = 3660

// sunCommand is `hamletd sun`: the area's sun times per day, then the light
// programmes' steps of that day.
func sunCommand(e *env, configPath *string) *cobra.Command {
	var (
		dateFlag string
		days     int
		lat, lon float64
	)
	cmd := &cobra.Command{
		Use:   "sun [--date YYYY-MM-DD] [--days N] [--lat L --lon L]",
		Short: "Giờ mặt trời và các bước lịch đèn / sun times and the light programmes' steps, per day",
		Long: "Giờ mặt trời và các bước lịch đèn / one line per day in the area's timezone:\n" +
			"  YYYY-MM-DD civil_dawn HH:MM:SS sunrise HH:MM:SS sunset HH:MM:SS civil_dusk HH:MM:SS\n" +
			"then, for each enabled light schedule in the store at storage.dir, that day's steps with their times.\n" +
			"--lat and --lon (degrees, north and east positive) replace area.latitude and area.longitude.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(e, *configPath)
			if err != nil {
				return fmt.Errorf("cấu hình không hợp lệ / invalid config:\n%w", err)
			}
			pl := schedule.Place{Lat: cfg.Area.Latitude, Lon: cfg.Area.Longitude, Loc: cfg.Location()}
			if cmd.Flags().Changed("lat") {
				pl.Lat = lat
			}
			if cmd.Flags().Changed("lon") {
				pl.Lon = lon
			}
			if pl.Lat < -90 || pl.Lat > 90 {
				return fmt.Errorf("--lat: vĩ độ phải từ -90 đến 90 / latitude must be -90 to 90, got %v", pl.Lat)
			}
			if pl.Lon < -180 || pl.Lon > 180 {
				return fmt.Errorf("--lon: kinh độ phải từ -180 đến 180 / longitude must be -180 to 180, got %v", pl.Lon)
			}
			if days < 1 || days > maxSunDays {
				return fmt.Errorf("--days: phải từ 1 đến %d / must be 1 to %d, got %d", maxSunDays, maxSunDays, days)
			}
			start := time.Now().In(pl.Loc)
			if dateFlag != "" {
				if start, err = time.ParseInLocation(time.DateOnly, dateFlag, pl.Loc); err != nil {
					return fmt.Errorf("--date: cần dạng YYYY-MM-DD / expected YYYY-MM-DD, got %q", dateFlag)
				}
			}
			progs, err := lightProgrammes(cmd, e, cfg, pl)
			if err != nil {
				return err
			}
			y, m, d := start.Date()
			for i := range days {
				printSunDay(e.stdout, time.Date(y, m, d+i, 0, 0, 0, 0, pl.Loc), pl, progs)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dateFlag, "date", "", "first day, YYYY-MM-DD (default today in the area's timezone)")
	cmd.Flags().IntVar(&days, "days", 1, "number of days")
	cmd.Flags().Float64Var(&lat, "lat", 0, "latitude in degrees, north positive (default area.latitude)")
	cmd.Flags().Float64Var(&lon, "lon", 0, "longitude in degrees, east positive (default area.longitude)")
	return cmd
}

// namedProgramme is a light schedule's programme, for printing.
type namedProgramme struct {
	id, name string
	prog     schedule.Programme
}

// printSunDay writes one day: the sun line, then each programme's steps.
func printSunDay(w io.Writer, date time.Time, pl schedule.Place, progs []namedProgramme) {
	st, _ := schedule.Sun(date, pl)
	clock := func(t time.Time) string {
		if t.IsZero() {
			return "--:--:--"
		}
		return t.Format("15:04:05")
	}
	fmt.Fprintf(w, "%s civil_dawn %s sunrise %s sunset %s civil_dusk %s\n", date.Format(time.DateOnly),
		clock(st.CivilDawn), clock(st.Sunrise), clock(st.Sunset), clock(st.CivilDusk))
	for _, p := range progs {
		run, err := p.prog.StepsOn(date, pl)
		var parts []string
		for _, ts := range run {
			when := clock(ts.Time)
			if !sameDay(ts.Time, date) {
				when += "+1"
			}
			s := ts.Step.Setting()
			what := "tắt/off"
			if s.On {
				what = fmt.Sprintf("bật/on %d%%", s.Brightness)
			}
			parts = append(parts, fmt.Sprintf("%s %s (%s)", when, what, ts.Step.At))
		}
		line := strings.Join(parts, "; ")
		switch {
		case len(run) == 0 && err == nil:
			line = "không chạy hôm nay / no run this day"
		case errors.Is(err, schedule.ErrNoEvent):
			line += "; thiếu bước vì không có sự kiện mặt trời / steps left out: no such sun event"
		}
		fmt.Fprintf(w, "  lịch/schedule %s %q: %s\n", p.id, p.name, line)
	}
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// lightProgrammes returns the enabled light schedules of the store at
// storage.dir, or none when there is no database there yet.
func lightProgrammes(cmd *cobra.Command, e *env, cfg config.Config, pl schedule.Place) ([]namedProgramme, error) {
	if _, err := os.Stat(filepath.Join(cfg.Storage.Dir, store.FileName)); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	db, err := store.Open(cmd.Context(), cfg.Storage.Dir, nil)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ls, err := schedule.NewService(schedule.Options{DB: db, Place: pl}).Lights(cmd.Context())
	if err != nil {
		return nil, err
	}
	out := make([]namedProgramme, 0, len(ls))
	for _, l := range ls {
		out = append(out, namedProgramme{id: l.ID, name: l.Name, prog: l.Programme})
	}
	return out, nil
}
