package telemetry

import dto "github.com/prometheus/client_model/go"

// SpoolStats returns the bytes waiting in the spool for InfluxDB and the
// points the writer has dropped for good (spool full or corrupt); the alerts
// watcher reads them.
func (w *Writer) SpoolStats() (waiting int64, dropped uint64) {
	for _, reason := range []string{dropSpoolFull, dropSpoolCorrupt} {
		var m dto.Metric
		if w.m.dropped.WithLabelValues(reason).Write(&m) == nil {
			dropped += uint64(m.GetCounter().GetValue())
		}
	}
	return w.spoolBytes(), dropped
}
