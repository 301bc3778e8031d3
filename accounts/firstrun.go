package accounts

import (
	"context"
	"log/slog"

	"github.com/hamlet-vn/hamlet/store"
)

// LogFirstRun checks whether any user exists and, when none does, logs how
// to create the first admin, in Vietnamese then English. The daemon calls it
// at start; it reports whether users exist.
func LogFirstRun(ctx context.Context, db *store.DB, logger *slog.Logger) (bool, error) {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return false, err
	}
	if n > 0 {
		return true, nil
	}
	logger.Warn("Chưa có tài khoản nào. Tạo tài khoản quản trị bằng lệnh: hamletd user add TÊN --role admin"+
		" / no users yet. Create an admin with: hamletd user add NAME --role admin",
		"command", "hamletd user add NAME --role admin [--config FILE]",
		"password", "đọc từ stdin hoặc hỏi khi chạy / read from stdin, or prompted")
	return false, nil
}
