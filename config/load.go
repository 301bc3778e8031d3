package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/viper"
)

// LoadOptions says where Load finds the file and the environment.
type LoadOptions struct {
	// Path is the config file to read. If empty, DefaultPath is read when it
	// exists, else only defaults and the environment apply.
	Path string
	// DefaultPath is the file tried when Path is empty. If empty, no file is
	// tried. Load uses the package's DefaultPath, /etc/hamlet/hamlet.yaml.
	DefaultPath string
	// Getenv looks up environment variables; os.Getenv in production, a map
	// in tests. If nil, the environment is not consulted. An empty value
	// counts as unset.
	Getenv func(string) string
}

// ParseError is a config file that could not be read or is not valid YAML.
// Its message names the file and, for syntax errors, the line.
type ParseError struct {
	// Path is the file.
	Path string
	// Reason is the human message, Vietnamese then English, e.g.
	// "tệp YAML không hợp lệ / invalid YAML: line 3: did not find expected key".
	Reason string
	// Err is the underlying read or YAML error.
	Err error
}

// Error returns "<path>: <reason>".
func (e *ParseError) Error() string {
	return e.Path + ": " + e.Reason
}

// Unwrap returns the underlying read or YAML error.
func (e *ParseError) Unwrap() error { return e.Err }

// Load reads the config file at path (or DefaultPath when path is empty and
// that file exists), applies HAMLET_* overrides looked up with getenv, fills
// derived defaults (mqtt.client_id "hamletd-<area id>", zone and device names)
// and validates. See LoadWith.
func Load(path string, getenv func(string) string) (Config, error) {
	return LoadWith(LoadOptions{Path: path, DefaultPath: DefaultPath, Getenv: getenv})
}

// LoadWith loads a Config as described by opts. Values come, weakest first,
// from Default, the file, then the environment (HAMLET_<SECTION>_<KEY> for
// every key in ScalarKeys). It returns a *ParseError when the file cannot be
// read or parsed, and a *ValidationError listing every problem at once
// (wrong types, unknown keys, invalid values) otherwise; the returned Config
// then holds what could be decoded, on top of defaults.
func LoadWith(opts LoadOptions) (Config, error) {
	path, err := FindFile(opts.Path, opts.DefaultPath)
	if err != nil {
		return Default(), err
	}
	file := viper.New()
	file.SetConfigType("yaml")
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return Default(), fileError(path, err)
		}
		if err := file.ReadConfig(bytes.NewReader(data)); err != nil {
			return Default(), &ParseError{Path: path, Reason: yamlReason(err), Err: err}
		}
	}
	env, fromEnv := envLayer(opts.Getenv)

	cfg := Default()
	cfg.MQTT.ClientID = "" // derived from the area id after decoding
	// The file and then the environment are decoded onto the defaults, one
	// after the other, so that an override cannot hide a mistake in the file.
	var filePs, envPs problems
	decodeLayer(file, &cfg, &filePs)
	decodeLayer(env, &cfg, &envPs)
	cfg.fillDerived()
	decoded := append(filePs, envPs.from(fromEnv)...)
	checked := withoutDecoded(cfg.check(), decoded).from(fromEnv)
	return cfg, append(decoded, checked...).err()
}

// from notes on each problem whose key was set by an environment variable
// which variable it was.
func (ps problems) from(env map[string]string) problems {
	for i := range ps {
		if name, ok := env[ps[i].Key]; ok {
			ps[i].Message += " (from " + name + ")"
		}
	}
	return ps
}

// decodeLayer decodes one viper's settings onto cfg, recording unknown keys
// and values of the wrong type.
func decodeLayer(v *viper.Viper, cfg *Config, ps *problems) {
	settings := v.AllSettings()
	unknownKeys(settings, configType, "", ps)
	if err := v.Unmarshal(cfg, decoderOptions); err != nil {
		decodeProblems(err, settings, ps)
	}
}

// FindFile returns the config file to read: path if set (an error if it
// does not exist), else defaultPath if that exists, else "" (defaults only).
func FindFile(path, defaultPath string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fileError(path, err)
		}
		return path, nil
	}
	if defaultPath == "" {
		return "", nil
	}
	if _, err := os.Stat(defaultPath); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", nil
		}
		return "", fileError(defaultPath, err)
	}
	return defaultPath, nil
}

// fileError explains why path cannot be read without repeating the path.
func fileError(path string, err error) *ParseError {
	if errors.Is(err, fs.ErrNotExist) {
		return &ParseError{Path: path, Reason: "không tìm thấy tệp cấu hình / config file not found", Err: err}
	}
	reason := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		reason = pe.Err.Error()
	}
	return &ParseError{Path: path, Reason: "không đọc được tệp cấu hình / cannot read config file: " + reason, Err: err}
}

// envLayer returns a viper holding every scalar key whose HAMLET_* variable
// is non-empty, and the variables used, by key.
func envLayer(getenv func(string) string) (*viper.Viper, map[string]string) {
	v := viper.New()
	used := map[string]string{}
	if getenv == nil {
		return v, used
	}
	for _, key := range ScalarKeys() {
		name := EnvName(key)
		if val := getenv(name); val != "" {
			v.Set(key, val)
			used[key] = name
		}
	}
	return v, used
}

// yamlReason turns viper's YAML error into "invalid YAML: line N: ...".
func yamlReason(err error) string {
	var pe viper.ConfigParseError
	if errors.As(err, &pe) && pe.Unwrap() != nil {
		err = pe.Unwrap()
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
	msg = strings.ReplaceAll(msg, "\n  ", "; ")
	msg = strings.ReplaceAll(msg, "into map[string]interface {}", "into the top level, which must be a mapping of sections")
	return "tệp YAML không hợp lệ / invalid YAML: " + msg
}

// withoutDecoded drops validation problems about keys that already have a
// decoding problem (or sit below one), so each bad value is reported once.
func withoutDecoded(check, decoded problems) problems {
	var out problems
next:
	for _, p := range check {
		for _, d := range decoded {
			if p.Key == d.Key || strings.HasPrefix(p.Key, d.Key+".") || strings.HasPrefix(p.Key, d.Key+"[") {
				continue next
			}
		}
		out = append(out, p)
	}
	return out
}
