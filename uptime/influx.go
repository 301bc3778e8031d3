package uptime

import "context"

// InfluxOptions locate InfluxDB: the same keys as the daemon's influx section.
type InfluxOptions struct {
	URL, Token, Org, Bucket string
}

// Influx computes reports from InfluxDB, across the areas of a commune.
type Influx struct {
	opts InfluxOptions
}

// NewInflux returns an Influx source; it has no side effects.
func NewInflux(opts InfluxOptions) *Influx { return &Influx{opts: opts} }

func (i *Influx) run(ctx context.Context, q Query, p Params) (*Builder, error) {
	return nil, &ServiceError{Service: "InfluxDB", Err: errNotConfigured}
}
