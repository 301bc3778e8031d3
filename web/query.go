package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// queryParams returns r's query after checking that it has only the allowed
// parameters, each at most once.
func queryParams(r *http.Request, allowed ...string) (url.Values, *apiError) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, fieldError("query", codeBadParam, "Chuỗi truy vấn không hợp lệ / malformed query string: %v", err)
	}
	for k, vs := range q {
		if !slices.Contains(allowed, k) {
			return nil, fieldError(k, codeBadParam, "Tham số %q không được hỗ trợ / unknown query parameter %q (allowed: %v)", k, k, allowed)
		}
		if len(vs) > 1 {
			return nil, fieldError(k, codeBadParam, "Tham số %q lặp lại / query parameter %q given more than once", k, k)
		}
	}
	return q, nil
}

// timeRange reads the from and to parameters: RFC 3339 times, or
// YYYY-MM-DD dates in the area's timezone (from is the start of its day; to
// is inclusive, so the end of its day). A missing to is now; a missing from
// is span before to. to must be after from. The range is [from, to); a
// missing to is rounded up to the next second so that it includes now.
func (s *Server) timeRange(q url.Values, span time.Duration) (from, to time.Time, e *apiError) {
	to = s.opts.Now().Truncate(time.Second).Add(time.Second)
	if v := q.Get("to"); v != "" {
		if to, e = s.parseTime("to", v, true); e != nil {
			return
		}
	}
	from = to.Add(-span)
	if v := q.Get("from"); v != "" {
		if from, e = s.parseTime("from", v, false); e != nil {
			return
		}
	}
	if !to.After(from) {
		e = fieldError("to", codeBadParam, "Thời điểm kết thúc phải sau thời điểm bắt đầu / query parameter to (%s) must be after from (%s)",
			to.In(s.opts.Location).Format(time.RFC3339), from.In(s.opts.Location).Format(time.RFC3339))
	}
	return
}

// parseTime parses one time parameter; endOfDay makes a date mean the next midnight.
func (s *Server) parseTime(name, v string, endOfDay bool) (time.Time, *apiError) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if d, err := time.ParseInLocation(time.DateOnly, v, s.opts.Location); err == nil {
		if endOfDay {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	return time.Time{}, fieldError(name, codeBadParam,
		"Thời gian %q không hợp lệ / query parameter %s must be an RFC 3339 time (2026-11-01T17:30:00+07:00) or a date (2026-11-01), not %q",
		v, name, v)
}

// intParam reads an optional integer parameter in [lo, hi]; def when absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, *apiError) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fieldError(name, codeBadParam, "Tham số %s phải là số từ %d đến %d / query parameter %s must be a whole number %d–%d, not %q",
			name, lo, hi, name, lo, hi, v)
	}
	return n, nil
}
