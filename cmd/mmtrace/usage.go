package main

import (
	"fmt"
	"io"
)

const version = "0.1.0-dev"

func usage(w io.Writer) {
	fmt.Fprint(w, `mmtrace makes memory mapping visible: it traces a program and prints
a timeline of its open, ftruncate, mmap, munmap, fork and wait calls.

Usage:
  mmtrace list                             the scenarios, one line each
  mmtrace SCENARIO [ARGS] [FLAGS]          run a scenario of the mmap notes, traced
  mmtrace run [FLAGS] [--] CMD [ARGS...]   trace a program; exits with its status
  mmtrace attach PID [FLAGS]               trace a running process; Ctrl-C detaches
  mmtrace explain [SYSCALL|TOPIC]          explain a call or a topic, offline (--lang en|zh)
  mmtrace version                          print the version
  mmtrace help                             this text

Run 'mmtrace run --help' or 'mmtrace SCENARIO --help' for the flags.
`)
}
