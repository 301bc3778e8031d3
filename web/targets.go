package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// maxTargets bounds the ids listed in one target.
const maxTargets = 1000

// Target names the devices a command, announcement or schedule applies to:
// exactly one of Devices, Zones or All. Kind narrows Zones and All to one
// kind; a route that acts on one kind sets it when it is empty.
type Target struct {
	Devices []string `json:"devices,omitempty"`
	Zones   []string `json:"zones,omitempty"`
	All     bool     `json:"all,omitempty"`
	Kind    string   `json:"kind,omitempty"`
}

// check validates the target's shape; field is its name in the request.
func (t Target) check(field string) *apiError {
	n := 0
	if len(t.Devices) > 0 {
		n++
	}
	if len(t.Zones) > 0 {
		n++
	}
	if t.All {
		n++
	}
	if n != 1 {
		return fieldError(field, codeInvalid,
			"Cần đúng một trong devices, zones hoặc all / %s needs exactly one of \"devices\": [...], \"zones\": [...] or \"all\": true", field)
	}
	if len(t.Devices)+len(t.Zones) > maxTargets {
		return fieldError(field, codeInvalid, "Quá nhiều mục / %s lists more than %d ids", field, maxTargets)
	}
	if t.Kind != "" {
		if _, err := devices.ParseKind(t.Kind); err != nil {
			return fieldError(field+".kind", codeInvalid, "Loại thiết bị không hợp lệ / %s.kind: %v", field, err)
		}
	}
	return nil
}

// resolve returns the devices t names, each once, in zone then id order.
// kind, when set, is the only kind the route acts on: a listed device of
// another kind is an error, and zones or all select only that kind. Unknown
// device or zone ids are errors naming the field.
func (s *Server) resolve(t Target, field string, kind devices.Kind) ([]devices.Status, *apiError) {
	if e := t.check(field); e != nil {
		return nil, e
	}
	if t.Kind != "" && kind != "" && devices.Kind(t.Kind) != kind {
		return nil, fieldError(field+".kind", codeInvalid, "Chỉ áp dụng cho %s / %s.kind must be %q here", kind, field, kind)
	}
	if kind == "" {
		kind = devices.Kind(t.Kind)
	}
	var out []devices.Status
	switch {
	case len(t.Devices) > 0:
		seen := map[string]bool{}
		for i, id := range t.Devices {
			f := fmt.Sprintf("%s.devices[%d]", field, i)
			st, ok := s.opts.Devices.Get(id)
			if !ok {
				return nil, fieldError(f, codeInvalid, "Không có thiết bị %q / %s: unknown device %q", id, f, id)
			}
			if kind != "" && st.Kind != kind {
				return nil, fieldError(f, codeInvalid, "Thiết bị %q không phải %s / %s: device %q is a %s, not a %s",
					id, kind, f, id, orUnknown(string(st.Kind)), kind)
			}
			if !seen[id] {
				seen[id] = true
				out = append(out, st)
			}
		}
		slices.SortFunc(out, func(a, b devices.Status) int {
			if a.Zone != b.Zone {
				return strings.Compare(a.Zone, b.Zone)
			}
			return strings.Compare(a.ID, b.ID)
		})
	case len(t.Zones) > 0:
		for i, z := range t.Zones {
			if !s.knownZone(z) {
				f := fmt.Sprintf("%s.zones[%d]", field, i)
				return nil, fieldError(f, codeInvalid, "Không có khu vực %q / %s: unknown zone %q", z, f, z)
			}
		}
		out = s.opts.Devices.List(devices.Filter{Kind: kind, Zones: t.Zones})
	default:
		out = s.opts.Devices.List(devices.Filter{Kind: kind})
	}
	if len(out) == 0 {
		what := "devices"
		if kind != "" {
			what = string(kind) + "s"
		}
		return nil, fieldError(field, codeInvalid, "Không có thiết bị nào trong phạm vi / %s selects no %s", field, what)
	}
	return out, nil
}

// denied returns the ids of the devices u may not act on.
func denied(u User, ds []devices.Status) []string {
	var ids []string
	for _, d := range ds {
		if !u.MayZone(d.Zone) {
			ids = append(ids, d.ID)
		}
	}
	return ids
}

func orUnknown(s string) string {
	if s == "" {
		return "device of unknown kind"
	}
	return s
}
