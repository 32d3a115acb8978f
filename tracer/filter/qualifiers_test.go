package filter

import (
	"syscall"
	"testing"
)

func TestQualifier(t *testing.T) {
	for _, c := range []struct{ in, name, expr string }{
		{"trace=open", "trace", "open"},
		{"open,close", "trace", "open,close"},
		{"signal=USR1", "signal", "USR1"},
		{"signals=all", "signal", "all"},
		{"s=!SIGCHLD", "signal", "!SIGCHLD"},
		{"status=failed", "status", "failed"},
		{"quiet=exit", "quiet", "exit"},
		{"q=attach", "quiet", "attach"},
		{"decode-fds=path", "decode-fds", "path"},
	} {
		if n, e := Qualifier(c.in); n != c.name || e != c.expr {
			t.Errorf("Qualifier(%q) = %q, %q; want %q, %q", c.in, n, e, c.name, c.expr)
		}
	}
}

func TestParseSignals(t *testing.T) {
	for _, c := range []struct {
		expr     string
		has, not []syscall.Signal
	}{
		{"SIGUSR1", []syscall.Signal{syscall.SIGUSR1}, []syscall.Signal{syscall.SIGUSR2, syscall.SIGCHLD}},
		{"usr1,Sigchld", []syscall.Signal{syscall.SIGUSR1, syscall.SIGCHLD}, []syscall.Signal{syscall.SIGUSR2}},
		{"12", []syscall.Signal{syscall.SIGUSR2}, []syscall.Signal{syscall.SIGUSR1}},
		{"!SIGCHLD", []syscall.Signal{syscall.SIGUSR1, syscall.SIGSEGV, 40}, []syscall.Signal{syscall.SIGCHLD}},
		{"all", []syscall.Signal{1, syscall.SIGKILL, 64}, nil},
		{"none", nil, []syscall.Signal{1, syscall.SIGCHLD, 64}},
		{"!all", nil, []syscall.Signal{syscall.SIGUSR1}},
	} {
		s, err := ParseSignals(c.expr)
		if err != nil {
			t.Fatalf("ParseSignals(%q): %v", c.expr, err)
		}
		for _, sig := range c.has {
			if !s.Has(sig) {
				t.Errorf("signal=%s does not hold %v", c.expr, sig)
			}
		}
		for _, sig := range c.not {
			if s.Has(sig) {
				t.Errorf("signal=%s holds %v", c.expr, sig)
			}
		}
	}
	for _, bad := range []string{"", "SIGFOO", "0", "65", "USR1,", "!"} {
		if _, err := ParseSignals(bad); err == nil {
			t.Errorf("ParseSignals(%q) accepted", bad)
		}
	}
	if !(*SignalSet)(nil).Has(syscall.SIGUSR1) {
		t.Error("a nil set must hold every signal")
	}
}

func TestParseStatus(t *testing.T) {
	for _, c := range []struct {
		expr string
		want uint8
	}{
		{"successful", 1},
		{"failed", 2},
		{"successful,failed", 3},
		{"unfinished", 4},
		{"unavailable,detached", 8 | 16},
		{"!failed", 31 &^ 2},
		{"all", 31},
	} {
		got, err := ParseStatus(c.expr)
		if err != nil || got != c.want {
			t.Errorf("ParseStatus(%q) = %05b, %v; want %05b", c.expr, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "ok", "none", "!all", "failed,"} {
		if _, err := ParseStatus(bad); err == nil {
			t.Errorf("ParseStatus(%q) accepted", bad)
		}
	}
}

func TestParseQuiet(t *testing.T) {
	q, err := ParseQuiet("exits,superseded")
	if err != nil || !q["exit"] || !q["thread-execve"] || q["attach"] {
		t.Errorf("ParseQuiet(exits,superseded) = %v, %v", q, err)
	}
	q, err = ParseQuiet("!attach")
	if err != nil || q["attach"] || !q["exit"] || !q["personality"] {
		t.Errorf("ParseQuiet(!attach) = %v, %v", q, err)
	}
	if _, err := ParseQuiet("loud"); err == nil {
		t.Error("ParseQuiet(loud) accepted")
	}
}
