// Package uptime computes the uptime and outage reports commune staff review:
// per device the time up, down, unknown (the daemon, its broker link or the
// box was down, or the device's first report is still awaited) and in
// planned maintenance; uptime % = up / (up + down); outages with their cause,
// MTTR and MTBF; rollups per zone, kind and area; the SLO per kind and the
// devices that breach it; a daily breakdown in the area's timezone.
//
// The arithmetic (Builder) is pure and streaming: transitions are fed one
// device at a time in time order and never held for the whole period. The
// sources that feed it are the local store (Local) and, across the areas of
// a commune, InfluxDB (Influx).
package uptime
