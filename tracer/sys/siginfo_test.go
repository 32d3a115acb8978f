package sys

import (
	"syscall"
	"testing"
)

// TestSiginfoCPUTimes: a SIGCHLD's CPU times print as strace 6.1 prints
// them (print_clock_t): the ticks, and when not zero the seconds as a
// comment, "si_utime=22 /* 0.22 s */" (issue 13, item 3).
func TestSiginfoCPUTimes(t *testing.T) {
	for _, tc := range []struct {
		name         string
		utime, stime int64
		want         string
	}{
		{"zero", 0, 0, "si_utime=0, si_stime=0}"},
		{"ticks", 22, 1, "si_utime=22 /* 0.22 s */, si_stime=1 /* 0.01 s */}"},
		{"seconds", 1234, 100, "si_utime=1234 /* 12.34 s */, si_stime=100 /* 1.00 s */}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			si := Siginfo{Signo: syscall.SIGCHLD, Code: 1, Pid: 7, Status: 3, Utime: tc.utime, Stime: tc.stime}
			want := "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=7, si_uid=0, si_status=3, " + tc.want
			if got := si.String(); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}
