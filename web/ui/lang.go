package ui

// Lang is the language of one page: "vi" (the default) or "en".
type Lang string

// The languages the UI speaks.
const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// ParseLang returns the language named s, or Vietnamese for anything else.
func ParseLang(s string) Lang {
	if s == string(English) {
		return English
	}
	return Vietnamese
}

// T returns the message key in l. Keys are the Vietnamese text itself, so a
// key without an English entry reads in Vietnamese rather than breaking.
func (l Lang) T(key string) string {
	if l == English {
		if en, ok := english[key]; ok {
			return en
		}
	}
	return key
}

// Other is the language a user may switch to from l.
func (l Lang) Other() Lang {
	if l == English {
		return Vietnamese
	}
	return English
}

// Name is the language's own name, for the switch.
func (l Lang) Name() string {
	if l == English {
		return "English"
	}
	return "Tiếng Việt"
}
