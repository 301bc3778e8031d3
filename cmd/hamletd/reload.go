package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/hamlet-vn/hamlet/config"
)

// reloader is what a SIGHUP reloads; *daemon.Daemon is one.
type reloader interface {
	Reload(cfg config.Config) (needRestart []string, err error)
}

// reloadOnHangup reloads the config file into d on every SIGHUP until ctx
// ends or the returned stop is called. A config that fails validation is
// logged problem by problem, and the running config stays.
func reloadOnHangup(ctx context.Context, e *env, path string, d reloader, log *slog.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				reload(e, path, d, log)
			}
		}
	}()
	return func() { signal.Stop(hup); cancel() }
}

// reload loads the config at path and applies it to d, logging the outcome.
func reload(e *env, path string, d reloader, log *slog.Logger) {
	cfg, err := loadConfig(e, path)
	if err != nil {
		var ve *config.ValidationError
		if errors.As(err, &ve) {
			for _, p := range ve.Problems {
				log.Error("config reload refused: the running config stays", "key", p.Key, "problem", p.Message, "value", p.Value)
			}
		} else {
			log.Error("config reload refused: the running config stays", "err", err)
		}
		return
	}
	needRestart, err := d.Reload(cfg)
	if err != nil {
		log.Error("config reload incomplete", "err", err)
	}
	for _, k := range needRestart {
		log.Warn("config changed but needs a restart to take effect", "key", k)
	}
}
