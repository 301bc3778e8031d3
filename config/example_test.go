package config

import (
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const examplePath = "hamlet.example.yaml"

func TestExampleLoads(t *testing.T) {
	cfg, err := load(t, examplePath, nil)
	if err != nil {
		t.Fatalf("the example has problems:\n%v", err)
	}
	protocols := map[string]bool{}
	for _, d := range cfg.Devices {
		protocols[d.Protocol] = true
	}
	for _, p := range []string{"tasmota", "frigate", "native", "esphome", "shelly", "zigbee2mqtt"} {
		if !protocols[p] {
			t.Errorf("the example has no %s device", p)
		}
	}
	if len(cfg.Zones) != 2 {
		t.Errorf("the example has %d zones, want 2", len(cfg.Zones))
	}
}

// TestExampleHasEveryKey walks Config's mapstructure tags and fails if the
// example file does not write a key, or its comments do not name its env var.
func TestExampleHasEveryKey(t *testing.T) {
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range allKeys() {
		if !hasKey(doc, strings.Split(key, ".")) {
			t.Errorf("the example does not set %s", key)
		}
	}
	for _, key := range ScalarKeys() {
		if !strings.Contains(string(data), EnvName(key)) {
			t.Errorf("the example does not name %s for %s", EnvName(key), key)
		}
	}
}

// hasKey reports whether doc holds the path; "name[]" matches when any list item has the rest.
func hasKey(doc any, path []string) bool {
	if len(path) == 0 {
		return true
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return false
	}
	name, isList := strings.CutSuffix(path[0], "[]")
	v, ok := m[name]
	if !ok {
		return false
	}
	if !isList {
		return hasKey(v, path[1:])
	}
	items, _ := v.([]any)
	for _, item := range items {
		if hasKey(item, path[1:]) {
			return true
		}
	}
	return false
}

// TestDocsCoverEveryKey keeps docs/configuration.md in step with Config.
func TestDocsCoverEveryKey(t *testing.T) {
	data, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, key := range allKeys() {
		if !strings.Contains(doc, "`"+key+"`") {
			t.Errorf("docs/configuration.md does not document `%s`", key)
		}
	}
	for _, key := range ScalarKeys() {
		if !strings.Contains(doc, EnvName(key)) {
			t.Errorf("docs/configuration.md does not name %s", EnvName(key))
		}
	}
	golden, err := os.ReadFile("testdata/bad-many.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(doc, string(golden)) {
		t.Error("docs/configuration.md does not quote testdata/bad-many.golden verbatim")
	}
}
