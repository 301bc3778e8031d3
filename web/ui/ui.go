// Package ui holds the phone UI's templates, static assets and messages,
// embedded in the binary. The web package renders them; nothing here
// touches HTTP or the device registry.
package ui

import (
	"embed"
	"html/template"
	"io/fs"
	"path"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

// Static returns the static assets (app.js, app.css, icons, manifest), at
// the root of the returned file system.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the embedded directory exists: a build error otherwise
	}
	return sub
}

// Pages parses every page template with the layout: the result maps a page
// name ("overview", "lights", …) to a template whose "layout" renders it.
func Pages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templates, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "layout.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templates, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		out[base[:len(base)-len(".html")]] = t
	}
	return out, nil
}

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	"deref": func(b *bool) bool { return b != nil && *b },
	"pct": func(part, whole float64) float64 {
		if whole <= 0 {
			return 0
		}
		return 100 * part / whole
	},
}
