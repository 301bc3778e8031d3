package bilingual

import "testing"

func TestCheck(t *testing.T) {
	for msg, ok := range map[string]bool{
		"Không tìm thấy thiết bị / device not found":                                   true,
		`Thiết bị "den-01" không phải đèn / device "den-01" is a speaker, not a light`: true,
		"mqtt.username: cần đặt khi có mật khẩu / must be set with mqtt.password":      true,
		`vai trò "x" không tồn tại, hãy dùng "admin" / unknown role "x"`:               true,
		"Chức năng commands chưa sẵn sàng / commands is not available":                 false,
		"Thiết bị den-01 không phải light / den-01 is not a light":                     false,
		"cần đúng một đối số NAME / needs exactly one argument NAME":                   false,
		"device not found":                     false,
		"accepts 1 arg(s), received 0 / same":  false,
		"Không tìm thấy thiết bị":              false,
		" / device not found":                  false,
		"Khong co thiet bi / device not found": false,
	} {
		if err := Check(msg); (err == nil) != ok {
			t.Errorf("Check(%q) = %v, want ok=%v", msg, err, ok)
		}
	}
}
