package bench

import (
	"fmt"
	"io"
	"net/http"
	"os"
)

// DebugArgs returns the arguments that start hamletd with its debug
// listener (--debug-listen) on a free loopback port, and that port.
func DebugArgs() ([]string, int, error) {
	port, err := FreePort()
	if err != nil {
		return nil, 0, err
	}
	return []string{"--debug-listen", fmt.Sprintf("127.0.0.1:%d", port)}, port, nil
}

// SaveProfile asks hamletd's debug listener on port for a profile
// (/debug/pprof/NAME, e.g. "profile?seconds=8" or "allocs") and writes it
// to path.
func SaveProfile(port int, name, path string) error {
	url := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/%s", port, name)
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
