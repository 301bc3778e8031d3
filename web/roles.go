package web

import "github.com/hamlet-vn/hamlet/accounts"

// Role and User are the accounts package's; the aliases keep handlers short.
type (
	Role = accounts.Role
	User = accounts.User
)

// The roles, as named in the route table.
const (
	RoleViewer   = accounts.RoleViewer
	RoleOperator = accounts.RoleOperator
	RoleAdmin    = accounts.RoleAdmin
	rolePublic   = accounts.RolePublic
)

// Roles lists every role, lowest first.
func Roles() []Role { return accounts.Roles() }

// ParseRole returns the Role named s, or an error naming s.
func ParseRole(s string) (Role, error) { return accounts.ParseRole(s) }
