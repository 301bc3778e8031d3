package lights

import (
	"context"

	"github.com/hamlet-vn/hamlet/store"
)

// DBStore keeps desired states in the daemon's SQLite store (table light_desired).
type DBStore struct{ DB *store.DB }

// SaveDesired implements Store.
func (s DBStore) SaveDesired(ctx context.Context, ds []Desired) error {
	rows := make([]store.LightDesired, len(ds))
	for i, d := range ds {
		rows[i] = store.LightDesired{Device: d.Light, On: d.On, Brightness: d.Brightness,
			Override: d.Override, By: d.By, Until: d.Until, At: d.At}
	}
	return s.DB.SaveLightDesired(ctx, rows)
}

// LoadDesired implements Store.
func (s DBStore) LoadDesired(ctx context.Context) ([]Desired, error) {
	rows, err := s.DB.LightDesiredAll(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Desired, 0, len(rows))
	for _, r := range rows {
		out = append(out, Desired{Light: r.Device, On: r.On, Brightness: r.Brightness,
			Override: r.Override, By: r.By, Until: r.Until, At: r.At})
	}
	return out, nil
}

// AddBurn implements BurnStore.
func (s DBStore) AddBurn(ctx context.Context, days []BurnDay) error {
	rows := make([]store.LightBurn, len(days))
	for i, d := range days {
		rows[i] = store.LightBurn{Device: d.Light, Day: d.Day, Zone: d.Zone, OnSeconds: d.OnSeconds, EnergyKWh: d.EnergyKWh}
	}
	return s.DB.AddLightBurn(ctx, rows)
}

// Burns implements BurnStore.
func (s DBStore) Burns(ctx context.Context, from, to string) ([]BurnDay, error) {
	rows, err := s.DB.LightBurns(ctx, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]BurnDay, len(rows))
	for i, r := range rows {
		out[i] = BurnDay{Light: r.Device, Zone: r.Zone, Day: r.Day, OnSeconds: r.OnSeconds, EnergyKWh: r.EnergyKWh}
	}
	return out, nil
}

var (
	_ Store     = DBStore{}
	_ BurnStore = DBStore{}
)
