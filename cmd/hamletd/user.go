package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/store"
)

// userCommand is `hamletd user`: add users, change passwords, list users,
// in the store of the config's storage.dir.
func userCommand(e *env, configPath *string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Quản lý tài khoản / manage user accounts",
		Args:  noArgs,
		RunE:  helpOnly,
	}
	cmd.AddCommand(userAddCommand(e, configPath), userPasswdCommand(e, configPath), userListCommand(e, configPath))
	return cmd
}

func userAddCommand(e *env, configPath *string) *cobra.Command {
	var role string
	var zones []string
	cmd := &cobra.Command{
		Use:   "add NAME --role admin|operator|viewer [--zones a,b]",
		Short: "Thêm tài khoản / add a user (password from stdin, or prompted)",
		Long: "Thêm tài khoản / add a user. The password is the first line of stdin when stdin is not a terminal,\n" +
			"else it is prompted for (twice, without echo). It never goes on the command line.",
		Args: exactArg("NAME", "tên tài khoản"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := strings.ToLower(args[0])
			if err := accounts.ValidateUserName(name); err != nil {
				return err
			}
			if role == "" {
				return errors.New("cần --role / --role is required: admin, operator or viewer")
			}
			if _, err := accounts.ParseRole(role); err != nil {
				return fmt.Errorf("--role: %w", err)
			}
			cfg, db, err := openUserStore(cmd.Context(), e, *configPath)
			if err != nil {
				return err
			}
			defer db.Close()
			password, err := readPassword(e, true)
			if err != nil {
				return err
			}
			u, err := accounts.CreateUser(cmd.Context(), db, accounts.NewUser{Name: name, Role: role, Zones: zones, Password: password},
				zoneIDs(cfg), accounts.DefaultPasswordParams())
			if errors.Is(err, store.ErrExists) {
				return fmt.Errorf("tài khoản %q đã có / user %q already exists (change its password with: hamletd user passwd %s)", name, name, name)
			}
			if err != nil {
				return err
			}
			auditCLI(cmd.Context(), db, "user.create", u.Name, map[string]any{"name": u.Name, "role": u.Role, "zones": u.Zones})
			fmt.Fprintf(e.stdout, "Đã tạo tài khoản %s (%s) / created user %s (%s)\n", u.Name, u.Role, u.Name, u.Role)
			return nil
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "admin, operator or viewer")
	cmd.Flags().StringSliceVar(&zones, "zones", nil, "operator only: the zones (ids from the config) the user may act on; default every zone")
	return cmd
}

func userPasswdCommand(e *env, configPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "passwd NAME",
		Short: "Đổi mật khẩu / set a user's password (from stdin, or prompted); ends the user's sessions",
		Args:  exactArg("NAME", "tên tài khoản"),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := strings.ToLower(args[0])
			_, db, err := openUserStore(cmd.Context(), e, *configPath)
			if err != nil {
				return err
			}
			defer db.Close()
			if _, err := db.UserByName(cmd.Context(), name); errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("không có tài khoản %q / no user %q (see: hamletd user list)", name, name)
			} else if err != nil {
				return err
			}
			password, err := readPassword(e, true)
			if err != nil {
				return err
			}
			if err := accounts.SetUserPassword(cmd.Context(), db, name, password, accounts.DefaultPasswordParams()); err != nil {
				return err
			}
			auditCLI(cmd.Context(), db, "user.password", name, nil)
			fmt.Fprintf(e.stdout, "Đã đổi mật khẩu của %s / password of %s changed; their sessions ended\n", name, name)
			return nil
		},
	}
}

func userListCommand(e *env, configPath *string) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "Liệt kê tài khoản / list users",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, db, err := openUserStore(cmd.Context(), e, *configPath)
			if err != nil {
				return err
			}
			defer db.Close()
			users, err := db.Users(cmd.Context())
			if err != nil {
				return err
			}
			if len(users) == 0 {
				fmt.Fprintln(e.stdout, "Chưa có tài khoản / no users yet: hamletd user add NAME --role admin")
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tZONES\tSTATUS")
			for _, u := range users {
				zones, status := strings.Join(u.Zones, ","), "active"
				if zones == "" {
					zones = "*"
				}
				if u.Disabled {
					status = "disabled"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role, zones, status)
			}
			return tw.Flush()
		},
	}
}

// openUserStore loads the config and opens the store in its storage.dir.
func openUserStore(ctx context.Context, e *env, path string) (config.Config, *store.DB, error) {
	cfg, err := loadConfig(e, path)
	if err != nil {
		return config.Config{}, nil, fmt.Errorf("cấu hình không hợp lệ / invalid config:\n%w", err)
	}
	db, err := store.Open(ctx, cfg.Storage.Dir, nil)
	if err != nil {
		return config.Config{}, nil, err
	}
	return cfg, db, nil
}

// readPassword reads a password: the first line of stdin when stdin is not a
// terminal, else a prompt without echo (twice when confirm is set).
func readPassword(e *env, confirm bool) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Mật khẩu / Password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("không đọc được mật khẩu / read password: %w", err)
		}
		if confirm {
			fmt.Fprint(e.stderr, "Nhập lại / Repeat: ")
			p2, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(e.stderr)
			if err != nil {
				return "", fmt.Errorf("không đọc được mật khẩu / read password: %w", err)
			}
			if string(p1) != string(p2) {
				return "", errors.New("hai lần nhập không khớp / the passwords do not match")
			}
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("không đọc được mật khẩu từ đầu vào chuẩn / read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("không có mật khẩu trên stdin / no password on stdin: pipe it in (first line) or run in a terminal to be prompted")
	}
	return line, nil
}

// auditCLI records a user change made from the command line.
func auditCLI(ctx context.Context, db *store.DB, action, name string, params any) {
	p := "{}"
	if params != nil {
		if b, err := json.Marshal(params); err == nil {
			p = string(b)
		}
	}
	db.AppendAudit(ctx, store.AuditEntry{At: db.Now(), User: "cli", Source: "local", Action: action,
		Target: "user:" + name, Params: p, Result: "ok"})
}

func zoneIDs(cfg config.Config) []string {
	ids := make([]string, len(cfg.Zones))
	for i, z := range cfg.Zones {
		ids[i] = z.ID
	}
	return ids
}
