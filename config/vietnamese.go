package config

import (
	"fmt"
	"strings"
)

// vietnamese holds the Vietnamese of every problem message, keyed by the
// English format given to problems.add (or, for "%s", by the whole
// message). A problem reads "Vietnamese / English". A Vietnamese format
// that needs only some of the arguments picks them with explicit indexes
// (%[2]s); one without verbs is used as it is. Suggestions ("did you mean")
// stay in the English half. TestEveryProblemFormatHasVietnamese keeps the
// table complete.
var vietnamese = map[string]string{
	// Values of the wrong type (decoding).
	"want a different type":                                     "sai kiểu dữ liệu",
	"want a duration such as 30s, 10m or 1h30m":                 "cần một khoảng thời gian như 30s, 10m hoặc 1h30m",
	"want a size such as 1GiB or 500MB":                         "cần một kích thước như 1GiB hoặc 500MB",
	"want a string":                                             "cần một chuỗi ký tự",
	"want true or false":                                        `cần "true" hoặc "false"`,
	"want a whole number":                                       "cần một số nguyên",
	"want a number":                                             "cần một số",
	"want a list":                                               "cần một danh sách",
	"want a mapping of keys to values":                          "cần một bảng khóa và giá trị",
	"too large for a whole number":                              "quá lớn so với một số nguyên",
	"invalid duration (want e.g. 30s, 10m or 1h30m)":            "khoảng thời gian không hợp lệ (vd 30s, 10m hoặc 1h30m)",
	"duration needs a unit (want e.g. 30s, 10m or 1h30m)":       "khoảng thời gian cần có đơn vị (vd 30s, 10m hoặc 1h30m)",
	"invalid size (want e.g. 1GiB, 500MB or a number of bytes)": "kích thước không hợp lệ (vd 1GiB, 500MB hoặc một số byte)",
	"unknown key%s":                                             "khóa không tồn tại",

	// Sections.
	"must not be empty":               "không được để trống",
	"want debug, info, warn or error": `cần "debug", "info", "warn" hoặc "error"`,
	"want text or json":               `cần "text" hoặc "json"`,
	"must not be empty (want an IANA zone such as Asia/Ho_Chi_Minh)":                          "không được để trống, cần tên múi giờ IANA như Asia/Ho_Chi_Minh",
	"unknown timezone (want an IANA zone such as Asia/Ho_Chi_Minh)":                           "múi giờ không tồn tại, cần tên múi giờ IANA như Asia/Ho_Chi_Minh",
	"must be between -90 and 90 degrees":                                                      "phải từ -90 đến 90 độ",
	"must be between -180 and 180 degrees":                                                    "phải từ -180 đến 180 độ",
	"must be at most 65535 bytes without +, #, / or NUL":                                      "tối đa 65535 byte, không chứa dấu +, dấu #, dấu gạch chéo hay ký tự NUL",
	"is set but mqtt.username is empty (MQTT sends a password only with a username)":          "đã đặt nhưng mqtt.username để trống (MQTT chỉ gửi mật khẩu kèm tên đăng nhập)",
	"must be between 1s and 18h12m15s (MQTT counts whole seconds)":                            "phải từ 1s đến 18h12m15s (MQTT tính theo giây chẵn)",
	"must not be empty when influx.url is set (1.8: database/retention, e.g. hamlet/autogen)": "không được để trống khi đã đặt influx.url (InfluxDB 1.8: tên cơ sở dữ liệu, gạch chéo, chính sách lưu giữ, vd hamlet/autogen)",
	"must be at least 1MiB":                             "phải ít nhất 1MiB",
	"want a CIDR such as 10.0.0.5/32 or 192.168.1.0/24": "cần một dải địa chỉ CIDR như 10.0.0.5/32 hoặc 192.168.1.0/24",
	"unknown device kind%s":                             `loại thiết bị không tồn tại, cần "light", "camera" hoặc "speaker"`,
	"want only a-z, 0-9, _ and -, at most 64 characters (it becomes an MQTT topic level and an InfluxDB tag)": "chỉ được dùng a-z, 0-9, _ và -, tối đa 64 ký tự (nó thành một cấp chủ đề MQTT và một nhãn InfluxDB)",
	"must not contain the MQTT wildcards + or #":                                                              "không được chứa ký tự đại diện MQTT + hoặc #",
	"must not start or end with / or contain an empty level":                                                  "không được bắt đầu hay kết thúc bằng dấu gạch chéo, hay có cấp rỗng",
	"must not start with $ (reserved for broker topics)":                                                      "không được bắt đầu bằng $ (dành cho chủ đề riêng của máy chủ MQTT)",
	`want "embedded" or a URL such as tcp://127.0.0.1:1883 (schemes: %s)`:                                     `cần "embedded" hoặc một địa chỉ như tcp://127.0.0.1:1883 (giao thức: %s)`,
	"the URL has no host (want e.g. tcp://127.0.0.1:1883)":                                                    "địa chỉ thiếu máy chủ (vd tcp://127.0.0.1:1883)",
	"the URL has no port (want e.g. tcp://127.0.0.1:1883)":                                                    "địa chỉ thiếu cổng (vd tcp://127.0.0.1:1883)",
	"the port must be a number from 1 to 65535":                                                               "cổng phải là số từ 1 đến 65535",
	"must not be empty (want e.g. http://192.168.1.10:8080)":                                                  "không được để trống (vd http://192.168.1.10:8080)",
	"want an http:// or https:// URL":                                                                         "cần một địa chỉ http:// hoặc https://",
	"the URL has no host":                                                                                     "địa chỉ thiếu máy chủ",
	"want host:port such as 127.0.0.1:1883 or :8080":                                                          "cần dạng máy:cổng như 127.0.0.1:1883 hoặc :8080",
	"must be set together with %s":                                                                            "phải đặt cùng với %s",
	"file not found":                                                                                          "không tìm thấy tệp",
	"is a directory, want a PEM file":                                                                         "là một thư mục, cần một tệp PEM",
	"must be greater than zero":                                                                               "phải lớn hơn 0",

	// Zones and devices.
	"duplicate of zones[%d] %q":                                               "trùng với zones[%d] %q",
	"want HH:MM-HH:MM such as 17:00-18:00 (%s)":                               "cần khung giờ dạng HH:MM-HH:MM, vd 17:00-18:00",
	"duplicate of devices[%d] %q":                                             "trùng với devices[%d] %q",
	"must not be empty (want light, camera or speaker)":                       `không được để trống, cần "light", "camera" hoặc "speaker"`,
	"must not be empty (want the id of a zone declared in zones)":             `không được để trống, cần mã một khu vực khai báo trong "zones"`,
	"zone %q is not declared in zones":                                        `khu vực %q chưa được khai báo trong "zones"`,
	"must not be empty (want one of: %s)":                                     "không được để trống, cần một trong: %s",
	"unknown protocol%s":                                                      "giao thức không tồn tại",
	"protocol %s serves only %s devices":                                      "giao thức %[1]s chỉ dùng cho thiết bị loại %[2]q",
	"native devices use their id as topic level; leave topic empty":           `thiết bị giao thức "native" dùng mã của nó làm cấp chủ đề; hãy để trống "topic"`,
	"is required for protocol %s (%s)":                                        "bắt buộc với giao thức %[1]s",
	"devices[%d] already uses %s topic %q":                                    "devices[%[1]d] đã dùng chủ đề %[3]q của giao thức %[2]s",
	"only tasmota devices have a full_topic":                                  `chỉ thiết bị Tasmota mới có "full_topic"`,
	"must contain both %%prefix%% and %%topic%% (e.g. %%prefix%%/%%topic%%/)": "phải chứa cả %%prefix%% và %%topic%% (vd %%prefix%%/%%topic%%/)",

	"devices[%d] is already output %s of %s topic %q":                                                         "devices[%[1]d] đã dùng kênh này của chủ đề %[4]q (giao thức %[3]s)",
	"devices[%d] is another channel of tasmota topic %q with full_topic %q; one controller has one FullTopic": `devices[%[1]d] là một kênh khác của chủ đề Tasmota %[2]q với "full_topic" %[3]q; một bộ điều khiển chỉ có một "full_topic"`,

	// Lights.
	"want a percentage above 0 and at most 100": "cần một tỉ lệ phần trăm lớn hơn 0 và tối đa 100",
	"want a duration from 100ms to 1m":          "cần một khoảng thời gian từ 100ms đến 1m",
	"want a duration from 1s to 24h":            "cần một khoảng thời gian từ 1s đến 24h",

	"only cameras have a stream_url": `chỉ camera mới có "stream_url"`,
	"must be an absolute http, https or rtsp URL such as http://192.168.1.10:5000/cameras/cong": "phải là địa chỉ đầy đủ http, https hoặc rtsp như http://192.168.1.10:5000/cameras/cong",

	// Announcements.
	"want 1m to 24h":                          "cần từ 1m đến 24h",
	"want 0 to 24h":                           "cần từ 0 đến 24h",
	"want 1s to 10m":                          "cần từ 1s đến 10m",
	"want 64KiB to 1GiB":                      "cần từ 64KiB đến 1GiB",
	"want mp3, ogg or wav":                    `cần "mp3", "ogg" hoặc "wav"`,
	"want an espeak-ng voice name such as vi": `cần tên một giọng đọc của espeak-ng như "vi"`,
	"want 80 to 450 words per minute":         "cần từ 80 đến 450 từ mỗi phút",
	"want 0 to 99":                            "cần từ 0 đến 99",

	// Alerts.
	"must not be empty: receivers verify the signature with it": "không được để trống: bên nhận dùng nó để kiểm tra chữ ký",
	"unknown severity%s":    `mức độ không tồn tại, cần "critical", "warning" hoặc "info"`,
	"no such zone in zones": `không có khu vực này trong "zones"`,
}

// shapesVi are the Vietnamese of the shapes decoding reports.
var shapesVi = map[shape]string{"a mapping": "một bảng", "a list": "một danh sách"}

// say returns the problem message of an English format and its arguments:
// "Vietnamese / English", or only the English when the table lacks it.
func say(format string, args ...any) string {
	en := fmt.Sprintf(format, args...)
	id := format
	if format == "%s" && len(args) == 1 {
		id = en
	}
	vi, ok := vietnamese[id]
	if !ok {
		return en
	}
	if strings.Contains(vi, "%") {
		vi = fmt.Sprintf(vi, args...)
	}
	return vi + " / " + en
}
