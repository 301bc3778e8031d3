package daemon

import "github.com/prometheus/client_golang/prometheus"

// buildInfo is the constant hamlet_build_info gauge.
func buildInfo(version, area string) prometheus.Collector {
	g := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "hamlet_build_info",
		Help:        "hamletd's version and area; always 1.",
		ConstLabels: prometheus.Labels{"version": version, "area": area},
	})
	g.Set(1)
	return g
}
