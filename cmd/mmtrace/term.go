package main

import (
	"io"
	"strconv"

	"golang.org/x/sys/unix"
)

// defaultWidth is a terminal's width when neither the terminal nor
// $COLUMNS says: the classic 80 columns.
const defaultWidth = 80

// helpWidth is the width help texts are written for: 80 columns, what a
// projected terminal with a large font shows.
const helpWidth = 80

// termWidth is the width, in cells, to fit the lines written to w to: the
// terminal's own (TIOCGWINSZ on w's fd), else $COLUMNS, else 80. It is 0
// when w is not a terminal: a file or a pipe keeps every note on one line,
// whatever its reader's screen.
func termWidth(w io.Writer, getenv func(string) string) int {
	fd, ok := writerFd(w)
	if !ok {
		return 0
	}
	if _, err := unix.IoctlGetTermios(fd, unix.TCGETS); err != nil {
		return 0
	}
	if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil && ws.Col > 0 {
		return int(ws.Col)
	}
	// A terminal that does not know its size (a serial line, a pty no
	// one sized): the shell's idea of it, if exported.
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return defaultWidth
}
