package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// requestTypes are the JSON bodies the API decodes.
var requestTypes = map[string]func() any{
	"command":      newBody[commandBody],
	"announcement": newBody[AnnouncementRequest],
	"schedule":     newBody[scheduleBody],
	"maintenance":  newBody[maintenanceBody],
	"login":        newBody[loginRequest],
	"user":         newBody[userCreateRequest],
	"user-update":  newBody[userUpdateRequest],
	"password":     newBody[passwordRequest],
	"token":        newBody[tokenCreateRequest],
}

// FuzzDecodeJSON feeds arbitrary bodies to the request decoding of every
// request type: it must never panic, and must either accept the body or
// answer a 4xx whose message names the field at fault.
func FuzzDecodeJSON(f *testing.F) {
	files, _ := filepath.Glob("testdata/requests/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "null", "[]", `{"set":{"on":"yes"}}`, `{"zzz":1}`, `{"target":{"devices":"den-a1"}}`,
		`{"repeat":-1}`, `{"volume":1e20}`, `{"a":1}{"b":2}`, `{"title":"\ud800"}`, strings.Repeat("[", 20000)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for name, newReq := range requestTypes {
			req := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, 4096)
			e := decodeJSON(req, newReq())
			if e == nil {
				continue
			}
			if e.Status < 400 || e.Status > 499 || e.Code == "" || !strings.Contains(e.Message, " / ") {
				t.Fatalf("%s: %q gave %+v", name, body, e)
			}
			switch e.Code {
			case codeUnknownField, codeBadType, codeInvalid:
				leaf := e.Field[strings.LastIndex(e.Field, ".")+1:]
				if i := strings.Index(leaf, "["); i > 0 {
					leaf = leaf[:i]
				}
				if e.Field == "" || !strings.Contains(e.Message, leaf) {
					t.Fatalf("%s: %q: message %q does not name field %q", name, body, e.Message, e.Field)
				}
			}
		}
	})
}
