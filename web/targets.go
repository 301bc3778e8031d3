package web

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hamlet-vn/hamlet/devices"
)

// Target is the domain's; see devices.Target.
type Target = devices.Target

// checkTarget validates t's shape as an API error naming field.
func checkTarget(t Target, field string) *apiError {
	if e := t.Check(field); e != nil {
		return fieldError(e.Field, codeInvalid, "%s", e.Message)
	}
	return nil
}

// resolve returns the devices t names, each once, in zone then id order.
// kind, when set, is the only kind the route acts on: a listed device of
// another kind is an error, and zones or all select only that kind. Unknown
// device or zone ids are errors naming the field.
func (s *Server) resolve(t Target, field string, kind devices.Kind) ([]devices.Status, *apiError) {
	if e := checkTarget(t, field); e != nil {
		return nil, e
	}
	if t.Kind != "" && kind != "" && devices.Kind(t.Kind) != kind {
		return nil, fieldError(field+".kind", codeInvalid, "Chỉ áp dụng cho %s / %s.kind must be %q here", kindVi(kind), field, kind)
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
					id, kindVi(kind), f, id, orUnknown(string(st.Kind)), kind)
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
