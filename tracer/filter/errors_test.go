package filter

import (
	"errors"
	"testing"
)

// TestErrorKinds: every error of an -e expression or a -P path is an
// *Error that says its kind and the words it quotes (the command line
// says it in the user's language from them), and its English is the text
// mmtrace always printed.
func TestErrorKinds(t *testing.T) {
	noResolve := func(string) (string, error) { return "", errors.New("no") }
	tests := []struct {
		name  string
		parse func() error
		kind  Kind
		word  string
		en    string
	}{
		{"trace", func() error { _, err := Parse("mmapp"); return err }, UnknownCall, "mmapp", `invalid system call "mmapp" (did you mean "mmap"?)`},
		{"class", func() error { _, err := Parse("%bogus"); return err }, UnknownClass, "%bogus", `invalid system call class "%bogus"`},
		{"regexp", func() error { _, err := Parse("/["); return err }, BadRegexp, "/[", "invalid system call \"/[\": error parsing regexp: missing closing ]: `[`"},
		{"unsupported", func() error { _, err := FromOptions([]string{"signal=x"}, nil); return err }, Unsupported, "signal", "-e signal=: strace's signal qualifier is not supported by mmtrace"},
		{"empty set", func() error { _, err := ParseSignals(""); return err }, EmptySet, "", "empty set"},
		{"empty item", func() error { _, err := ParseQuiet("exit,,"); return err }, EmptyItem, "", `"exit,,": an empty item`},
		{"signal number", func() error { _, err := ParseSignals("99"); return err }, NoSignalNumber, "99", "signal=99: no signal 99 (1 to 64)"},
		{"signal", func() error { _, err := ParseSignals("SIGNOPE"); return err }, NotSignal, "SIGNOPE", `signal=SIGNOPE: "SIGNOPE" is not a signal`},
		{"status", func() error { _, err := ParseStatus("ok"); return err }, NotStatus, "ok", `status=ok: "ok" is not a status (want successful, failed, unfinished, unavailable, detached)`},
		{"no status", func() error { _, err := ParseStatus("!all"); return err }, NoStatus, "", "status=!all: selects no call"},
		{"quiet", func() error { _, err := ParseQuiet("loud"); return err }, NotQuiet, "loud", `quiet=loud: "loud" is not a message strace can silence (want attach, exit, path-resolution, personality or thread-execve)`},
		{"empty path", func() error { _, _, err := NewPaths([]string{""}, noResolve); return err }, EmptyPath, "", "-P: an empty path"},
		{"relative", func() error { _, _, err := NewPaths([]string{"tmp/*"}, noResolve); return err }, RelativePattern, "tmp/*", `-P "tmp/*": a pattern must be an absolute path`},
		{"pattern", func() error { _, _, err := NewPaths([]string{"/tmp/[x"}, noResolve); return err }, BadPattern, "/tmp/[x", `-P "/tmp/[x": syntax error in pattern`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse()
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("%v (%T) is not a *filter.Error", err, err)
			}
			if fe.Kind != tc.kind || fe.Word != tc.word {
				t.Errorf("kind %d, word %q; want %d, %q", fe.Kind, fe.Word, tc.kind, tc.word)
			}
			if err.Error() != tc.en {
				t.Errorf("English:\n got %s\nwant %s", err, tc.en)
			}
		})
	}
}
