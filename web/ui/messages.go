package ui

// english translates the UI's messages; the key is the Vietnamese text.
// TestEveryMessageHasEnglish keeps it complete.
var english = map[string]string{
	// Navigation and frame.
	"Tổng quan": "Overview", "Đèn": "Lights", "Loa": "Loudspeakers", "Camera": "Cameras",
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

	// Cameras.
	"Khung hình/giây": "Frames per second", "Chuyển động gần nhất": "Last motion",
	"Có chuyển động": "Motion", "Không có chuyển động": "No motion", "Ảnh mới nhất": "Latest snapshot",
	"Chưa có ảnh": "No snapshot yet", "Xem trực tiếp": "Watch live", "Không có camera": "No cameras",

	// Loudspeakers.
	"đã gửi": "sent", "đang phát": "playing", "đã phát xong": "done", "lỗi": "failed", "đã huỷ": "cancelled",
	"đã lên lịch": "scheduled", "Đang ghi âm… bấm để dừng": "Recording… tap to stop", "Đã ghi âm": "Recorded",
}
