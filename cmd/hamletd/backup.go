package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/store"
)

// backupCommand is `hamletd backup FILE`: an online copy of the database
// (users, devices, transitions, schedules, alerts...) while the daemon runs.
func backupCommand(e *env, configPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Sao lưu cơ sở dữ liệu khi đang chạy / back up the database while hamletd runs",
		Long: "Ghi một bản sao đầy đủ của cơ sở dữ liệu vào FILE (chưa tồn tại). Khôi phục: dừng hamletd, chép FILE thành " +
			"<storage.dir>/hamlet.db.\nWrites a complete copy of the database to FILE (which must not exist). To restore, " +
			"stop hamletd and copy FILE to <storage.dir>/hamlet.db.",
		Args: exactArg("FILE", "tên tệp sao lưu"),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(e, *configPath)
			if err != nil {
				return fmt.Errorf("cấu hình không hợp lệ / invalid config:\n%w", err)
			}
			db, err := store.Open(cmd.Context(), cfg.Storage.Dir, nil)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "Đã sao lưu vào %s / backed up to %s\n", args[0], args[0])
			return nil
		},
	}
}
