package accounts

import (
	"strings"
	"testing"
)

func TestPasswordHashAndVerify(t *testing.T) {
	h, err := HashPassword("mật khẩu dài", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash = %q", h)
	}
	if h2, _ := HashPassword("mật khẩu dài", cheap); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	if ok, err := VerifyPassword("mật khẩu dài", h); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, err := VerifyPassword("mật khẩu dai", h); ok || err != nil {
		t.Errorf("wrong password: %v %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5"} {
		if ok, err := VerifyPassword("x", bad); ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
	if _, err := HashPassword("x", PasswordParams{}); err == nil {
		t.Error("zero parameters accepted")
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, ok := range map[string]bool{"1234567": false, "12345678": true, "mậtkhẩu1": true, "Binh.Minh": false,
		strings.Repeat("x", MaxPasswordLen+1): false} {
		if err := CheckPassword("binh.minh", pw); (err == nil) != ok {
			t.Errorf("CheckPassword(%q) = %v", pw, err)
		}
	}
	if err := CheckPassword("an", "1234"); err == nil || !strings.Contains(err.Error(), " / ") {
		t.Errorf("message %v is not Vietnamese / English", err)
	}
}

func TestValidateUserName(t *testing.T) {
	for name, ok := range map[string]bool{"an": true, "binh.minh": true, "truong-khu_10": true, "a": false, "An": false,
		"9an": false, "bình": false, "an an": false, strings.Repeat("a", 33): false} {
		if err := ValidateUserName(name); (err == nil) != ok {
			t.Errorf("ValidateUserName(%q) = %v", name, err)
		}
	}
}

// cheap argon2id parameters keep tests fast.
var cheap = PasswordParams{Memory: 64, Time: 1, Threads: 1}
