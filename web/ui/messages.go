package ui

// english translates the UI's messages; the key is the Vietnamese text.
// TestEveryMessageHasEnglish keeps it complete.
var english = map[string]string{
	// Navigation and frame.
	"Tổng quan": "Overview", "Đèn": "Lights", "Loa": "Speakers", "Camera": "Cameras",
	"Báo cáo": "Reports", "Nhật ký": "Audit log", "Người dùng": "Users",
	"Điều hướng": "Navigation", "Đăng xuất": "Sign out", "Đăng nhập": "Sign in",
	"Quản trị viên": "admin", "Điều hành": "operator", "Chỉ xem": "viewer",
	"Mất kết nối trực tiếp, đang kết nối lại…": "Live connection lost, reconnecting…",
	"Chưa sẵn sàng":                         "Not available yet",
	"Không có quyền":                        "Not allowed",
	"Trang này chỉ dành cho quản trị viên.": "This page is for administrators only.",
	"Về Tổng quan":                          "Back to the overview",
	"Không có":                              "None",

	// Login.
	"Tên đăng nhập": "User name", "Mật khẩu": "Password", "Ghi nhớ điện thoại này": "Remember this phone",
	"Hãy đăng nhập để tiếp tục.":                       "Sign in to continue.",
	"Đăng nhập sai quá nhiều lần, thử lại sau %d phút": "Too many failed sign-ins, try again in %d min",
	"Không kết nối được máy chủ":                       "Cannot reach the server",

	// Overview.
	"Trực tuyến": "Online", "Ngoại tuyến": "Offline", "Không rõ": "Unknown",
	"trực tuyến": "online", "ngoại tuyến": "offline", "không rõ": "unknown",
	"Thiết bị ngoại tuyến": "Offline devices", "Sự cố và cảnh báo": "Faults and alerts",
	"Bước chương trình tiếp theo": "Next programme step", "Thông báo sắp phát": "Next announcement",
	"Số lịch đang bật: %d": "Schedules enabled: %d",

	// Lights.
	"Bật": "On", "Tắt": "Off", "Bật cả khu": "Whole zone on", "Tắt cả khu": "Whole zone off",
	"Độ sáng": "Brightness", "Độ sáng cả khu": "Whole zone brightness",
	"Đang bật": "On", "Đang tắt": "Off", "Không có đèn": "No lights", "Không có khu vực": "No zones",
	"Điều khiển đèn chưa sẵn sàng": "Light control is not available yet",
	"đã xác nhận":                  "confirmed", "quá thời gian": "timed out", "đang chờ": "pending", "bị từ chối": "rejected",
	"Đang gửi…": "Sending…", "Đã lưu": "Saved",
	"Về chương trình": "Return to programme", "Về chương trình cả khu": "Whole zone back to programme",
	"Đã trở về chương trình": "Back on the programme",
	"Chương trình":           "Programme", "đèn": "lights", "Đêm nay chương trình không chạy": "The programme does not run tonight",
	"Đang trong giờ phát": "Broadcast window open", "Ngoài giờ phát": "Broadcast window closed",
	"Ngoài giờ phát · mở lúc %s": "Broadcast window closed · opens at %s",

	// Lights: programme editing.
	"Chương trình đèn của khu": "The zone's light programmes", "Thêm chương trình": "Add a programme",
	"Tên chương trình": "Programme name", "Dùng chương trình này": "Use this programme",
	"Các bước": "Steps", "Thêm bước": "Add a step", "Ngày trong tuần": "Days of the week",
	"Thứ 2": "Mon", "Thứ 3": "Tue", "Thứ 4": "Wed", "Thứ 5": "Thu", "Thứ 6": "Fri", "Thứ 7": "Sat", "Chủ nhật": "Sun",
	"Ngoại lệ theo ngày": "Exceptions by date", "Thêm ngoại lệ": "Add an exception", "Lưu": "Save", "Đóng": "Close",
	"Giờ theo": "Time from", "Giờ cố định": "Clock time", "Mặt trời lặn": "Sunset", "Mặt trời mọc": "Sunrise",
	"Chạng vạng": "Civil dusk", "Rạng đông": "Civil dawn", "Giờ": "Time",
	"Lệch (phút)": "Offset (min)",
	"Giờ theo mặt trời: lệch + phút là sau, − phút là trước.": "Sun times: an offset of + minutes is after, − minutes before.", "Việc": "Action",
	"Độ sáng (%)": "Brightness (%)", "Xoá bước": "Remove step",
	"Đến ngày (để trống: một ngày)": "To (empty: one day)", "Hôm đó": "That day",
	"Không chạy chương trình": "No programme", "Chạy các bước khác": "Other steps", "Xoá ngoại lệ": "Remove exception",
	"mặt trời lặn": "sunset", "mặt trời mọc": "sunrise", "chạng vạng": "civil dusk", "rạng đông": "civil dawn",
	"phút": "min", "Hằng ngày": "Every day", "Đêm nay": "Tonight", "Sửa": "Edit", "Xoá": "Delete",
	"Xoá chương trình %s?": "Delete the programme %s?", "Đang dùng": "In use", "Không dùng": "Not in use",
	"Ngoại lệ": "Exceptions", "không chạy": "no programme", "%d bước khác": "%d other steps",
	"Chọn ít nhất một ngày": "Choose at least one day", "Ngày kết thúc trước ngày bắt đầu": "The end date is before the start date",
	"Một ngoại lệ dài tối đa 62 ngày": "An exception spans at most 62 days", "Cần ngày": "A date is needed",
	"Chưa có chương trình": "No programme yet", "Chép các bước của chương trình": "Copy the steps of the programme", "Ngày": "Days", "Sửa chương trình": "Edit the programme",

	// Cameras.
	"Khung hình/giây": "Frames per second", "Chuyển động gần nhất": "Last motion",
	"Có chuyển động": "Motion", "Không có chuyển động": "No motion", "Ảnh mới nhất": "Latest snapshot",
	"Chưa có ảnh": "No snapshot yet", "Xem trực tiếp": "Watch live", "Không có camera": "No cameras",

	// Loudspeakers.
	"đã gửi": "sent", "đang phát": "playing", "đã phát xong": "done", "lỗi": "failed", "đã huỷ": "cancelled",
	"đã lên lịch": "scheduled", "phát được một phần": "partly played", "Đang ghi âm… bấm để dừng": "Recording… tap to stop", "Đã ghi âm": "Recorded",

	// Loudspeakers (form and history).
	"Phát thông báo": "Broadcast", "Phát thông báo chưa sẵn sàng": "Broadcasting is not available yet",
	"Tiêu đề": "Title", "Nội dung": "Content", "Gõ chữ (đọc bằng giọng máy)": "Type text (read by text-to-speech)",
	"Ghi âm hoặc chọn tệp": "Record or pick a file", "Nội dung đọc": "Text to read", "Ghi âm": "Record",
	"Tệp âm thanh": "Audio file", "Khu vực": "Zones", "Mức ưu tiên": "Priority", "Thông thường": "Normal",
	"Ưu tiên": "Priority", "Khẩn cấp": "Emergency", "Hẹn giờ (để trống: phát ngay)": "Schedule (empty: play now)",
	"Phát": "Play", "Loa theo khu": "Speakers by zone", "Không có loa": "No speakers",
	"Thông báo đã gửi": "Sent announcements", "Huỷ": "Cancel",
	"Hãy ghi âm hoặc chọn một tệp âm thanh": "Record or pick an audio file",

	// Alerts.
	"đang mở": "active", "đã ghi nhận": "acknowledged", "đã hết": "cleared",

	// Audit log.
	"Từ ngày": "From", "Đến ngày": "To", "Hành động": "Action", "Tất cả": "All", "Xem": "Show",
	"Thời gian": "Time", "Người": "User", "Đối tượng": "Target", "Kết quả": "Result",

	// Users.
	"Danh sách": "List", "Thêm người dùng": "Add a user", "Vai trò": "Role", "Thêm": "Add",
	"Khu vực (chỉ cho người điều hành; để trống: mọi khu)": "Zones (operators only; none: every zone)",
	"đã khoá": "disabled", "đang dùng": "active", "Khoá": "Disable", "Mở khoá": "Enable",
	"Đặt lại mật khẩu": "Reset password", "Mật khẩu mới cho %s (ít nhất 8 ký tự)": "New password for %s (at least 8 characters)",
	"Lưu khu vực": "Save zones", "Đã đặt lại mật khẩu": "Password reset",

	// Reports.
	"Báo cáo hoạt động": "Uptime report", "Báo cáo chưa sẵn sàng": "Reports are not available yet",
	"Loại thiết bị": "Device kind", "Mọi loại": "All kinds", "Mọi khu": "All zones",
	"Hoạt động": "Up", "Mất kết nối": "Down", "Bảo trì": "Maintenance",
	"Tải tệp CSV": "Download CSV", "Danh sách sự cố": "Outages", "Thiết bị": "Device", "Bắt đầu": "Start",
	"Kết thúc": "End", "Thời lượng": "Duration", "Nguyên nhân": "Cause", "Không có sự cố": "No outages",
	"Tỉ lệ hoạt động": "Uptime", "Không có dữ liệu": "No data", "Khoảng thời gian tối đa 31 ngày": "At most 31 days",
	"Ngày không hợp lệ": "Invalid date", "đang diễn ra": "ongoing",
	"Phạm vi": "Scope", "Khu này": "This area", "Xem Khu này": "Show this area", "Tất cả các khu": "All areas",
	"Không lấy được số liệu của các khu: InfluxDB không trả lời. Hãy xem Khu này hoặc thử lại sau.": "The areas' figures could not be fetched: InfluxDB did not answer. Look at This area or try again later.",

	// Lights: overrides and faults.
	"Đang điều khiển tay bởi": "Manual control by", "đến": "until", "Lỗi": "Fault",
	"không sáng": "dark", "sáng ban ngày": "burning by day", "không có điện": "no power",
}
