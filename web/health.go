package web

import (
	"context"
	"net/http"
	"sort"
	"time"
)

// healthz answers 200 while the process serves HTTP at all.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request, c *call) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when every readiness check passes, else 503 with the
// failing checks and their errors.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request, c *call) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	names := make([]string, 0, len(s.opts.Checks))
	for n := range s.opts.Checks {
		names = append(names, n)
	}
	sort.Strings(names)
	checks := map[string]string{}
	status := http.StatusOK
	for _, n := range names {
		if err := s.opts.Checks[n](ctx); err != nil {
			checks[n] = err.Error()
			status = http.StatusServiceUnavailable
		} else {
			checks[n] = "ok"
		}
	}
	word := "ready"
	if status != http.StatusOK {
		word = "not ready"
	}
	writeJSON(w, status, map[string]any{"status": word, "checks": checks})
}

// metricsGet serves the Prometheus metrics, or 404 when none are configured.
func (s *Server) metricsGet(w http.ResponseWriter, r *http.Request, c *call) {
	if s.opts.Metrics == nil {
		writeError(w, errorf(http.StatusNotFound, codeNotFound, "Không bật số liệu / metrics are not served"))
		return
	}
	s.opts.Metrics.ServeHTTP(w, r)
}
