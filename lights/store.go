package lights

import (
	"context"

	"github.com/hamlet-vn/hamlet/store"
)

// DBStore keeps desired states in the daemon's SQLite store (table light_desired).
type DBStore struct{ DB *store.DB }

// SaveDesired implements Store.
func (s DBStore) SaveDesired(ctx context.Context, d Desired) error {
	return s.DB.SaveLightDesired(ctx, store.LightDesired{Device: d.Light, On: d.On, Brightness: d.Brightness,
		Override: d.Override, By: d.By, Until: d.Until, At: d.At})
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

var _ Store = DBStore{}
