package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/hamlet-vn/hamlet/devices"
)

// apiError is an error answered to the client: the status, a machine code
// and a message in Vietnamese then English. Field names the request field or
// query parameter at fault; Devices names the devices a zone check refused.
type apiError struct {
	Status     int      `json:"-"`
	Code       string   `json:"code"`
	Message    string   `json:"error"`
	Field      string   `json:"field,omitempty"`
	Devices    []string `json:"devices,omitempty"`
	RetryAfter int      `json:"retry_after_s,omitempty"`
}

// Error returns the message.
func (e *apiError) Error() string { return e.Message }

// Error codes, stable for clients.
const (
	codeBadJSON        = "bad_json"
	codeUnknownField   = "unknown_field"
	codeBadType        = "bad_type"
	codeInvalid        = "invalid"
	codeTooLarge       = "too_large"
	codeBadParam       = "bad_param"
	codeUnauthorized   = "unauthenticated"
	codeExpired        = "session_expired"
	codeBadToken       = "bad_token"
	codeBadCredentials = "bad_credentials"
	codeForbidden      = "forbidden"
	codeForbiddenZone  = "forbidden_zone"
	codeCrossOrigin    = "cross_origin"
	codeThrottled      = "throttled"
	codeNotFound       = "not_found"
	codeNotAllowed     = "method_not_allowed"
	codeConflict       = "conflict"
	codeNotAvailable   = "not_available"
	codeInternal       = "internal"
	codeBusy           = "busy"
)

// errorf returns an apiError; message is "Vietnamese / English".
func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// fieldError returns a 400 apiError that names field.
func fieldError(field, code, format string, args ...any) *apiError {
	e := errorf(http.StatusBadRequest, code, format, args...)
	e.Field = field
	return e
}

// Common errors.
func errUnauthenticated() *apiError {
	return errorf(http.StatusUnauthorized, codeUnauthorized, "Chưa đăng nhập / not signed in")
}

// errNotAvailable is the 503 of a capability (a route's needs) that is not wired.
func errNotAvailable(what string) *apiError {
	return errorf(http.StatusServiceUnavailable, codeNotAvailable,
		"Chức năng %s chưa sẵn sàng / %s is not available on this server yet", capabilityVi(what), what)
}

// capabilityVi names a capability (a route's needs) in Vietnamese.
func capabilityVi(what string) string {
	switch what {
	case "accounts":
		return "tài khoản"
	case "commands":
		return "điều khiển thiết bị"
	case "announcements":
		return "phát thông báo"
	case "media":
		return "tải âm thanh lên"
	case "schedules":
		return "lịch hẹn giờ"
	case "uptime":
		return "báo cáo thời gian hoạt động"
	case "devices":
		return "quản lý thiết bị"
	case "alerts":
		return "cảnh báo"
	}
	return "này"
}

// kindVi names a device kind in Vietnamese.
func kindVi(k devices.Kind) string {
	switch k {
	case devices.Light:
		return "đèn"
	case devices.Camera:
		return "camera"
	case devices.Speaker:
		return "loa"
	}
	return "thiết bị chưa rõ loại"
}

// errThrottled is the 429 of a throttled sign-in: what went wrong (vi, en)
// and the wait in whole minutes, rounded up; retry_after_s and Retry-After
// keep the seconds.
func errThrottled(wait time.Duration, vi, en string) *apiError {
	secs := int(math.Ceil(wait.Seconds()))
	mins := (secs + 59) / 60
	e := errorf(http.StatusTooManyRequests, codeThrottled,
		"%s, hãy thử lại sau %d phút / %s, try again in %d min", vi, mins, en, mins)
	e.RetryAfter = secs
	return e
}

func errInternal() *apiError {
	return errorf(http.StatusInternalServerError, codeInternal,
		"Lỗi máy chủ, xem nhật ký / internal error, see the server log")
}

// writeJSON writes v as the JSON response body with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// writeError writes the API's error body {"error": message, "code": code, ...}.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfter))
	}
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hamlet"`)
	}
	writeJSON(w, e.Status, e)
}

// noContent answers 204.
func noContent(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// jsonTime is a time that marshals as RFC 3339 in the area's timezone, or
// null when zero.
type jsonTime struct {
	t   time.Time
	loc *time.Location
}

// MarshalJSON implements json.Marshaler.
func (t jsonTime) MarshalJSON() ([]byte, error) {
	if t.t.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + t.t.In(t.loc).Format(time.RFC3339) + `"`), nil
}

// jt returns t as a jsonTime in the server's timezone.
func (s *Server) jt(t time.Time) jsonTime { return jsonTime{t: t, loc: s.opts.Location} }
