package web

import (
	"errors"
	"net/http"
	"unicode/utf8"

	"github.com/hamlet-vn/hamlet/devices"
)

// DeviceAdmin records what the installer decides about a discovered device:
// its zone, kind and name. Devices declared in the config are changed in the
// config file; assigning one returns an error wrapping devices.ErrDeclared.
type DeviceAdmin interface {
	AssignDevice(r *http.Request, id string, a DeviceAssignment) (devices.Status, error)
}

// DeviceAssignment is the body of PUT /api/v1/devices/{id}. Empty fields
// keep their current value.
type DeviceAssignment struct {
	Zone string `json:"zone,omitempty"`
	Kind string `json:"kind,omitempty"`
	Name string `json:"name,omitempty"`
}

func (a *DeviceAssignment) validate() *apiError {
	if a.Zone == "" && a.Kind == "" && a.Name == "" {
		return fieldError("zone", codeInvalid, "Không có gì để thay đổi / give at least one of zone, kind or name")
	}
	if a.Kind != "" {
		if _, err := devices.ParseKind(a.Kind); err != nil {
			return fieldError("kind", codeInvalid, "Loại thiết bị không hợp lệ / %s", err.Error())
		}
	}
	if utf8.RuneCountInString(a.Name) > 100 {
		return fieldError("name", codeInvalid, "Tên quá dài / name is longer than 100 characters")
	}
	return nil
}

// deviceAssign is PUT /api/v1/devices/{id}: an admin assigns a discovered
// device to a zone (and gives it a kind and a name).
func (s *Server) deviceAssign(w http.ResponseWriter, r *http.Request, c *call) {
	req := c.body.(*DeviceAssignment)
	if req.Zone != "" && !s.knownZone(req.Zone) {
		writeError(w, fieldError("zone", codeInvalid, "Không có khu vực %q / unknown zone %q", req.Zone, req.Zone))
		return
	}
	st, err := s.opts.DeviceAdmin.AssignDevice(r, c.device.ID, *req)
	if errors.Is(err, devices.ErrDeclared) {
		s.record(r, c, AuditEntry{Result: "failed", Error: "declared in the config"})
		writeError(w, errorf(http.StatusConflict, codeConflict,
			"Thiết bị %s được khai báo trong tệp cấu hình; hãy sửa tệp đó / device %s is declared in the config file; change it there",
			c.device.ID, c.device.ID))
		return
	}
	if err != nil {
		s.hookFailed(w, r, c, err)
		return
	}
	s.record(r, c, AuditEntry{Result: "ok", Target: "device:" + st.ID})
	writeJSON(w, http.StatusOK, s.deviceView(st))
}
