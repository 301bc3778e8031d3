package deps

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pending are known violations, each with what removes it. An entry that no
// longer happens fails the test, so that it is deleted with the fix.
var pending = map[string]string{}

// mustExist are packages a listing of the repository must contain: a listing
// without them is broken, not clean.
var mustExist = []string{"devices", "devices/protocols", "config", "mqttlink", "telemetry", "daemon", "cmd/hamletd"}

// TestRepositoryDependencies checks every package of the module against Rules.
func TestRepositoryDependencies(t *testing.T) {
	pkgs := list(t)
	var seen []string
	for _, p := range pkgs {
		seen = append(seen, strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, Module), "/"))
	}
	for _, want := range mustExist {
		if !slices.Contains(seen, want) {
			t.Fatalf("go list did not list %s (listed %d packages): the listing is broken", want, len(pkgs))
		}
	}
	used := map[string]bool{}
	for _, v := range Check(pkgs, Rules) {
		key := v.Package + " imports " + v.Import
		if why, ok := pending[key]; ok && !v.Test {
			used[key] = true
			t.Logf("known, pending: %s (%s)", v, why)
			continue
		}
		t.Errorf("%s", v)
	}
	for key, why := range pending {
		if !used[key] {
			t.Errorf("pending exemption %q (%s) no longer happens: delete it from pending", key, why)
		}
	}
	t.Logf("%d packages checked against %d rules", len(pkgs), len(Rules))
}

// list returns every package of the module, as `go list -json ./...` run at
// the module root describes it. It fails the test when go list fails,
// reports a package error or lists nothing.
func list(t *testing.T) []Package {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == "/dev/null" {
		t.Fatalf("cannot find the module root: go env GOMOD = %q, %v", gomod, err)
	}
	cmd := exec.Command("go", "list", "-e", "-json=ImportPath,Imports,TestImports,XTestImports,Doc,GoFiles,Error", "./...")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./... in %s: %v\n%s", cmd.Dir, err, stderr.String())
	}
	pkgs, err := decode(out)
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

// listed is one package of go list's output.
type listed struct {
	Package
	Doc     string
	GoFiles []string
	Error   *struct{ Err string }
}

// decode reads go list's stream of JSON objects. A package with an error or
// without a package comment, or no package at all, is an error.
func decode(out []byte) ([]Package, error) {
	var pkgs []Package
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errors.New("go list output: " + err.Error())
		}
		if p.Error != nil {
			return nil, errors.New("go list: package " + p.ImportPath + ": " + p.Error.Err)
		}
		if len(p.GoFiles) > 0 && p.Doc == "" {
			return nil, errors.New("package " + p.ImportPath + " has no package comment")
		}
		pkgs = append(pkgs, p.Package)
	}
	if len(pkgs) == 0 {
		return nil, errors.New("go list listed no packages")
	}
	return pkgs, nil
}

// TestRulesCatchViolations breaks each rule in a fake listing and requires
// Check to say so, and passes a listing that keeps every rule.
func TestRulesCatchViolations(t *testing.T) {
	const m = Module + "/"
	tests := []struct {
		name string
		pkg  Package
		want string // a rule name prefix; "" for no violation
	}{
		{"domain imports paho", Package{ImportPath: m + "devices/shelly", Imports: []string{"strings", "github.com/eclipse/paho.mqtt.golang"}}, "devices/..."},
		{"domain imports the store", Package{ImportPath: m + "devices", Imports: []string{m + "store"}}, "devices/..."},
		{"domain test imports testify", Package{ImportPath: m + "devices/hass", TestImports: []string{"github.com/stretchr/testify/assert"}}, "devices/..."},
		{"viper outside config", Package{ImportPath: m + "daemon", Imports: []string{"github.com/spf13/viper"}}, "viper"},
		{"paho in web", Package{ImportPath: m + "web", Imports: []string{"github.com/eclipse/paho.mqtt.golang/packets"}}, "paho"},
		{"influx in ingest", Package{ImportPath: m + "ingest", Imports: []string{"github.com/influxdata/influxdb-client-go/v2"}}, "the InfluxDB client"},
		{"testutil in production", Package{ImportPath: m + "daemon", Imports: []string{m + "internal/testutil"}}, "internal/testutil"},
		{"clean domain", Package{ImportPath: m + "devices/native", Imports: []string{"strings", m + "devices", m + "devices/internal/jsonfield"}, XTestImports: []string{m + "devices/native", "testing"}}, ""},
		{"paho in mqttlink", Package{ImportPath: m + "mqttlink", Imports: []string{"github.com/eclipse/paho.mqtt.golang"}}, ""},
		{"paho in a daemon test", Package{ImportPath: m + "daemon", XTestImports: []string{"github.com/eclipse/paho.mqtt.golang"}}, ""},
		{"influx in uptime", Package{ImportPath: m + "uptime/flux", Imports: []string{"github.com/influxdata/influxdb-client-go/v2/api"}}, ""},
		{"testutil in a test", Package{ImportPath: m + "ingest", TestImports: []string{m + "internal/testutil"}}, ""},
	}
	for _, tt := range tests {
		got := Check([]Package{tt.pkg}, Rules)
		found := slices.ContainsFunc(got, func(v Violation) bool { return strings.HasPrefix(v.Rule, tt.want) })
		switch {
		case tt.want == "" && len(got) > 0:
			t.Errorf("%s: unexpected %v", tt.name, got)
		case tt.want != "" && !found:
			t.Errorf("%s: got %v, want a violation of %q", tt.name, got, tt.want)
		}
	}
}

// TestListingMustNotBeEmpty checks that an empty or failed listing is an
// error, not a pass.
func TestListingMustNotBeEmpty(t *testing.T) {
	if _, err := decode(nil); err == nil {
		t.Error("an empty listing passed")
	}
	if _, err := decode([]byte(`{"ImportPath":"x","Error":{"Err":"no Go files"}}`)); err == nil {
		t.Error("a listing with a package error passed")
	}
	if _, err := decode([]byte(`{"ImportPath":`)); err == nil {
		t.Error("truncated output passed")
	}
	if _, err := decode([]byte(`{"ImportPath":"x","GoFiles":["x.go"]}`)); err == nil {
		t.Error("a package without a package comment passed")
	}
	pkgs, err := decode([]byte(`{"ImportPath":"a","Imports":["fmt"]}{"ImportPath":"b"}`))
	if err != nil || len(pkgs) != 2 || pkgs[0].Imports[0] != "fmt" {
		t.Errorf("decode = %+v, %v", pkgs, err)
	}
}
