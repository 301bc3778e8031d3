package daemon

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/hamlet-vn/hamlet/config"
	"github.com/hamlet-vn/hamlet/devices"
)

// Reload applies what can change while running from cfg, a config already
// loaded and validated, without dropping the MQTT session (SIGHUP):
// devices declared since the start are added and known ones renamed or moved
// to another zone; zones are added and renamed and their broadcast windows
// change; the alert rules (alerts.offline_after, alerts.clear_after) and the
// webhook receivers (alerts.webhooks) change. It returns the keys that changed but only take effect after a
// restart. Light programmes and scheduled announcements live in the store and
// change through the API, not here.
func (d *Daemon) Reload(cfg config.Config) (needRestart []string, err error) {
	select {
	case <-d.ready: // the parts below exist and are running
	default:
		return nil, errors.New("hamletd chưa khởi động xong / hamletd has not finished starting")
	}
	needRestart = restartKeys(d.cfg, cfg)
	now := d.now()
	var errs []error
	added, changed := 0, 0
	for _, cd := range cfg.Devices {
		dev := devices.Device{ID: cd.ID, Name: cd.Name, Kind: devices.Kind(cd.Kind), Zone: cd.Zone,
			Protocol: devices.Protocol(cd.Protocol), Topic: cd.Topic, FullTopic: cd.FullTopic, Channel: cd.Channel}
		_, known := d.registry.Get(dev.ID)
		if err := d.router.Declare(dev); err != nil {
			errs = append(errs, err)
			continue
		}
		did, ok := d.registry.Declare(dev, now)
		switch {
		case !ok:
			needRestart = append(needRestart, "devices["+dev.ID+"].protocol/topic/channel")
		case did && known:
			changed++
		case did:
			added++
		}
	}
	if len(cfg.Devices) < len(d.cfg.Devices) {
		needRestart = append(needRestart, "devices (removed)")
	}
	if d.http != nil {
		d.http.SetZones(webZones(cfg.Zones))
	}
	d.watcher.SetOfflineAfter(offlineAfter(cfg.Alerts.OfflineAfter))
	d.alerts.SetClearAfter(cfg.Alerts.ClearAfter)
	d.webhooks.SetHooks(webhooksOf(cfg.Alerts))
	if d.announce != nil {
		if err := d.announce.SetWindows(windowsOf(cfg.Zones)); err != nil {
			errs = append(errs, err) // validated already: cannot happen
		}
	}
	d.log.Info("config reloaded", "devices_added", added, "devices_changed", changed,
		"webhooks", len(cfg.Alerts.Webhooks), "need_restart", needRestart)
	if len(errs) > 0 {
		return needRestart, fmt.Errorf("reload: %w", errors.Join(errs...))
	}
	return needRestart, nil
}

// restartKeys names the sections of next that differ from running and are
// read only at start.
func restartKeys(running, next config.Config) []string {
	var keys []string
	for _, c := range []struct {
		key  string
		a, b any
	}{
		{"area", running.Area, next.Area},
		{"mqtt", running.MQTT, next.MQTT},
		{"influx", running.Influx, next.Influx},
		{"http", running.HTTP, next.HTTP},
		{"storage", running.Storage, next.Storage},
		{"availability", running.Availability, next.Availability},
		{"discovery", running.Discovery, next.Discovery},
		{"log", running.Log, next.Log},
		{"lights", running.Lights, next.Lights},
		{"announce", running.Announce, next.Announce},
		{"uptime", running.Uptime, next.Uptime},
		{"alerts.mqtt", running.Alerts.MQTT, next.Alerts.MQTT},
		{"alerts.announce", running.Alerts.Announce, next.Alerts.Announce},
	} {
		if !reflect.DeepEqual(c.a, c.b) {
			keys = append(keys, c.key)
		}
	}
	return keys
}

// windowsOf maps each zone to its broadcast windows, for the announce
// capability (at start and on a reload).
func windowsOf(zones []config.Zone) map[string][]string {
	out := map[string][]string{}
	for _, z := range zones {
		if len(z.BroadcastWindows) > 0 {
			out[z.ID] = z.BroadcastWindows
		}
	}
	return out
}
