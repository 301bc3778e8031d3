package main

import (
	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/daemon"
)

// runCommand is `hamletd run`: the daemon itself.
func runCommand(e *env, configPath *string) *cobra.Command {
	var debugListen string
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Chạy trạm / run the daemon (the default)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(e, *configPath)
			if err != nil {
				return err
			}
			logger := daemon.NewLogger(cfg.Log, e.stderr)
			logger.Info("hamletd starting", "version", version, "area", cfg.Area.ID, "config", configSource(*configPath))
			daemon.TuneRuntime(e.getenv, logger)
			if _, err := startDebugListener(cmd.Context(), debugListen, logger); err != nil {
				logger.Error("hamletd not started", "err", err)
				return err
			}
			d := daemon.New(cfg, daemon.Options{Logger: logger, Version: version})
			stopReloads := reloadOnHangup(cmd.Context(), e, *configPath, d, logger)
			defer stopReloads()
			if err := d.Run(cmd.Context()); err != nil {
				logger.Error("hamletd stopped with an error", "err", err)
				return err
			}
			logger.Info("hamletd stopped")
			return nil
		},
	}
	cmd.Flags().StringVar(&debugListen, "debug-listen", "",
		"serve Go's runtime profiles (/debug/pprof/) on this loopback host:port, e.g. 127.0.0.1:6060 (default off)")
	return cmd
}

func configSource(path string) string {
	if path == "" {
		return "default path or built-in defaults"
	}
	return path
}
