package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// checkConfigCommand is `hamletd check-config`: validate and print the
// effective config with secrets redacted; exit 1 listing every problem.
func checkConfigCommand(e *env, configPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "check-config",
		Short: "Kiểm tra cấu hình / validate the config and print the effective config",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(e, *configPath)
			if err != nil {
				return fmt.Errorf("cấu hình không hợp lệ / invalid config:\n%w", err)
			}
			out, err := cfg.Redacted().YAML()
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "# Cấu hình hợp lệ / config OK\n%s", out)
			return nil
		},
	}
}
