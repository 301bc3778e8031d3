package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxJSONBody bounds a JSON request body unless a route sets its own limit.
const maxJSONBody = 64 << 10

// validator is a request body that checks its own values after decoding.
type validator interface {
	validate() *apiError
}

// wrapped is a request body that wraps a capability's request type: the
// JSON is decoded into what decodeInto returns, so that errors name the
// fields without the wrapper's name.
type wrapped interface {
	decodeInto() any
}

// decodeJSON reads r's body (already bounded by the route's MaxBytesReader)
// into v, strictly: one JSON object, no unknown fields, the right types.
// Every failure is a 4xx apiError whose message names the field at fault;
// when v is a validator its validate method runs last.
func decodeJSON(r *http.Request, v any) *apiError {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return errorf(http.StatusRequestEntityTooLarge, codeTooLarge,
				"Nội dung quá lớn (tối đa %d byte) / request body larger than %d bytes", tooBig.Limit, tooBig.Limit)
		}
		return errorf(http.StatusBadRequest, codeBadJSON, "Không đọc được nội dung / cannot read the request body: %v", err)
	}
	return decodeBytes(body, v)
}

// decodeBytes is decodeJSON over a body already read.
func decodeBytes(body []byte, v any) *apiError {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return errorf(http.StatusBadRequest, codeBadJSON, "Thiếu nội dung JSON / the request body is empty; send a JSON object")
	}
	if trimmed[0] != '{' {
		return errorf(http.StatusBadRequest, codeBadJSON, "Nội dung phải là một đối tượng JSON / the request body must be a JSON object {...}")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	into := v
	if w, ok := v.(wrapped); ok {
		into = w.decodeInto()
	}
	if err := dec.Decode(into); err != nil {
		return jsonError(err, trimmed)
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, codeBadJSON,
			"Dữ liệu thừa sau đối tượng JSON / unexpected data after the JSON object at byte %d", dec.InputOffset())
	}
	if val, ok := v.(validator); ok {
		if e := val.validate(); e != nil {
			return e
		}
	}
	return nil
}

// jsonError translates an encoding/json error into a message that names the field.
func jsonError(err error, body []byte) *apiError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return errorf(http.StatusBadRequest, codeBadJSON,
			"JSON sai cú pháp ở byte %d / malformed JSON at byte %d: %s", syn.Offset, syn.Offset, syn.Error())
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errorf(http.StatusBadRequest, codeBadJSON, "JSON bị cắt cụt / malformed JSON: the body ends early")
	case errors.As(err, &typ):
		field := printable(typ.Field)
		return fieldError(field, codeBadType, "Trường \"%s\" sai kiểu / field \"%s\" must be %s, not %s",
			field, field, typeName(typ), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		raw, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			raw = strings.TrimPrefix(err.Error(), "json: unknown field ")
		}
		name := printable(raw)
		return fieldError(name, codeUnknownField, "Trường \"%s\" không được hỗ trợ / unknown field \"%s\"", name, name)
	}
	var fe *apiError
	if errors.As(err, &fe) {
		return fe // from a type's own UnmarshalJSON
	}
	return errorf(http.StatusBadRequest, codeBadJSON, "JSON không hợp lệ / invalid JSON: %v", err)
}

// printable returns a field name safe to show: escaped like a Go string,
// without the quotes; "" for an empty name becomes the two quote characters.
func printable(name string) string {
	q := strconv.Quote(name)
	if len(q) > 2 {
		return q[1 : len(q)-1]
	}
	return q
}

// typeName describes the Go type a JSON value should have had, in JSON words.
func typeName(e *json.UnmarshalTypeError) string {
	switch k := e.Type.Kind().String(); {
	case strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint"):
		if strings.HasPrefix(e.Value, "number") {
			return "a whole number in range"
		}
		return "a whole number"
	case strings.HasPrefix(k, "float"):
		return "a number"
	case k == "bool":
		return "true or false"
	case k == "string":
		return "a string"
	case k == "slice" || k == "array":
		return "an array"
	case k == "struct" || k == "map":
		return "an object"
	default:
		return fmt.Sprintf("a %s", e.Type)
	}
}
