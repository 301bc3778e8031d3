package announce

import (
	"regexp"
	"strconv"
	"strings"
)

var digits = [...]string{"không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"}

// groups are the names of the thousands groups.
var groups = [...]string{"", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ"}

// NumberWords reads a non-negative integer in Vietnamese:
// 2026 → "hai nghìn không trăm hai mươi sáu", 21 → "hai mươi mốt",
// 105 → "một trăm linh năm".
func NumberWords(n uint64) string {
	if n == 0 {
		return digits[0]
	}
	var parts []string
	var gs []int
	for v := n; v > 0; v /= 1000 {
		gs = append(gs, int(v%1000))
	}
	for i := len(gs) - 1; i >= 0; i-- {
		if gs[i] == 0 {
			continue
		}
		w := triple(gs[i], i != len(gs)-1)
		if groups[i] != "" {
			w += " " + groups[i]
		}
		parts = append(parts, w)
	}
	return strings.Join(parts, " ")
}

// triple reads 0–999; full reads the hundreds even when zero ("không trăm"),
// as inside a larger number.
func triple(n int, full bool) string {
	h, t, u := n/100, n/10%10, n%10
	var w []string
	if h > 0 || full {
		w = append(w, digits[h], "trăm")
	}
	switch {
	case t == 0 && u == 0:
	case t == 0:
		if h > 0 || full {
			w = append(w, "linh")
		}
		w = append(w, digits[u])
	case t == 1:
		w = append(w, "mười")
		if u == 5 {
			w = append(w, "lăm")
		} else if u > 0 {
			w = append(w, digits[u])
		}
	default:
		w = append(w, digits[t], "mươi")
		switch u {
		case 0:
		case 1:
			w = append(w, "mốt")
		case 4:
			w = append(w, "tư")
		case 5:
			w = append(w, "lăm")
		default:
			w = append(w, digits[u])
		}
	}
	return strings.Join(w, " ")
}

// TimeWords reads a clock time: 17, 30 → "mười bảy giờ ba mươi phút".
func TimeWords(h, m int) string {
	w := NumberWords(uint64(h)) + " giờ"
	if m > 0 {
		w += " " + NumberWords(uint64(m)) + " phút"
	}
	return w
}

// DateWords reads a date: 1, 11, 2026 → "ngày mùng một tháng mười một năm
// hai nghìn không trăm hai mươi sáu" (year 0: no year).
func DateWords(d, m, y int) string {
	w := "ngày "
	if d <= 10 {
		w += "mùng "
	}
	w += NumberWords(uint64(d)) + " tháng "
	if m == 4 {
		w += "tư"
	} else {
		w += NumberWords(uint64(m))
	}
	if y > 0 {
		w += " năm " + NumberWords(uint64(y))
	}
	return w
}

var (
	reDate    = regexp.MustCompile(`(?:ngày\s+)?\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}))?\b`)
	reTime    = regexp.MustCompile(`\b(\d{1,2})(?::|h)(\d{2})\b|\b(\d{1,2})h\b`)
	reGrouped = regexp.MustCompile(`\b\d{1,3}(?:\.\d{3})+\b`)
	reDecimal = regexp.MustCompile(`\b(\d+),(\d+)\b`)
	rePercent = regexp.MustCompile(`(\d)\s*%`)
	reNumber  = regexp.MustCompile(`\d+`)
)

// Spoken rewrites text for text to speech: dates (01/11/2026), times
// (17:30, 17h30, 5h), grouped numbers (1.000.000), decimals (3,5),
// percentages and plain numbers become Vietnamese words.
func Spoken(text string) string {
	text = reDate.ReplaceAllStringFunc(text, func(s string) string {
		p := reDate.FindStringSubmatch(s)
		d, _ := strconv.Atoi(p[1])
		m, _ := strconv.Atoi(p[2])
		y, _ := strconv.Atoi(p[3])
		if d < 1 || d > 31 || m < 1 || m > 12 {
			return s
		}
		return DateWords(d, m, y)
	})
	text = reTime.ReplaceAllStringFunc(text, func(s string) string {
		p := reTime.FindStringSubmatch(s)
		if p[3] != "" {
			h, _ := strconv.Atoi(p[3])
			if h > 24 {
				return s
			}
			return TimeWords(h, 0)
		}
		h, _ := strconv.Atoi(p[1])
		m, _ := strconv.Atoi(p[2])
		if h > 24 || m > 59 {
			return s
		}
		return TimeWords(h, m)
	})
	text = reGrouped.ReplaceAllStringFunc(text, func(s string) string { return strings.ReplaceAll(s, ".", "") })
	text = reDecimal.ReplaceAllString(text, "$1 phẩy $2")
	text = rePercent.ReplaceAllString(text, "$1 phần trăm")
	return reNumber.ReplaceAllStringFunc(text, func(s string) string {
		if len(s) > 18 {
			words := make([]string, 0, len(s))
			for _, c := range s {
				words = append(words, digits[c-'0'])
			}
			return strings.Join(words, " ")
		}
		n, _ := strconv.ParseUint(s, 10, 64)
		return NumberWords(n)
	})
}
