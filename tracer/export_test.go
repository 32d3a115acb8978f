package tracer

import "golang.org/x/sys/unix"

// SetSeccompProgram replaces the seccomp program the child installs, so a
// test can make the kernel refuse it.
func SetSeccompProgram(cfg *Config, prog []unix.SockFilter) { cfg.seccompOverride = prog }
