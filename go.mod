module github.com/mmtrace/mmtrace

go 1.26.0

require (
	github.com/creack/pty v1.1.24
	github.com/google/gops v0.3.28
	github.com/spf13/pflag v1.1.0
	golang.org/x/net v0.62.0
	golang.org/x/sys v0.50.0
)
