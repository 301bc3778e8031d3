package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startDebugListener serves Go's runtime profiles (/debug/pprof/) on addr,
// which must be a loopback address: they show the process's internals and
// take no sign-in. It stops when ctx ends and returns the address it
// listens on. An empty addr serves nothing.
func startDebugListener(ctx context.Context, addr string, log *slog.Logger) (string, error) {
	if addr == "" {
		return "", nil
	}
	if err := checkLoopback(addr); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("--debug-listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("debug listener stopped", "err", err)
		}
	}()
	bound := ln.Addr().String()
	log.Info("debug listener: Go runtime profiles", "url", "http://"+bound+"/debug/pprof/")
	return bound, nil
}

// checkLoopback refuses an address that is not host:port on a loopback
// host (127.0.0.0/8, ::1 or localhost).
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--debug-listen: cần dạng máy:cổng như 127.0.0.1:6060 / want host:port such as 127.0.0.1:6060 (got %q)", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--debug-listen: chỉ nhận địa chỉ loopback như 127.0.0.1:6060 / only a loopback address such as 127.0.0.1:6060 (got %q): the profiles take no sign-in", addr)
}
