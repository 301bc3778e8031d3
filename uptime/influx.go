package uptime

import "context"

// Influx computes reports from InfluxDB, across the areas of a commune.
type Influx struct{}

func (i *Influx) run(ctx context.Context, q Query, p Params) (*Builder, error) {
	return nil, &ServiceError{Service: "InfluxDB", Err: errNotConfigured}
}
