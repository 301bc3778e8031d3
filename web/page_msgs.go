package web

import "github.com/hamlet-vn/hamlet/web/ui"

// jsKeys are the messages the page script shows, by the code it uses.
var jsKeys = [][2]string{
	{"confirmed", "đã xác nhận"}, {"offline", "ngoại tuyến"}, {"timeout", "quá thời gian"},
	{"pending", "đang chờ"}, {"rejected", "bị từ chối"}, {"sent", "đã gửi"}, {"playing", "đang phát"},
	{"done", "đã phát xong"}, {"partial", "phát được một phần"}, {"failed", "lỗi"}, {"cancelled", "đã huỷ"}, {"scheduled", "đã lên lịch"},
	{"online", "trực tuyến"}, {"unknown", "không rõ"},
	{"on", "Đang bật"}, {"off", "Đang tắt"},
	{"sending", "Đang gửi…"}, {"na", "Chưa sẵn sàng"},
	{"wait", "Đăng nhập sai quá nhiều lần, thử lại sau %d phút"},
	{"neterr", "Không kết nối được máy chủ"}, {"saved", "Đã lưu"},
	{"recording", "Đang ghi âm… bấm để dừng"}, {"recorded", "Đã ghi âm"},
	{"motion", "Có chuyển động"}, {"nomotion", "Không có chuyển động"},
	{"none", "Không có"}, {"schedules", "Số lịch đang bật: %d"},
	{"cancel", "Huỷ"}, {"nofile", "Hãy ghi âm hoặc chọn một tệp âm thanh"},
	{"active", "đang mở"}, {"acknowledged", "đã ghi nhận"}, {"cleared", "đã hết"},
	{"disabled", "đã khoá"}, {"enabled", "đang dùng"}, {"disable", "Khoá"}, {"enable", "Mở khoá"},
	{"resetpw", "Đặt lại mật khẩu"}, {"newpw", "Mật khẩu mới cho %s (ít nhất 8 ký tự)"}, {"savezones", "Lưu khu vực"},
	{"pwdone", "Đã đặt lại mật khẩu"},
	{"override", "Đang điều khiển tay bởi"}, {"until", "đến"}, {"fault", "Lỗi"},
	{"released", "Đã trở về chương trình"},
	{"dark", "không sáng"}, {"day_burning", "sáng ban ngày"}, {"no_power", "không có điện"},
	{"ston", "Bật"}, {"stoff", "Tắt"}, {"sunset", "mặt trời lặn"}, {"sunrise", "mặt trời mọc"},
	{"civil_dusk", "chạng vạng"}, {"civil_dawn", "rạng đông"}, {"min", "phút"}, {"everyday", "Hằng ngày"},
	{"tonight", "Đêm nay"}, {"notonight", "Đêm nay chương trình không chạy"}, {"edit", "Sửa"}, {"delete", "Xoá"},
	{"delq", "Xoá chương trình %s?"}, {"inuse", "Đang dùng"}, {"notinuse", "Không dùng"}, {"exc", "Ngoại lệ"},
	{"excoff", "không chạy"}, {"excsteps", "%d bước khác"}, {"days", "Ngày"}, {"steps", "Các bước"},
	{"nodays", "Chọn ít nhất một ngày"}, {"badrange", "Ngày kết thúc trước ngày bắt đầu"},
	{"longrange", "Một ngoại lệ dài tối đa 62 ngày"}, {"nodate", "Cần ngày"}, {"noprogs", "Chưa có chương trình"},
	{"newprog", "Thêm chương trình"}, {"editprog", "Sửa chương trình"},
	{"winopen", "Đang trong giờ phát"}, {"winclosed", "Ngoài giờ phát"}, {"winat", "Ngoài giờ phát · mở lúc %s"},
	{"d_mon", "Thứ 2"}, {"d_tue", "Thứ 3"}, {"d_wed", "Thứ 4"}, {"d_thu", "Thứ 5"}, {"d_fri", "Thứ 6"}, {"d_sat", "Thứ 7"}, {"d_sun", "Chủ nhật"},
}

// jsMessages returns the script's messages in l.
func jsMessages(l ui.Lang) map[string]string {
	m := make(map[string]string, len(jsKeys))
	for _, k := range jsKeys {
		m[k[0]] = l.T(k[1])
	}
	return m
}
