package accounts

import (
	"context"
	"fmt"
	"slices"

	"github.com/hamlet-vn/hamlet/store"
)

// InputError is a bad value of a named field (a JSON field, or the matching
// command-line argument). Its message is in Vietnamese then English.
type InputError struct {
	Field string
	Msg   string
}

// Error returns the message.
func (e *InputError) Error() string { return e.Msg }

// NewUser is what creating a user takes.
type NewUser struct {
	Name     string
	Role     string
	Zones    []string
	Password string
}

// ValidateUserName checks a user name: 2–32 characters of a-z, 0-9, '.',
// '_' and '-', starting with a letter. Names are compared ignoring case and
// stored as given here (lower case).
func ValidateUserName(name string) error {
	bad := len(name) < 2 || len(name) > 32 || name[0] < 'a' || name[0] > 'z'
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			bad = true
		}
	}
	if bad {
		return &InputError{Field: "name", Msg: fmt.Sprintf(
			"tên đăng nhập %q không hợp lệ: cần 2–32 ký tự a-z, 0-9, '.', '_' và '-', bắt đầu bằng một chữ cái / name %q: want 2–32 characters of a-z, 0-9, '.', '_' and '-', starting with a letter", name, name)}
	}
	return nil
}

// CheckRoleZones validates a role and its zones: zones only limit operators,
// and each must be one of known. It returns the role and the zones without
// repeats, or an *InputError.
func CheckRoleZones(role string, zones []string, known []string) (Role, []string, error) {
	r, err := ParseRole(role)
	if err != nil {
		return "", nil, &InputError{Field: "role", Msg: err.Error()}
	}
	if len(zones) > 0 && r != RoleOperator {
		return "", nil, &InputError{Field: "zones", Msg: fmt.Sprintf(
			"chỉ người điều hành mới giới hạn theo khu vực / zones apply only to the operator role, not %s", r)}
	}
	var out []string
	for _, z := range zones {
		if !slices.Contains(known, z) {
			return "", nil, &InputError{Field: "zones", Msg: fmt.Sprintf(
				"khu vực %q không có trong cấu hình / zones: unknown zone %q (declared: %v)", z, z, known)}
		}
		if !slices.Contains(out, z) {
			out = append(out, z)
		}
	}
	return r, out, nil
}

// CreateUser validates nu (its zones must be among known), hashes its
// password with p and stores the user. A taken name gives an error wrapping
// store.ErrExists; bad values give an *InputError.
func CreateUser(ctx context.Context, db *store.DB, nu NewUser, known []string, p PasswordParams) (store.User, error) {
	if err := ValidateUserName(nu.Name); err != nil {
		return store.User{}, err
	}
	role, zones, err := CheckRoleZones(nu.Role, nu.Zones, known)
	if err != nil {
		return store.User{}, err
	}
	if err := CheckPassword(nu.Name, nu.Password); err != nil {
		return store.User{}, &InputError{Field: "password", Msg: err.Error()}
	}
	hash, err := HashPassword(nu.Password, p)
	if err != nil {
		return store.User{}, err
	}
	return db.CreateUser(ctx, store.User{Name: nu.Name, Role: string(role), Zones: zones, PasswordHash: hash})
}

// SetUserPassword checks the password policy, hashes the new password with p
// and stores it; every session of the user ends. An unknown name gives an
// error wrapping store.ErrNotFound.
func SetUserPassword(ctx context.Context, db *store.DB, name, password string, p PasswordParams) error {
	if err := CheckPassword(name, password); err != nil {
		return &InputError{Field: "password", Msg: err.Error()}
	}
	hash, err := HashPassword(password, p)
	if err != nil {
		return err
	}
	return db.SetPassword(ctx, name, hash)
}

// UserChange is what updating a user may change; nil fields stay.
// Changing the role away from operator drops the zones unless Zones is given.
type UserChange struct {
	Role     *string
	Zones    *[]string
	Disabled *bool
}

// UpdateUser applies ch to the user name (zones must be among known).
// Disabling a user ends their sessions. An unknown name wraps
// store.ErrNotFound; demoting or disabling the last enabled admin wraps
// store.ErrLastAdmin; bad values give an *InputError.
func UpdateUser(ctx context.Context, db *store.DB, name string, ch UserChange, known []string) (store.User, error) {
	cur, err := db.UserByName(ctx, name)
	if err != nil {
		return store.User{}, err
	}
	role, zones := cur.Role, cur.Zones
	if ch.Role != nil {
		role = *ch.Role
		if role != string(RoleOperator) && ch.Zones == nil {
			zones = nil
		}
	}
	if ch.Zones != nil {
		zones = *ch.Zones
	}
	newRole, newZones, err := CheckRoleZones(role, zones, known)
	if err != nil {
		return store.User{}, err
	}
	rs := string(newRole)
	return db.UpdateUser(ctx, cur.Name, store.UserUpdate{Role: &rs, Zones: &newZones, Disabled: ch.Disabled})
}
