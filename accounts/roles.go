package accounts

import (
	"fmt"
	"slices"
)

// Role is what a user may do. Roles are ordered: an admin may do everything
// an operator may, and an operator everything a viewer may.
type Role string

// The roles.
const (
	// RoleViewer reads devices, uptime, reports and the audit log (commune staff).
	RoleViewer Role = "viewer"
	// RoleOperator also controls lights and speakers, sends announcements and
	// edits schedules, optionally only in the zones listed for the user (area heads).
	RoleOperator Role = "operator"
	// RoleAdmin also manages users and API tokens; never limited to zones.
	RoleAdmin Role = "admin"
	// RolePublic marks a route that needs no sign-in.
	RolePublic Role = ""
)

// Roles lists every role, lowest first.
func Roles() []Role { return []Role{RoleViewer, RoleOperator, RoleAdmin} }

// ParseRole returns the Role named s, or an error naming s.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles() {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("vai trò %q không tồn tại, hãy dùng \"admin\" (quản trị viên), \"operator\" (người điều hành) hoặc \"viewer\" (người xem) / unknown role %q (want admin, operator or viewer)", s, s)
}

// Vietnamese names the role for people: quản trị viên, người điều hành,
// người xem.
func (r Role) Vietnamese() string {
	switch r {
	case RoleViewer:
		return "người xem"
	case RoleOperator:
		return "người điều hành"
	case RoleAdmin:
		return "quản trị viên"
	}
	return "công khai"
}

// rank orders roles; RolePublic is below every role.
func (r Role) rank() int {
	switch r {
	case RoleViewer:
		return 1
	case RoleOperator:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// AtLeast reports whether r includes every right of min.
func (r Role) AtLeast(min Role) bool { return r.rank() >= min.rank() }

// User is who makes a request: a signed-in person or an API token.
type User struct {
	// Name is the user name, or "token:<name>" for an API token.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Zones limits an operator (or operator token) to these zones; empty means every zone.
	Zones []string `json:"zones"`
	// Auth is "session" or "token".
	Auth string `json:"auth"`

	// UserID is the store's user id (sessions).
	UserID int64 `json:"-"`
	// TokenID is the store's token id (tokens).
	TokenID int64 `json:"-"`
	// SessionID is the hash of the session id (sessions).
	SessionID string `json:"-"`
}

// AllZones reports whether u is limited to no zone.
func (u User) AllZones() bool { return len(u.Zones) == 0 }

// MayZone reports whether u may see and act on devices in zone. A device not
// yet assigned to a zone (zone "") is visible only to users limited to no zone.
func (u User) MayZone(zone string) bool {
	return u.AllZones() || (zone != "" && slices.Contains(u.Zones, zone))
}
