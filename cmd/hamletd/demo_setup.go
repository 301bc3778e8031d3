package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/store"
)

// demoLock holds the demo directory for one demo at a time: a second demo in
// the same folder is refused instead of breaking the first.
func demoLock(dir string) (release func(), err error) {
	path := filepath.Join(dir, "demo.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		pid := strings.TrimSpace(string(b))
		return nil, fmt.Errorf("một bản chạy thử khác đang chạy trong %s (pid %s); dừng nó bằng Ctrl+C hoặc dùng --dir khác / "+
			"another demo is already running in %s (pid %s): stop it with Ctrl+C, or give this one its own --dir", dir, pid, dir, pid)
	}
	f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() { os.Remove(path); f.Close() }, nil
}

// checkFree reports a listen address already in use, naming the flag that changes it.
func checkFree(addr, flag string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("không mở được %s (%v); chọn địa chỉ khác bằng %s / cannot listen on %s: %v; choose another with %s",
			addr, errors.Unwrap(err), flag, addr, errors.Unwrap(err), flag)
	}
	return ln.Close()
}

// demoAccount is one of the demo's logins.
type demoAccount struct {
	Name, Role, Zones, Password, Can string
}

// demoAccounts are the demo's users, one per role. Their passwords are kept
// in <dir>/demo-logins.txt so a second run in the same folder keeps them.
func demoAccounts(zone string) []demoAccount {
	return []demoAccount{
		{Name: "admin", Role: "admin", Can: "mọi việc, kể cả người dùng / everything, users included"},
		{Name: "truongkhu", Role: "operator", Zones: zone,
			Can: "bật tắt đèn, phát thông báo ở " + zone + " / switch lights and broadcast in " + zone},
		{Name: "canbo", Role: "viewer", Can: "xem thiết bị, báo cáo, nhật ký / view devices, reports and the audit log"},
	}
}

// demoLogins creates the demo accounts (or keeps those of an earlier run,
// with their passwords) and returns them with their passwords.
func demoLogins(ctx context.Context, cfg config.Config, accts []demoAccount) ([]demoAccount, error) {
	file := filepath.Join(cfg.Storage.Dir, "demo-logins.txt")
	known := map[string]string{}
	if f, err := os.Open(file); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if name, pw, ok := strings.Cut(sc.Text(), " "); ok {
				known[name] = pw
			}
		}
		f.Close()
	}
	db, err := store.Open(ctx, cfg.Storage.Dir, nil)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	zones := make([]string, 0, len(cfg.Zones))
	for _, z := range cfg.Zones {
		zones = append(zones, z.ID)
	}
	var lines strings.Builder
	for i, a := range accts {
		_, lookupErr := db.UserByName(ctx, a.Name)
		isNew := lookupErr != nil
		pw, keep := known[a.Name]
		if !keep || isNew {
			b := make([]byte, 9)
			rand.Read(b)
			pw = base64.RawURLEncoding.EncodeToString(b)
		}
		switch {
		case isNew:
			nu := accounts.NewUser{Name: a.Name, Role: a.Role, Password: pw}
			if a.Zones != "" {
				nu.Zones = []string{a.Zones}
			}
			if _, err := accounts.CreateUser(ctx, db, nu, zones, accounts.DefaultPasswordParams()); err != nil {
				return nil, err
			}
		case !keep:
			if err := accounts.SetUserPassword(ctx, db, a.Name, pw, accounts.DefaultPasswordParams()); err != nil {
				return nil, err
			}
		}
		accts[i].Password = pw
		fmt.Fprintf(&lines, "%s %s\n", a.Name, pw)
	}
	return accts, os.WriteFile(file, []byte(lines.String()), 0o600)
}

// lanURLs returns http://<address>:<port> for each non-loopback IPv4 address
// of this machine, for a listen address on every interface; else nil.
func lanURLs(listen string) []string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil || (host != "" && host != "0.0.0.0" && host != "::") {
		return nil
	}
	addrs, _ := net.InterfaceAddrs()
	var out []string
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			out = append(out, "http://"+net.JoinHostPort(ipn.IP.String(), port)+"/")
		}
	}
	return out
}

// qr renders url as a QR code for a terminal.
func qr(url string) string {
	q, err := qrcode.New(url, qrcode.Low)
	if err != nil {
		return ""
	}
	return q.ToSmallString(false)
}
