package tracer_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mmtrace/mmtrace/internal/rawchild"
	"github.com/mmtrace/mmtrace/tracer"
	"github.com/mmtrace/mmtrace/tracer/html"
	"github.com/mmtrace/mmtrace/tracer/perfetto"
	"github.com/mmtrace/mmtrace/tracer/svg"
	"github.com/mmtrace/mmtrace/tracer/sys"
	"github.com/mmtrace/mmtrace/tracer/text"
)

// TestSignalStyleInEveryRenderer: with -X raw or verbose, a signal's
// siginfo reads the same in the picture, the Perfetto trace and the page
// as in the text timeline (which prints it as strace 6.1 does).
func TestSignalStyleInEveryRenderer(t *testing.T) {
	bin := buildC(t, "sigqueue.c")
	for _, tc := range []struct {
		x    sys.Xlat
		want string
	}{
		{sys.XlatAbbrev, "si_signo=SIGUSR1, si_code=SI_QUEUE, si_errno=ENOENT"},
		{sys.XlatRaw, "si_signo=10, si_code=0xffffffff, si_errno=2"},
		{sys.XlatVerbose, "si_signo=10 /* SIGUSR1 */, si_code=0xffffffff /* SI_QUEUE */, si_errno=2 /* ENOENT */"},
	} {
		t.Run(sys.XlatStyles[tc.x], func(t *testing.T) {
			spec := &rawchild.Spec{}
			if err := spec.SetExec(bin, []string{bin}, os.Environ()); err != nil {
				t.Fatal(err)
			}
			var tl, pic, pf bytes.Buffer
			tw := text.NewWithOptions(&tl, text.Options{Xlat: tc.x})
			vw := svg.New(&pic, svg.Options{Title: "signal"})
			pw := perfetto.New(&pf, perfetto.Options{})
			hw := html.New(html.Options{Title: "signal"})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cfg := tracer.Config{}
			cfg.Decode.Xlat = tc.x
			res, err := tracer.New(cfg, tw, vw, pw, hw).Run(ctx, spec)
			skipIfNoPtrace(t, err)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status() != 0 {
				t.Fatalf("exit status %d", res.Status())
			}
			for _, c := range []interface{ Close() error }{tw, vw, pw, hw} {
				if err := c.Close(); err != nil {
					t.Fatal(err)
				}
			}
			var page bytes.Buffer
			if err := hw.WritePage(&page); err != nil {
				t.Fatal(err)
			}
			for _, r := range []struct {
				name string
				out  string
			}{{"text", tl.String()}, {"svg", pic.String()}, {"perfetto", pf.String()}, {"page", page.String()}} {
				if !strings.Contains(r.out, tc.want) {
					t.Errorf("%s: no %q in its output", r.name, tc.want)
				}
			}
		})
	}
}
