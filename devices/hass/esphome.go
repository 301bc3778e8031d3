package hass

import (
	"strconv"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/devices/internal/jsonfield"
)

// esphomeNode is what an ESPHome node said on esphome/discover/<node>.
type esphomeNode struct {
	name, friendly, ip, mac, version, platform, board string
}

// decodeESPHome handles an ESPHome node's discovery answer: a JSON object
// with ip, name, friendly_name, mac, version, platform, board, network and,
// when the native API is on, port. It becomes the node's Discovery (key: the
// node name), and the node's default availability topic <node>/status
// (online/offline) is learned.
func (a *Adapter) decodeESPHome(topic, node string, payload []byte) ([]devices.Report, *devices.DecodeError) {
	if !validID(node) {
		return nil, devices.Errorf(devices.ReasonMalformed, "%s: node name %s has characters outside [a-zA-Z0-9_-]", topic, devices.Quote(node))
	}
	if len(payload) == 0 {
		return nil, devices.Errorf(devices.ReasonIgnored, "%s: the node's discovery record was cleared; its entities stay until their configs are cleared", topic)
	}
	if err := devices.CheckText(payload); err != nil {
		return nil, err
	}
	o, err := jsonfield.Parse(payload)
	if err != nil {
		return nil, within(topic, err)
	}
	r := &reader{o: o}
	n := &esphomeNode{
		name: r.str("name", node), friendly: r.str("friendly_name", ""), ip: r.str("ip", ""),
		mac: r.str("mac", ""), version: r.str("version", ""), platform: r.str("platform", ""), board: r.str("board", ""),
	}
	if _, _, err := o.Number("port"); err != nil {
		r.keep(err)
	}
	if r.err != nil {
		return nil, within(topic, r.err)
	}
	key := slug(node)
	d, ok := a.devs[key]
	if !ok {
		if len(a.devs) >= maxEntities {
			return nil, devices.Errorf(devices.ReasonIgnored, "%s: already %d devices learned, the most hamlet keeps", topic, maxEntities)
		}
		d = &device{key: key, entities: map[string]*entity{}, avail: map[string]devices.Availability{}}
		a.devs[key] = d
	}
	d.protocol = devices.ESPHome
	d.node = n
	a.addRoute(node+"/status", route{role: roleNodeStatus, device: key})
	reps := d.reports()
	if port, ok, _ := o.Number("port"); ok {
		for _, rep := range reps {
			if rep.Discovery.Extra == nil {
				rep.Discovery.Extra = map[string]string{}
			}
			rep.Discovery.Extra["api_port"] = strconv.FormatFloat(port, 'f', -1, 64)
		}
	}
	return reps, nil
}
