package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/hamlet-vn/hamlet/web/ui"
)

// langCookie remembers the language chosen before signing in.
const langCookie = "hamlet_lang"

// page is what every page template renders: the caller, the language, the
// navigation and the page's own Data.
type page struct {
	Lang, L     ui.Lang
	User        User
	Page, Title string // the page's name (nav and script) and its title key
	Path        string // the request path, for the language switch
	Nav         []navItem
	Msgs        map[string]string // the script's messages in Lang
	Version     string            // of the static assets, for cache busting
	RoleLabel   string            // the caller's role, as a message key
	Next        string            // login: where to go after signing in
	Unavailable bool              // login: the store is not open
	Data        any
}

// navItem is one tab of the navigation.
type navItem struct{ Path, Page, Label string }

// uiAssets are the parsed templates and the static files, loaded once.
type uiAssets struct {
	once    sync.Once
	err     error
	pages   map[string]*template.Template
	files   map[string]staticFile
	version string
}

// staticFile is an embedded asset, kept plain and gzipped.
type staticFile struct {
	body, gz []byte
	ctype    string
}

// assets loads the templates and static files on first use.
func (s *Server) assets() (*uiAssets, error) {
	a := s.ui
	a.once.Do(func() {
		if a.pages, a.err = ui.Pages(); a.err != nil {
			return
		}
		a.files = map[string]staticFile{}
		h := sha256.New()
		a.err = fs.WalkDir(ui.Static(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(ui.Static(), p)
			if err != nil {
				return err
			}
			h.Write(b)
			a.files[p] = staticFile{body: b, gz: gzipped(b), ctype: contentType(p)}
			return nil
		})
		a.version = hex.EncodeToString(h.Sum(nil))[:10]
	})
	return a, a.err
}

// pageGuard authenticates a page request: a signed-out caller (or one whose
// session ended) is sent to the login at "/" and back here afterwards; a
// caller below the page's role gets a plain refusal page.
func (s *Server) pageGuard(pr pageRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r.Context()).route = pr.method + " " + pr.path
		p := &page{Path: r.URL.Path}
		if pr.role != rolePublic {
			if s.opts.Store == nil {
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			}
			u, e := s.authenticate(w, r)
			if e != nil {
				http.Redirect(w, r, "/?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if !u.Role.AtLeast(pr.role) {
				s.fillPage(r, p, u, "forbidden", "Không có quyền")
				s.render(w, r, http.StatusForbidden, p)
				return
			}
			p.User = u
			infoFrom(r.Context()).user = u.Name
		}
		pr.handle(w, r, p)
	}
}

// fillPage sets the language, navigation and messages of p for u.
func (s *Server) fillPage(r *http.Request, p *page, u User, name, title string) {
	p.User, p.Page, p.Title = u, name, title
	p.Lang = s.langOf(r, u)
	p.L = p.Lang
	p.Msgs = jsMessages(p.Lang)
	if u.Name == "" {
		return
	}
	p.RoleLabel = map[Role]string{RoleAdmin: "Quản trị viên", RoleOperator: "Điều hành", RoleViewer: "Chỉ xem"}[u.Role]
	p.Nav = []navItem{{"/", "overview", "Tổng quan"}, {"/lights", "lights", "Đèn"}, {"/speakers", "speakers", "Loa"},
		{"/cameras", "cameras", "Camera"}, {"/reports", "reports", "Báo cáo"}, {"/audit", "audit", "Nhật ký"}}
	if u.Role == RoleAdmin {
		p.Nav = append(p.Nav, navItem{"/users", "users", "Người dùng"})
	}
}

// langOf is the caller's language: the one stored for a signed-in user,
// else the language cookie, else Vietnamese.
func (s *Server) langOf(r *http.Request, u User) ui.Lang {
	if u.UserID != 0 && s.opts.Store != nil {
		if l, err := s.opts.Store.UserLang(r.Context(), u.UserID); err == nil && l != "" {
			return ui.ParseLang(l)
		} else if err != nil {
			s.opts.Logger.Warn("user language lookup failed", "user", u.Name, "err", err)
		}
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return ui.ParseLang(c.Value)
	}
	return ui.Vietnamese
}

// render writes page p with status, gzipped when the client accepts it.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, p *page) {
	a, err := s.assets()
	if err != nil {
		s.opts.Logger.Error("ui templates unusable", "err", err)
		http.Error(w, "Lỗi máy chủ / server error", http.StatusInternalServerError)
		return
	}
	p.Version = a.version
	t, ok := a.pages[p.Page]
	if !ok {
		s.opts.Logger.Error("ui page has no template", "page", p.Page)
		http.Error(w, "Lỗi máy chủ / server error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.opts.Logger.Error("ui page render failed", "page", p.Page, "err", err)
		http.Error(w, "Lỗi máy chủ / server error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
	writeMaybeGzip(w, r, status, buf.Bytes(), nil)
}

// writeMaybeGzip writes body, or gz (computed when nil) to a client that
// accepts gzip.
func writeMaybeGzip(w http.ResponseWriter, r *http.Request, status int, body, gz []byte) {
	w.Header().Add("Vary", "Accept-Encoding")
	if len(body) > 512 && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		if gz == nil {
			gz = gzipped(body)
		}
		w.Header().Set("Content-Encoding", "gzip")
		body = gz
	}
	w.WriteHeader(status)
	w.Write(body)
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func contentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".js"):
		return "text/javascript; charset=utf-8"
	case strings.HasSuffix(name, ".css"):
		return "text/css; charset=utf-8"
	case strings.HasSuffix(name, ".svg"):
		return "image/svg+xml"
	case strings.HasSuffix(name, ".png"):
		return "image/png"
	case strings.HasSuffix(name, ".webmanifest"):
		return "application/manifest+json"
	}
	return "application/octet-stream"
}

// localPath returns p when it is a path on this server ("/…", not "//…"),
// else "/": redirects never leave the site.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/"
	}
	return p
}
