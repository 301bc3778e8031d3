package announce

import "testing"

func TestNumberWords(t *testing.T) {
	for n, want := range map[uint64]string{
		0: "không", 5: "năm", 10: "mười", 11: "mười một", 15: "mười lăm", 21: "hai mươi mốt", 24: "hai mươi tư",
		25: "hai mươi lăm", 30: "ba mươi", 105: "một trăm linh năm", 110: "một trăm mười",
		1000: "một nghìn", 2026: "hai nghìn không trăm hai mươi sáu", 1005: "một nghìn không trăm linh năm",
		1000000: "một triệu", 2500000: "hai triệu năm trăm nghìn",
	} {
		if got := NumberWords(n); got != want {
			t.Errorf("NumberWords(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSpoken(t *testing.T) {
	for in, want := range map[string]string{
		"17:30":                 "mười bảy giờ ba mươi phút",
		"Họp lúc 19h":           "Họp lúc mười chín giờ",
		"năm 2026":              "năm hai nghìn không trăm hai mươi sáu",
		"ngày 01/11/2026":       "ngày mùng một tháng mười một năm hai nghìn không trăm hai mươi sáu",
		"Hạn 15/4":              "Hạn ngày mười lăm tháng tư",
		"mưa 3,5 mm, độ ẩm 80%": "mưa ba phẩy năm mm, độ ẩm tám mươi phần trăm",
		"hỗ trợ 1.500.000 đồng": "hỗ trợ một triệu năm trăm nghìn đồng",
		"Không có số":           "Không có số",
	} {
		if got := Spoken(in); got != want {
			t.Errorf("Spoken(%q) = %q, want %q", in, got, want)
		}
	}
}
