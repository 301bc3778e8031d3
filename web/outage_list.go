package web

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/hamlet-vn/hamlet/uptime"
)

// outageList is GET /api/v1/outages?from=&to=[&kind=&zone=&device=]
// [&source=&area=][&format=json|csv]: every outage, written as it is found,
// so a year of outages is never held in memory.
func (s *Server) outageList(w http.ResponseWriter, r *http.Request, c *call) {
	q, e := s.uptimeQuery(r, c, "format")
	if e != nil {
		writeError(w, e)
		return
	}
	format := r.URL.Query().Get("format")
	var write func(uptime.Outage) error
	var finish func() error
	switch format {
	case "", "json":
		write, finish = s.outageJSON(w)
	case "csv":
		write, finish = outageCSV(w)
	default:
		writeError(w, fieldError("format", codeBadParam, "Định dạng không hỗ trợ / query parameter format must be json or csv, not %q", format))
		return
	}
	started := false
	err := s.opts.Uptime.Outages(r.Context(), q, func(o uptime.Outage) error {
		started = true
		return write(o)
	})
	if err != nil && !started {
		s.uptimeFailed(w, r, c, err)
		return
	}
	if err == nil {
		err = finish()
	}
	if err != nil {
		s.opts.Logger.Warn("outage list cut short", "err", err)
	}
}

// outageJSON streams a JSON array: the status and "[" go out with the first
// outage (or "[]" at the end), so an error before it is still answered.
func (s *Server) outageJSON(w http.ResponseWriter) (write func(uptime.Outage) error, finish func() error) {
	n := 0
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	begin := func() {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "[")
	}
	write = func(o uptime.Outage) error {
		if n == 0 {
			begin()
		} else if _, err := io.WriteString(w, ","); err != nil {
			return err
		}
		n++
		return enc.Encode(o)
	}
	finish = func() error {
		if n == 0 {
			begin()
		}
		_, err := io.WriteString(w, "]\n")
		return err
	}
	return write, finish
}

// outageCSV streams the outages as CSV.
func outageCSV(w http.ResponseWriter) (write func(uptime.Outage) error, finish func() error) {
	var cw *uptime.OutageCSV
	start := func() {
		if cw != nil {
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="outages.csv"`)
		cw = uptime.NewOutageCSV(w)
	}
	write = func(o uptime.Outage) error { start(); return cw.Write(o) }
	finish = func() error { start(); return cw.Flush() }
	return write, finish
}
