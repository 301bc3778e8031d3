package telemetry

import "github.com/influxdata/influxdb-client-go/v2/api/write"

// Point is an InfluxDB point built by this package's constructors
// (CommandPoint, AnnouncementPoint, ...). Other packages only pass points on
// to a Writer, so the InfluxDB client stays inside telemetry and uptime.
type Point = write.Point
