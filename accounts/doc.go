// Package accounts owns who may use hamlet: users and their roles and zones,
// password hashing, sessions and API tokens. The HTTP layer (web) and the
// command line (hamletd user) both use it; it imports no HTTP code.
package accounts
