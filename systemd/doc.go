// Package systemd holds hamletd's systemd unit, hamletd.service, and an example
// of its environment file, hamletd.env.example. It has no Go code to import:
// its tests check the unit with systemd-analyze, keeping its security exposure
// at 2.0 or lower and every sandbox line explained by a comment.
package systemd
