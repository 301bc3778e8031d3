package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/hamlet-vn/hamlet/devices"
	"github.com/hamlet-vn/hamlet/snapshots"
)

// SnapshotSource returns a camera's latest snapshot; *snapshots.Keeper is one.
type SnapshotSource interface {
	Latest(id string) (snapshots.Snapshot, bool)
}

// cameraView is one camera on the Camera page.
type cameraView struct {
	ID, Name, Zone, Avail string
	AvailLabel            string // message key
	FPS                   string // streaming frames per second; "" when unknown
	Motion                *bool
	SnapAt                string // when the latest snapshot arrived; "" when none
	SnapObject            string
	StreamURL             template.URL // checked by the config (http, https or rtsp)
}

// pageCameras is GET /cameras: the caller's cameras with their latest snapshot.
func (s *Server) pageCameras(w http.ResponseWriter, r *http.Request, p *page) {
	s.fillPage(r, p, p.User, "cameras", "Camera")
	var cams []cameraView
	for _, st := range visible(p.User, s.opts.Devices.List(devices.Filter{Kind: devices.Camera})) {
		cv := cameraView{ID: st.ID, Name: st.Name, Zone: st.Zone, Avail: string(st.Availability), AvailLabel: availLabel(st.Availability), StreamURL: template.URL(s.opts.StreamURLs[st.ID])}
		if fps, ok := st.Telemetry["fps"]; ok {
			cv.FPS = strconv.FormatFloat(fps, 'f', 1, 64)
		}
		if c := st.Reported.Camera; c != nil {
			cv.Motion = c.Motion
		}
		if s.opts.Snapshots != nil {
			if snap, ok := s.opts.Snapshots.Latest(st.ID); ok {
				cv.SnapAt = snap.At.In(s.opts.Location).Format("15:04:05 02/01")
				cv.SnapObject = snap.Object
			}
		}
		cams = append(cams, cv)
	}
	p.Data = cams
	s.render(w, r, http.StatusOK, p)
}

// snapshotGet is GET /cameras/{id}/snapshot.jpg: the camera's latest
// snapshot, only for callers who may see the camera's zone.
func (s *Server) snapshotGet(w http.ResponseWriter, r *http.Request, p *page) {
	id := r.PathValue("id")
	st, ok := s.opts.Devices.Get(id)
	if !ok || st.Kind != devices.Camera {
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "Không có camera %q / unknown camera %q", id, id))
		return
	}
	if !p.User.MayZone(st.Zone) {
		writeError(w, errorf(http.StatusForbidden, codeForbiddenZone,
			"Camera %s ngoài khu vực của bạn / forbidden: camera %s is outside your zones", id, id))
		return
	}
	var snap snapshots.Snapshot
	if s.opts.Snapshots != nil {
		snap, ok = s.opts.Snapshots.Latest(id)
	}
	if s.opts.Snapshots == nil || !ok {
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "Chưa có ảnh từ camera %s / no snapshot from camera %s yet", id, id))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/jpeg")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Last-Modified", snap.At.UTC().Format(http.TimeFormat))
	w.Write(snap.JPEG)
}
