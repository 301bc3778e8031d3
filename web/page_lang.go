package web

import (
	"net/http"

	"github.com/hamlet-vn/hamlet/web/ui"
)

// langSet is POST /lang (a form: lang, back): it remembers the language in
// a cookie and, for a signed-in user, in the store, then returns to back.
func (s *Server) langSet(w http.ResponseWriter, r *http.Request, _ *page) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Biểu mẫu không hợp lệ / bad form", http.StatusBadRequest)
		return
	}
	lang := ui.ParseLang(r.PostForm.Get("lang"))
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	if s.opts.Store != nil {
		if u, e := s.identify(r); e == nil && u.UserID != 0 {
			if err := s.opts.Store.SetUserLang(r.Context(), u.UserID, string(lang)); err != nil {
				s.opts.Logger.Error("user language not stored", "user", u.Name, "err", err)
			}
		}
	}
	http.Redirect(w, r, localPath(r.PostForm.Get("back")), http.StatusSeeOther)
}
