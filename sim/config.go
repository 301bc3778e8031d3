package sim

import (
	"fmt"
	"io"
	"strconv"
)

// WriteConfig writes the zones and devices sections of a hamletd config
// (YAML) that declare the fleet's devices, so a daemon can be pointed at the
// simulated area. The daemon's area.id and mqtt.topic_prefix must be the
// Spec's Area and Prefix, which a comment says.
func (f *Fleet) WriteConfig(w io.Writer) error {
	spec := f.env.spec
	q := strconv.Quote
	_, err := fmt.Fprintf(w, "# Khu mô phỏng / simulated area: area.id: %s, mqtt.topic_prefix: %s, timezone %s\nzones:\n",
		spec.Area, spec.Prefix, spec.Timezone)
	if err != nil {
		return err
	}
	for _, z := range spec.Zones {
		if _, err := fmt.Fprintf(w, "  - {id: %s, name: %s}\n", q(z), q(z)); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintln(w, "devices:"); err != nil {
		return err
	}
	for _, d := range f.list {
		line := fmt.Sprintf("  - {id: %s, name: %s, kind: %s, zone: %s, protocol: %s", q(d.ID), q(d.Name), d.Kind,
			q(d.Zone), d.Protocol)
		if d.Topic != "" {
			line += ", topic: " + q(d.Topic)
		}
		if d.FullTopic != "" {
			line += ", full_topic: " + q(d.FullTopic)
		}
		if _, err := fmt.Fprintln(w, line+"}"); err != nil {
			return err
		}
	}
	return nil
}
