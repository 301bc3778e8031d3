package deps

import "strings"

// Module is the repository's module path.
const Module = "github.com/hamlet-vn/hamlet"

// Package is what the rules need of one listed package (the fields of
// `go list -json` with the same names).
type Package struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// Rule restricts who may import what.
type Rule struct {
	// Name says the rule in a few words; violations quote it.
	Name string
	// About reports whether an import is restricted by the rule.
	About func(imp string) bool
	// May reports whether pkg (a path relative to Module) may import it.
	May func(pkg string) bool
	// Tests holds test files to the rule too.
	Tests bool
}

// Rules are the repository's dependency rules.
var Rules = []Rule{
	{
		Name:  "devices/... (the domain) imports only the standard library and devices/...",
		About: func(imp string) bool { return !standard(imp) && !under(imp, Module+"/devices") },
		May:   func(pkg string) bool { return !under(pkg, "devices") },
		Tests: true,
	},
	{
		Name:  "viper only in config",
		About: func(imp string) bool { return under(imp, "github.com/spf13/viper") },
		May:   func(pkg string) bool { return pkg == "config" },
		Tests: true,
	},
	{
		// Tests may use a real paho client: they play the devices.
		Name:  "paho only in mqttlink, sim and bench/...",
		About: func(imp string) bool { return under(imp, "github.com/eclipse/paho.mqtt.golang") },
		May: func(pkg string) bool {
			return under(pkg, "mqttlink") || under(pkg, "sim") || under(pkg, "bench")
		},
	},
	{
		Name:  "the InfluxDB client only in telemetry and uptime",
		About: func(imp string) bool { return under(imp, "github.com/influxdata/influxdb-client-go") },
		May:   func(pkg string) bool { return under(pkg, "telemetry") || under(pkg, "uptime") },
	},
	{
		Name:  "internal/testutil only in tests (and internal/testsvc, itself test support)",
		About: func(imp string) bool { return imp == Module+"/internal/testutil" },
		May:   func(pkg string) bool { return pkg == "internal/testsvc" },
	},
}

// Violation is one import that breaks a rule.
type Violation struct {
	Package, Import, Rule string
	Test                  bool // the import is in a test file
}

func (v Violation) String() string {
	where := v.Package
	if v.Test {
		where += " (tests)"
	}
	return where + " imports " + v.Import + ": " + v.Rule
}

// Check returns every import of pkgs that breaks one of rules.
func Check(pkgs []Package, rules []Rule) []Violation {
	var out []Violation
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, Module), "/")
		for _, r := range rules {
			if r.May(rel) {
				continue
			}
			for _, imp := range p.Imports {
				if r.About(imp) {
					out = append(out, Violation{Package: rel, Import: imp, Rule: r.Name})
				}
			}
			if !r.Tests {
				continue
			}
			for _, imp := range append(append([]string(nil), p.TestImports...), p.XTestImports...) {
				if r.About(imp) && !under(imp, p.ImportPath) {
					out = append(out, Violation{Package: rel, Import: imp, Rule: r.Name, Test: true})
				}
			}
		}
	}
	return out
}

// standard reports whether imp is in the standard library: its first
// element has no dot.
func standard(imp string) bool {
	first, _, _ := strings.Cut(imp, "/")
	return !strings.Contains(first, ".")
}

// under reports whether path is root or below it.
func under(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+"/")
}
