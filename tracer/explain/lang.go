package explain

import (
	"fmt"
	"strings"
)

// Lang is the language explanations are written in.
type Lang uint8

// The languages every message exists in.
const (
	EN Lang = iota
	ZH
)

// String returns the language's code, as --lang takes it.
func (l Lang) String() string {
	if l == ZH {
		return "zh"
	}
	return "en"
}

// ParseLang reads a --lang value: en or zh, in any case, with or without a
// region and encoding (zh_CN.UTF-8, en-US).
func ParseLang(s string) (Lang, error) {
	base := strings.ToLower(s)
	if i := strings.IndexAny(base, "_-.@"); i >= 0 {
		base = base[:i]
	}
	switch base {
	case "en":
		return EN, nil
	case "zh":
		return ZH, nil
	}
	return EN, fmt.Errorf("unknown language %q: want en or zh", s)
}

// LangFromEnv picks the language from the locale as gettext does: the first
// of LC_ALL, LC_MESSAGES and LANG that is set decides; zh* means Chinese,
// anything else (C, POSIX, en_US.UTF-8, fr_FR) English.
func LangFromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := getenv(v); s != "" {
			if strings.HasPrefix(strings.ToLower(s), "zh") {
				return ZH
			}
			return EN
		}
	}
	return EN
}
