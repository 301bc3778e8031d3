package telemetry

import (
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api/write"

	"github.com/hamlet-vn/hamlet/devices"
)

// Measurements of the lights capability (docs/influx-schema.md).
const (
	MeasurementLightBurn  = "light_burn"  // one point per light and day: hours_on, energy_kwh
	MeasurementLightFault = "light_fault" // one point per fault raised (active 1) or cleared (0); tag fault
)

// LightBurnPoint returns the burning hours and energy of light d in area on
// day (its local midnight).
func LightBurnPoint(area string, d devices.Device, hoursOn, energyKWh float64, day time.Time) *Point {
	p := write.NewPointWithMeasurement(MeasurementLightBurn)
	addTags(p, area, d, devices.Light)
	p.AddField("energy_kwh", energyKWh)
	p.AddField("hours_on", hoursOn)
	return p.SortTags().SetTime(day)
}

// LightFaultPoint returns the point of lamp fault f of light d raised
// (active) or cleared at time at.
func LightFaultPoint(area string, d devices.Device, fault string, active bool, at time.Time) *Point {
	p := write.NewPointWithMeasurement(MeasurementLightFault)
	addTags(p, area, d, d.Kind)
	addTag(p, "fault", fault)
	var v int64
	if active {
		v = 1
	}
	p.AddField("active", v)
	return p.SortTags().SetTime(at)
}
