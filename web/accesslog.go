package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// requestInfo is filled while a request is served and read by the access
// log: guard sets the route pattern and the caller.
type requestInfo struct {
	route string
	user  string
}

type infoKey struct{}

// infoFrom returns the request's info, or a throwaway one outside accessLog.
func infoFrom(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(infoKey{}).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{}
}

// statusRecorder remembers the status and size a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flushing
// event streams, deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// accessLog logs one structured line per request, counts it in the metrics
// and turns a handler panic into a 500 with a JSON body.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{route: "unmatched"}
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.opts.Logger.Error("http handler panic", "route", info.route, "panic", v)
				if rec.status == 0 {
					writeError(rec, errInternal())
				}
			}
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			d := time.Since(start)
			s.metrics.observe(info.route, r.Method, rec.status, d)
			level := slog.LevelInfo
			switch {
			case rec.status >= 500:
				level = slog.LevelWarn
			case r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics":
				level = slog.LevelDebug
			}
			s.opts.Logger.Log(r.Context(), level, "http request",
				"method", r.Method, "path", r.URL.Path, "route", info.route, "status", rec.status, "bytes", rec.bytes,
				"duration", d, "remote", r.RemoteAddr, "user", info.user)
		}()
		next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
	})
}
