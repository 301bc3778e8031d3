package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/daemon"
	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/store"
	"github.com/hamlet-vn/hamlet/uptime"
)

// reportCommand is `hamletd report`: reports for commune staff.
func reportCommand(e *env, configPath *string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Báo cáo / reports",
		Args:  noArgs,
		RunE:  helpOnly,
	}
	cmd.AddCommand(reportUptimeCommand(e, configPath))
	return cmd
}

// reportFlags are the flags of `hamletd report uptime`.
type reportFlags struct {
	from, to, zone, kind, device, format, source, area, group string
}

func reportUptimeCommand(e *env, configPath *string) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "uptime --from DATE --to DATE [--zone Z] [--kind K] [--format table|csv|json] [--source local|influx] [--area A|all]",
		Short: "Báo cáo hoạt động thiết bị / device uptime report",
		Long: "Báo cáo hoạt động thiết bị / device uptime report: per device the time up, down, unknown (hamletd or\n" +
			"its broker link was down) and in maintenance; uptime = up / (up + down); outages, MTTR, MTBF; totals per\n" +
			"zone, kind and area; the SLO per kind (config uptime.slo). --from and --to are RFC 3339 times or dates\n" +
			"(YYYY-MM-DD, in the area's timezone; --to includes its day). --source influx reads InfluxDB (influx.url)\n" +
			"and reports on every area (--area all, the default there) or one.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return reportUptime(cmd, e, *configPath, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "start: RFC 3339 time or YYYY-MM-DD (default 7 days before --to)")
	fl.StringVar(&f.to, "to", "", "end: RFC 3339 time or YYYY-MM-DD, that day included (default now)")
	fl.StringVar(&f.zone, "zone", "", "only this zone")
	fl.StringVar(&f.kind, "kind", "", "only this kind: light, camera or speaker")
	fl.StringVar(&f.device, "device", "", "only this device")
	fl.StringVar(&f.format, "format", "table", "table, csv or json")
	fl.StringVar(&f.source, "source", uptime.SourceLocal, "local (this box's store) or influx (InfluxDB, across areas)")
	fl.StringVar(&f.area, "area", "", "influx: one area id, or all (default all); local: this area only")
	fl.StringVar(&f.group, "group", "", "day: add a daily breakdown")
	return cmd
}

func reportUptime(cmd *cobra.Command, e *env, configPath string, f reportFlags) error {
	ctx := cmd.Context()
	if !slices.Contains([]string{"table", "csv", "json"}, f.format) {
		return fmt.Errorf("--format: phải là table, csv hoặc json / must be table, csv or json, not %q", f.format)
	}
	if f.group != "" && f.group != "day" {
		return fmt.Errorf("--group: chỉ hỗ trợ day / must be day, not %q", f.group)
	}
	cfg, err := loadConfig(e, configPath)
	if err != nil {
		return fmt.Errorf("cấu hình không hợp lệ / invalid config:\n%w", err)
	}
	loc := cfg.Location()
	q := uptime.Query{Zone: f.zone, Device: f.device, Source: f.source, Area: f.area, Daily: f.group == "day"}
	if q.Area == "all" {
		q.Area = ""
		if f.source != uptime.SourceInflux {
			return errors.New("--area all: cần --source influx / needs --source influx (this box's store holds its own area only)")
		}
	}
	q.To = time.Now().Truncate(time.Second).Add(time.Second)
	if f.to != "" {
		if q.To, err = uptime.ParseTime("--to", f.to, loc, true); err != nil {
			return err
		}
	}
	q.From = q.To.AddDate(0, 0, -7)
	if f.from != "" {
		if q.From, err = uptime.ParseTime("--from", f.from, loc, false); err != nil {
			return err
		}
	}
	if f.kind != "" {
		if q.Kind, err = devices.ParseKind(f.kind); err != nil {
			return fmt.Errorf("--kind: %w", err)
		}
	}
	if err := q.Check(); err != nil {
		var fe *devices.FieldError
		if errors.As(err, &fe) {
			return fmt.Errorf("--%s: %s", fe.Field, fe.Message)
		}
		return err
	}
	if f.zone != "" && f.source != uptime.SourceInflux && !slices.Contains(zoneIDs(cfg), f.zone) {
		return fmt.Errorf("--zone: không có khu vực %q / unknown zone %q (zones: %v)", f.zone, f.zone, zoneIDs(cfg))
	}
	opts := daemon.UptimeOptions(cfg, nil, nil)
	if f.source != uptime.SourceInflux {
		db, err := store.Open(ctx, cfg.Storage.Dir, nil)
		if err != nil {
			return err
		}
		defer db.Close()
		list, err := daemon.StoredDevices(ctx, cfg, db)
		if err != nil {
			return err
		}
		opts.Store, opts.Devices = db, func() []uptime.Device { return list }
	}
	rep, err := uptime.New(opts).Uptime(ctx, q)
	if err != nil {
		var fe *devices.FieldError
		if errors.As(err, &fe) {
			return fmt.Errorf("--%s: %s", fe.Field, fe.Message)
		}
		return err
	}
	switch f.format {
	case "csv":
		return uptime.WriteCSV(e.stdout, rep)
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return uptime.WriteTable(e.stdout, rep)
}
