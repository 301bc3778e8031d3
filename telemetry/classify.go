package telemetry

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	http2 "github.com/influxdata/influxdb-client-go/v2/api/http"
)

// errClass says what to do about a failed write.
type errClass int

// Error classes.
const (
	// classUnavailable: InfluxDB cannot take the points now (network error,
	// timeout, 5xx, 429, 404 wrong bucket or database, 401/403 bad token).
	// Nothing is wrong with the points: spool them and probe with backoff.
	classUnavailable errClass = iota
	// classRejected: InfluxDB refused (some of) the points themselves (400 or
	// 422: a parse error, a field type conflict, a point outside the retention
	// policy). InfluxDB 1.8 answers 400 "partial write: ... dropped=N" and has
	// written the others. Split the batch to isolate the bad points.
	classRejected
	// classTooLarge: 413, the request body exceeds the server's limit. Split
	// the batch; a single point that is still too large is rejected.
	classTooLarge
)

// String returns the class's metric label.
func (c errClass) String() string {
	switch c {
	case classRejected:
		return "rejected"
	case classTooLarge:
		return "too_large"
	default:
		return "unavailable"
	}
}

// writeError is a classified write failure.
type writeError struct {
	class      errClass
	status     int           // HTTP status, 0 for a network error
	retryAfter time.Duration // from a Retry-After header, 0 when none
	err        error
}

// Error describes the failure with its HTTP status.
func (e *writeError) Error() string {
	if e.status == 0 {
		return fmt.Sprintf("write to InfluxDB: %v", e.err)
	}
	return fmt.Sprintf("write to InfluxDB: status %d: %v", e.status, e.err)
}

// Unwrap returns the underlying error.
func (e *writeError) Unwrap() error { return e.err }

// classify classifies an error returned by the client's blocking write API,
// reading Retry-After (seconds or an HTTP date) relative to now.
func classify(err error, now time.Time) *writeError {
	we := &writeError{class: classUnavailable, err: err}
	var he *http2.Error
	if !errors.As(err, &he) || he.StatusCode == 0 {
		return we
	}
	we.status = he.StatusCode
	we.err = errors.New(strings.TrimSpace(statusMessage(he)))
	switch he.StatusCode {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		we.class = classRejected
	case http.StatusRequestEntityTooLarge:
		we.class = classTooLarge
	}
	we.retryAfter = retryAfter(he, now)
	return we
}

// statusMessage returns the server's message for a failed request.
func statusMessage(he *http2.Error) string {
	switch {
	case he.Message != "":
		return he.Message
	case he.Err != nil:
		return he.Err.Error()
	case he.Code != "":
		return he.Code
	}
	return http.StatusText(he.StatusCode)
}

// maxRetryAfter caps the wait a server may ask for.
const maxRetryAfter = 5 * time.Minute

// retryAfter reads the Retry-After header as seconds or an HTTP date, capped
// at maxRetryAfter.
func retryAfter(he *http2.Error, now time.Time) time.Duration {
	return min(rawRetryAfter(he, now), maxRetryAfter)
}

func rawRetryAfter(he *http2.Error, now time.Time) time.Duration {
	if he.RetryAfter > 0 {
		return time.Duration(he.RetryAfter) * time.Second
	}
	if he.Header == nil {
		return 0
	}
	v := strings.TrimSpace(he.Header.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
