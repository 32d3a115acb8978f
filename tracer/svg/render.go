package svg

import (
	"bufio"
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/sys/unix"

	"github.com/mmtrace/mmtrace/tracer/model"
)

// Geometry, in pixels.
//
// The picture is at most maxW wide and its smallest text is 14 px, so that
// shown 1600 px wide (a projector) every word reads at 14 px or more.
const (
	maxW     = 1600
	labelW   = 230 // the column of lane labels
	marginR  = 170 // room for the last exit's words
	headH    = 132 // title, legend, axis
	fontSize = 14.0

	roomEnter = 16  // the room before a call's entry, a signal, a fork, an exit
	roomExit  = 5   // the room before a call's return
	propW     = 360 // the width shared in proportion to real time
	// idleMax is the most width a stretch with nothing in it gets: past
	// that it is cut short and marked ≈ on the axis.
	idleMax = 70

	capH    = 22 // a lane's caption
	levelH  = 18 // a row of call labels
	levels  = 3
	markH   = 14
	barH    = 20
	barGap  = 4
	lanePad = 12
)

// Colours: one per kind of mapping, as the lesson sorts them.
var kindColour = map[string]string{
	"file shared":       "#2f6fb7",
	"file private":      "#3a9a48",
	"anonymous shared":  "#8e5bb5",
	"shared /dev/zero":  "#8e5bb5",
	"anonymous private": "#8a8a8a",
}

const (
	colCall    = "#3d4a5c"
	colMemory  = "#2f6fb7"
	colError   = "#d62728"
	colSignal  = "#f28e1c"
	colFault   = "#e8491d"
	colFork    = "#1b4f8a"
	colWait    = "#7b3f9e"
	colRestart = "#9aa1ab"
)

// scale maps trace times to x: piecewise linear through the moments of
// the trace, each moment some room after the one before, plus a share of
// propW in proportion to the real time between them.
type scale struct {
	ts []time.Duration
	xs []float64
	// breaks are the xs of idle stretches cut short.
	breaks []float64
}

// moment is a time the picture marks, and the room it wants before it:
// a call's entry more than its return, which follows it closely.
type moment struct {
	t    time.Duration
	room float64
}

func newScale(ms []moment, x0, width float64) (*scale, float64) {
	if len(ms) == 0 {
		ms = []moment{{0, 0}}
	}
	slices.SortFunc(ms, func(a, b moment) int { return cmp.Compare(a.t, b.t) })
	// One moment per time, wanting the most room any wanted.
	uniq := ms[:1]
	for _, m := range ms[1:] {
		if last := &uniq[len(uniq)-1]; m.t == last.t {
			last.room = max(last.room, m.room)
		} else {
			uniq = append(uniq, m)
		}
	}
	n := len(uniq)
	span := float64(uniq[n-1].t - uniq[0].t)
	// Each gap: its moment's room, and its share of propW in proportion
	// to real time, cut to idleMax (a break). Then all of it shrunk
	// alike to the width there is.
	gaps := make([]float64, n)
	cut := make([]bool, n)
	total := 0.0
	for i := 1; i < n; i++ {
		prop := 0.0
		if span > 0 {
			prop = propW * float64(uniq[i].t-uniq[i-1].t) / span
		}
		if prop > idleMax {
			prop, cut[i] = idleMax, true
		}
		gaps[i] = uniq[i].room + prop
		total += gaps[i]
	}
	shrink := 1.0
	if total > width {
		shrink = width / total
	}
	s := &scale{ts: make([]time.Duration, n), xs: make([]float64, n)}
	x := x0
	for i, m := range uniq {
		if i > 0 {
			x += gaps[i] * shrink
			if cut[i] {
				s.breaks = append(s.breaks, x-gaps[i]*shrink/2)
			}
		}
		s.ts[i] = m.t
		s.xs[i] = x
	}
	return s, s.xs[n-1]
}

func (s *scale) x(t time.Duration) float64 {
	i := sort.Search(len(s.ts), func(i int) bool { return s.ts[i] > t }) - 1
	switch {
	case i < 0:
		return s.xs[0]
	case i >= len(s.ts)-1:
		return s.xs[len(s.xs)-1]
	}
	f := float64(t-s.ts[i]) / float64(s.ts[i+1]-s.ts[i])
	return s.xs[i] + f*(s.xs[i+1]-s.xs[i])
}

// lane is the layout of one process.
type lane struct {
	p      *proc
	y, h   float64
	markY  float64
	calls  []*call
	sigs   []*signal
	labels []placedLabel
	levels int // label levels used
	groups []*group
	rows   int
}

// group is the bars drawn as one: the same file (or kind of anonymous
// memory), mapped in one process, ending together — the several mappings
// the loader makes of a library, say.
type group struct {
	bars   []*bar
	t0, t1 time.Duration
	ended  bool
	row    int
	x0, x1 float64
	label  string
	inside bool // the label fits in the bar; else it follows it
}

func (g *group) first() *bar { return g.bars[0] }

func (g *group) bytes() uint64 {
	var n uint64
	for _, b := range g.bars {
		n += b.size()
	}
	return n
}

// layout places the lanes, the call labels above each lane's marks and
// the rows of its mapping bars below them.
func (r *Renderer) layout(sc *scale, width float64) []*lane {
	byPid := map[int]*lane{}
	var lanes []*lane
	for _, pid := range r.order {
		l := &lane{p: r.procs[pid]}
		byPid[pid] = l
		lanes = append(lanes, l)
	}
	for _, c := range r.calls {
		byPid[c.pid].calls = append(byPid[c.pid].calls, c)
	}
	for _, s := range r.sigs {
		byPid[s.pid].sigs = append(byPid[s.pid].sigs, s)
	}
	for _, l := range lanes {
		var want []markLabel
		for _, c := range l.calls {
			st := styleOf(c)
			want = append(want, markLabel{sc.x(c.t0), st.label + r.repsText(c), st.class, st.importance})
		}
		for _, s := range l.sigs {
			if !s.quiet {
				want = append(want, markLabel{sc.x(s.t), s.name, "sig-label", 4})
			}
		}
		l.labels = placeLabels(want, width)
		l.levels = 1
		for _, lb := range l.labels {
			l.levels = max(l.levels, lb.level+1)
		}

		l.groups = groupBars(r.bars, l.p.pid, r.last)
		// Rows: each group goes in the first row free at its start; a
		// label too long for its bar follows the bar and takes room.
		var rowEnd []float64
		for _, g := range l.groups {
			g.x0, g.x1 = sc.x(g.t0), sc.x(g.t1)
			if g.x1-g.x0 < 3 {
				g.x1 = g.x0 + 3
			}
			full := r.groupLabel(g)
			end := g.x1
			if textW(full, 14)+12 <= g.x1-g.x0 {
				g.label, g.inside = full, true
			} else {
				g.label = fit(full, width-g.x1-12, 14)
				end = g.x1 + 6 + textW(g.label, 14)
			}
			g.row = -1
			for i, e := range rowEnd {
				if e+6 <= g.x0 {
					g.row = i
					break
				}
			}
			if g.row < 0 {
				g.row = len(rowEnd)
				rowEnd = append(rowEnd, 0)
			}
			rowEnd[g.row] = end
		}
		l.rows = len(rowEnd)
	}
	y := float64(headH)
	for _, l := range lanes {
		l.y = y
		l.markY = y + capH + levelH*float64(l.levels) + markH/2 + 2
		l.h = l.markY - y + markH/2 + 4 + float64(l.rows)*(barH+barGap) + lanePad
		l.h = max(l.h, 100) // room for the label column
		y += l.h
	}
	return lanes
}

// style is how a call's mark looks.
type style struct {
	colour, label, class string
	importance           int
}

func styleOf(c *call) style {
	switch {
	case c.errno != "":
		return style{colError, c.name + " " + c.errno, "err-label", 3}
	case memoryCall(c.name):
		return style{colMemory, c.name, "call-label", 2}
	case c.restarted:
		return style{colRestart, c.name, "call-label", 1}
	}
	switch c.name {
	case "fork", "vfork", "clone", "clone3", "wait4", "waitid", "execve", "execveat", "kill", "tgkill":
		return style{colCall, c.name, "call-label", 2}
	}
	return style{colCall, c.name, "call-label", 1}
}

// draw writes the SVG document.
func (r *Renderer) draw(w *bufio.Writer) {
	var moments []moment
	for _, c := range r.calls {
		moments = append(moments, moment{c.t0, roomEnter}, moment{c.t1, roomExit})
	}
	for _, s := range r.sigs {
		moments = append(moments, moment{s.t, roomEnter})
	}
	for _, pid := range r.order {
		p := r.procs[pid]
		moments = append(moments, moment{p.startAt, roomEnter})
		if p.ended {
			moments = append(moments, moment{p.endAt, roomEnter})
		}
	}
	sc, xEnd := newScale(moments, labelW+20, maxW-labelW-20-marginR)
	// At most maxW: the scale may end a hair past its span in floating point.
	width := math.Min(math.Ceil(xEnd+marginR), maxW)

	lanes := r.layout(sc, width)
	height := headH + 10.0
	if n := len(lanes); n > 0 {
		height = math.Ceil(lanes[n-1].y + lanes[n-1].h + 20)
	}

	// In a browser the picture fills the window's width (a projector's
	// too), but never shrinks below 60% of its size: a long trace
	// scrolls instead. Other viewers take width and height.
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" style="max-width:100%%;height:auto" font-family="DejaVu Sans, Noto Sans CJK SC, Verdana, Arial, sans-serif" font-size="%g">
`, width, height, width, height, fontSize)
	r.defs(w)
	fmt.Fprintf(w, `<rect width="%.0f" height="%.0f" fill="#ffffff"/>`+"\n", width, height)
	r.header(w, sc, width, lanes)
	for i, l := range lanes {
		r.drawLane(w, sc, l, i, width)
	}
	r.arrows(w, sc, lanes)
	w.WriteString("</svg>\n")
}

func (r *Renderer) defs(w *bufio.Writer) {
	w.WriteString(`<defs>
<marker id="arrow-fork" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="` + colFork + `"/></marker>
<marker id="arrow-wait" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="` + colWait + `"/></marker>
<pattern id="inherited" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2.5" stroke-opacity="0.55"/></pattern>
<style>
.lane-label { font-weight: bold; font-size: 16px; fill: #1b1f24; }
.lane-sub { font-size: 14px; fill: #4a5260; }
.caption { font-size: 14px; fill: #4a5260; font-style: italic; }
.call-label { font-size: 14px; fill: #1b1f24; }
.err-label { font-size: 14px; fill: ` + colError + `; font-weight: bold; }
.sig-label { font-size: 14px; fill: ` + colFault + `; font-weight: bold; }
.bar-label { font-size: 14px; fill: #ffffff; }
.bar-label-out { font-size: 14px; fill: #2b313a; stroke: #ffffff; stroke-width: 3px; paint-order: stroke; stroke-linejoin: round; }
.tick { font-size: 14px; fill: #4a5260; }
.legend { font-size: 14px; fill: #1b1f24; }
.break { font-size: 16px; fill: #4a5260; font-weight: bold; }
</style>
</defs>
`)
}

// groupBars returns pid's bars as drawn: grouped, ordered by start.
func groupBars(bars []*bar, pid int, last time.Duration) []*group {
	type key struct {
		path, kind string
		inherited  bool
		ended      bool
		t1         time.Duration
	}
	idx := map[key]*group{}
	var out []*group
	for _, b := range bars {
		if b.pid != pid {
			continue
		}
		t1 := b.t1
		if !b.ended {
			t1 = last
		}
		k := key{b.path, b.kind, b.inherited, b.ended, t1}
		g := idx[k]
		if g == nil {
			g = &group{t0: b.t0, t1: t1, ended: b.ended}
			idx[k] = g
			out = append(out, g)
		}
		g.bars = append(g.bars, b)
		g.t0 = min(g.t0, b.t0)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].t0 < out[j].t0 })
	return out
}

func (r *Renderer) header(w *bufio.Writer, sc *scale, width float64, lanes []*lane) {
	title := "mmtrace"
	if r.opt.Title != "" {
		title += ": " + strings.TrimPrefix(r.opt.Title, "mmtrace ")
	}
	calls, errs := 0, 0
	for _, c := range r.calls {
		calls++
		if c.errno != "" {
			errs++
		}
	}
	procs := r.tr(plural(len(lanes), "process", "processes"))
	sub := r.trf("%d %s, %d calls, %d failed, %s in all", len(lanes), procs, calls, errs, duration(r.last))
	how := "time runs left to right, stretched where calls are dense; ≈ marks an idle stretch cut short. Hover a mark for the call and its explanation."
	if r.opt.Stable {
		sub = r.trf("%d %s, %d calls, %d failed", len(lanes), procs, calls, errs)
		how = "time runs left to right, in the order of the calls. Hover a mark for the call and its explanation."
	}
	fmt.Fprintf(w, `<text x="16" y="30" font-size="22" font-weight="bold" fill="#1b1f24">%s</text>`+"\n", esc(title))
	fmt.Fprintf(w, `<text x="16" y="54" class="lane-sub">%s</text>`+"\n", esc(sub+"; "+r.tr(how)))

	// The legend: on as many lines as it needs.
	x := 16.0
	y := 70.0
	item := func(swatch, label string) {
		label = r.tr(label)
		if x+22+textW(label, 14) > width-16 {
			x, y = 16, y+22
		}
		fmt.Fprintf(w, `<g class="legend-item" transform="translate(%.1f,%.1f)">%s<text x="22" y="11" class="legend">%s</text></g>`+"\n", x, y, swatch, esc(label))
		x += 22 + textW(label, 14) + 18
	}
	box := func(fill string) string {
		return fmt.Sprintf(`<rect x="0" y="1" width="18" height="10" rx="2" fill="%s"/>`, fill)
	}
	item(box(kindColour["file shared"]), "file, MAP_SHARED")
	item(box(kindColour["file private"]), "file, MAP_PRIVATE")
	item(box(kindColour["anonymous shared"]), "anonymous, shared")
	item(box(kindColour["anonymous private"]), "anonymous, private")
	item(box(kindColour["file shared"])+`<rect x="0" y="1" width="18" height="10" rx="2" fill="url(#inherited)"/>`, "inherited by fork")
	item(fmt.Sprintf(`<rect x="0" y="0" width="18" height="12" rx="2" fill="%s"/>`, colError), "failed call")
	item(fmt.Sprintf(`<path d="M9,0 L15,6 L9,12 L3,6 z" fill="%s"/>`, colFault), "signal")
	item(fmt.Sprintf(`<line x1="0" y1="6" x2="16" y2="6" stroke="%s" stroke-width="2" marker-end="url(#arrow-fork)"/>`, colFork), "fork")
	item(fmt.Sprintf(`<line x1="0" y1="6" x2="16" y2="6" stroke="%s" stroke-width="2" stroke-dasharray="4 3" marker-end="url(#arrow-wait)"/>`, colWait), "exit reaped by wait")

	// The time axis: ticks at round times, labelled where there is room;
	// ≈ where an idle stretch was cut short. A stable picture has no
	// times: they differ run to run.
	axisY := float64(headH) - 6
	x0, x1 := sc.x(0), sc.x(r.last)
	fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9aa1ab"/>`+"\n", x0, axisY, x1, axisY)
	for _, bx := range sc.breaks {
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" class="break" text-anchor="middle">≈</text>`+"\n", bx, axisY+6)
	}
	if r.opt.Stable {
		return
	}
	step := niceStep(r.last)
	lastLabel := -1e9
	for t := time.Duration(0); t <= r.last && step > 0; t += step {
		x := sc.x(t)
		fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#9aa1ab"/>`+"\n", x, axisY-4, x, axisY)
		label := tickText(t, step)
		if x-lastLabel >= textW(label, 14)+12 {
			fmt.Fprintf(w, `<text x="%.1f" y="%.1f" class="tick" text-anchor="middle">%s</text>`+"\n", x, axisY-7, esc(label))
			lastLabel = x
		}
	}
	fmt.Fprintf(w, `<text x="%d" y="%.1f" class="tick">%s</text>`+"\n", 16, axisY-7, esc(r.tr("time since start")))
}

func (r *Renderer) drawLane(w *bufio.Writer, sc *scale, l *lane, i int, width float64) {
	p := l.p
	fill := "#ffffff"
	if i%2 == 1 {
		fill = "#f4f6f9"
	}
	fmt.Fprintf(w, `<g class="lane" id="pid-%d" data-pid="%d">`+"\n", r.laneID(p.pid), r.laneID(p.pid))
	fmt.Fprintf(w, `<rect x="0" y="%.1f" width="%.0f" height="%.1f" fill="%s"/>`+"\n", l.y, width, l.h, fill)
	fmt.Fprintf(w, `<line x1="0" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#dde1e6"/>`+"\n", l.y, width, l.y)

	// The label column.
	ty := l.y + 22
	fmt.Fprintf(w, `<text x="16" y="%.1f" class="lane-label">%s</text>`+"\n", ty, esc(r.pidName(p.pid)))
	sub := []string{}
	if p.name != "" {
		sub = append(sub, fit(p.name, labelW-24, 14))
	}
	if p.forked {
		sub = append(sub, r.trf("child of %s", r.pidNum(p.parent)))
	}
	if p.ended {
		sub = append(sub, fit(p.exit, labelW-24, 14))
	} else {
		sub = append(sub, r.tr("still running"))
	}
	if p.faults && !r.opt.Stable {
		sub = append(sub, r.trf("%d page faults", p.minflt+p.majflt))
	}
	for j, s := range sub {
		cls := "lane-sub"
		attr := ""
		if p.killed && s == fit(p.exit, labelW-24, 14) {
			attr = fmt.Sprintf(` fill="%s" font-weight="bold"`, colError)
		}
		fmt.Fprintf(w, `<text x="16" y="%.1f" class="%s"%s>%s</text>`+"\n", ty+18*float64(j+1), cls, attr, esc(s))
	}

	// The caption: what the process said about itself.
	x0 := sc.x(p.startAt)
	if p.says != "" {
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" class="caption"><title>%s</title>%s</text>`+"\n",
			x0+4, l.y+16, esc(r.trf("%s wrote: %s", r.pidName(p.pid), p.says)), esc(fit("“"+p.says+"”", width-x0-20, 14)))
	}

	// The lifeline.
	end := sc.x(r.last)
	if p.ended {
		end = sc.x(p.endAt)
	}
	fmt.Fprintf(w, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#aab1bb" stroke-width="2"/>`+"\n", x0, l.markY, end, l.markY)

	// The mappings.
	for _, g := range l.groups {
		r.drawGroup(w, l, g)
	}

	// The calls and the signals, as marks; their labels above them.
	for _, c := range l.calls {
		x, x1 := sc.x(c.t0), sc.x(c.t1)
		fmt.Fprintf(w, `<g class="call"><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="2" fill="%s"/></g>`+"\n",
			esc(r.tooltip(c)), x, l.markY-markH/2, max(x1-x, 4), markH, styleOf(c).colour)
	}
	for _, s := range l.sigs {
		x := sc.x(s.t)
		size, colour := 6.0, colSignal
		switch {
		case s.fault:
			size, colour = 9, colFault
		case s.quiet:
			size = 4
		}
		fmt.Fprintf(w, `<g class="signal"><title>%s</title><path d="M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f L%.1f,%.1f z" fill="%s" stroke="#7a2a00" stroke-width="%g"/></g>`+"\n",
			esc(r.sigTooltip(s)), x, l.markY-size, x+size, l.markY, x, l.markY+size, x-size, l.markY, colour, boolF(s.fault, 1.5, 0.5))
	}
	for _, lb := range l.labels {
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" class="%s">%s</text>`+"\n", lb.x-2, l.markY-markH/2-4-float64(lb.level)*levelH, lb.cls, esc(lb.text))
	}

	// The end: how the process ended.
	if p.ended {
		colour := "#3d4a5c"
		text := p.exit
		if p.killed {
			colour = colError
		}
		title := r.trf("%s %s", r.pidName(p.pid), p.exit)
		if !r.opt.Stable {
			title = r.trf("%s %s at %s", r.pidName(p.pid), p.exit, duration(p.endAt))
		}
		if p.detached {
			// Not an end of the process: an open ring where the trace
			// stopped seeing it.
			fmt.Fprintf(w, `<g class="detached"><title>%s</title><circle cx="%.1f" cy="%.1f" r="6" fill="#fff" stroke="%s" stroke-width="2"/></g>`+"\n", esc(title), end, l.markY, colour)
		} else {
			fmt.Fprintf(w, `<g class="exit"><title>%s</title><circle cx="%.1f" cy="%.1f" r="6" fill="%s"/></g>`+"\n", esc(title), end, l.markY, colour)
		}
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" font-size="14" fill="%s" font-weight="bold">%s</text>`+"\n", end+9, l.markY+5, colour, esc(fit(text, width-end-14, 14)))
	}
	w.WriteString("</g>\n")
}

// markLabel is a label wanted above a mark; importance decides which
// labels stay when they do not all fit: signals, then errors, then memory
// and process calls, then the rest.
type markLabel struct {
	x          float64
	text, cls  string
	importance int
}

type placedLabel struct {
	markLabel
	level int
}

// placeLabels gives labels levels above their marks, the most important
// first, each on the lowest level where it overlaps no label placed
// before; a label with no room is left out (its mark keeps its tooltip).
// Each level is a row of pixels taken or free: the picture's width is
// bounded, the number of calls is not.
func placeLabels(labels []markLabel, width float64) []placedLabel {
	idx := make([]int, len(labels))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		la, lb := labels[idx[a]], labels[idx[b]]
		if la.importance != lb.importance {
			return la.importance > lb.importance
		}
		return la.x < lb.x
	})
	cols := int(width) + 1
	taken := make([][]bool, levels)
	for k := range taken {
		taken[k] = make([]bool, cols)
	}
	var out []placedLabel
	for _, i := range idx {
		lb := labels[i]
		size := 14.0
		if lb.importance >= 3 { // bold
			size = 15
		}
		lo := min(max(int(lb.x-2), 0), cols)
		hi := max(min(int(math.Ceil(lb.x-2+textW(lb.text, size)+8)), cols), lo)
		for k := range taken {
			if slices.Contains(taken[k][lo:hi], true) {
				continue
			}
			for x := lo; x < hi; x++ {
				taken[k][x] = true
			}
			out = append(out, placedLabel{lb, k})
			break
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].x < out[b].x })
	return out
}

func (r *Renderer) drawGroup(w *bufio.Writer, l *lane, g *group) {
	b := g.first()
	y := l.markY + markH/2 + 4 + float64(g.row)*(barH+barGap)
	colour := kindColour[b.kind]
	if colour == "" {
		colour = kindColour["anonymous private"]
	}
	wd := g.x1 - g.x0
	fmt.Fprintf(w, `<g class="mapping"><title>%s</title>`, esc(r.groupTooltip(g)))
	fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="2" fill="%s"/>`, g.x0, y, wd, barH, colour)
	if b.inherited {
		fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="2" fill="url(#inherited)"/>`, g.x0, y, wd, barH)
	}
	switch {
	case g.inside:
		// On a solid patch of the bar's colour: the hatching stops
		// where the words are.
		fmt.Fprintf(w, `<rect x="%.1f" y="%.1f" width="%.1f" height="%d" rx="2" fill="%s"/>`, g.x0+2, y+2, min(textW(g.label, 14)+8, wd-4), barH-4, colour)
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" class="bar-label">%s</text>`, g.x0+6, y+barH-5, esc(g.label))
	case g.label != "":
		fmt.Fprintf(w, `<text x="%.1f" y="%.1f" class="bar-label-out">%s</text>`, g.x1+6, y+barH-5, esc(g.label))
	}
	w.WriteString("</g>\n")
}

// groupLabel is the text in a bar: "dd.txt 4 KiB rw- shared".
func (r *Renderer) groupLabel(g *group) string {
	b := g.first()
	name := r.kind(describe(b.kind, b.path))
	if len(g.bars) > 1 {
		name += fmt.Sprintf(" ×%d", len(g.bars))
	}
	parts := []string{name, model.SizeText(g.bytes())}
	if len(g.bars) == 1 {
		parts = append(parts, r.protText(b.prot, b.shared))
	}
	label := strings.Join(parts, " · ")
	if b.inherited {
		label = r.tr("inherited: ") + label
	}
	return label
}

func (r *Renderer) groupTooltip(g *group) string {
	var s strings.Builder
	b := g.first()
	path := b.path
	if path == "" {
		path = r.tr("no file")
	}
	fmt.Fprintf(&s, "%s: %s", r.kind(b.kind), path)
	for _, b := range g.bars {
		s.WriteString("\n")
		for i, rg := range b.ranges {
			if i > 0 {
				s.WriteString(", ")
			}
			if r.opt.Stable {
				s.WriteString(r.addrRange(rg[0], rg[1]))
			} else {
				fmt.Fprintf(&s, "%#x-%#x", rg[0], rg[1])
			}
		}
		fmt.Fprintf(&s, " %s (%s)", r.protText(b.prot, b.shared), model.SizeText(b.size()))
		if !r.opt.Stable {
			s.WriteString(" " + r.trf("from %s", duration(b.t0)))
			if b.ended {
				s.WriteString(r.trf(" to %s", duration(b.t1)))
			}
		}
		s.WriteString("\n  " + r.trf("made by: %s", b.made))
		for _, c := range b.cuts {
			s.WriteString("\n  " + r.trf("cut at %s", c))
		}
		if b.ended {
			s.WriteString("\n  " + r.trf("ended by: %s", b.endedBy))
		}
	}
	return s.String()
}

// describe names a mapping for a label: the file's base name, or its kind.
func describe(kind, path string) string {
	switch {
	case path == "" || strings.HasPrefix(kind, "anonymous") && !strings.HasPrefix(path, "["):
		return kind
	case strings.HasPrefix(path, "["):
		return path
	}
	return baseName(path)
}

func (r *Renderer) protText(prot int, shared bool) string {
	b := []byte("---")
	if prot&unix.PROT_READ != 0 {
		b[0] = 'r'
	}
	if prot&unix.PROT_WRITE != 0 {
		b[1] = 'w'
	}
	if prot&unix.PROT_EXEC != 0 {
		b[2] = 'x'
	}
	if shared {
		return string(b) + " " + r.tr("shared")
	}
	return string(b) + " " + r.tr("private")
}

func (r *Renderer) tooltip(c *call) string {
	var s strings.Builder
	s.WriteString(r.pidName(c.pid))
	if c.tid != c.pid {
		s.WriteString(" " + r.trf("(thread %s)", r.pidName(c.tid)))
	}
	if !r.opt.Stable {
		s.WriteString(" " + r.trf("at %s", duration(c.t0)))
		if c.done && c.reps == 0 {
			s.WriteString(", " + r.trf("took %s", duration(c.t1-c.t0)))
		}
	}
	s.WriteString("\n" + c.text)
	if c.reps > 0 {
		if r.opt.Stable {
			s.WriteString("\n" + r.tr("repeated more times"))
		} else {
			s.WriteString("\n" + r.trf("repeated %d more times over %s", c.reps, duration(c.t1-c.t0)))
		}
	}
	if c.unfinished {
		s.WriteString("\n" + r.tr("(never returned)"))
	}
	for _, n := range c.notes {
		s.WriteString("\n  " + n)
	}
	return s.String()
}

func (r *Renderer) sigTooltip(sg *signal) string {
	var s strings.Builder
	s.WriteString(r.pidName(sg.pid))
	if !r.opt.Stable {
		s.WriteString(" " + r.trf("at %s", duration(sg.t)))
	}
	s.WriteString(": " + sg.name)
	if sg.text != "" {
		s.WriteString(" " + sg.text)
	}
	if sg.where != "" {
		s.WriteString("\n" + r.trf("address %s", sg.where))
	}
	for _, n := range sg.notes {
		s.WriteString("\n  " + n)
	}
	return s.String()
}

// arrows draws the forks and the reaps over the lanes.
func (r *Renderer) arrows(w *bufio.Writer, sc *scale, lanes []*lane) {
	byPid := map[int]*lane{}
	for _, l := range lanes {
		byPid[l.p.pid] = l
	}
	w.WriteString(`<g class="arrows" fill="none">` + "\n")
	for _, l := range lanes {
		p := l.p
		parent := byPid[p.parent]
		if !p.forked || parent == nil {
			continue
		}
		x := sc.x(p.startAt)
		y1, y2 := parent.markY+markH/2, l.markY-7
		fmt.Fprintf(w, `<path class="fork" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" stroke="%s" stroke-width="2" marker-end="url(#arrow-fork)"><title>%s</title></path>`+"\n",
			x, y1, x+18, y1+(y2-y1)*0.3, x+10, y2-(y2-y1)*0.3, x+2, y2, colFork,
			esc(r.forkTitle(p)))
		if c := p.reapCall; c != nil && p.ended {
			xa, xb := sc.x(p.endAt), sc.x(c.t1)
			ya, yb := l.markY-6, parent.markY+markH/2+1
			fmt.Fprintf(w, `<path class="wait" d="M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f" stroke="%s" stroke-width="2" stroke-dasharray="5 3" marker-end="url(#arrow-wait)"><title>%s</title></path>`+"\n",
				xa, ya, xa+(xb-xa)*0.2+14, ya+(yb-ya)*0.4, xb-4, yb-(yb-ya)*0.3, xb, yb, colWait,
				esc(r.waitTitle(p, c)))
		}
	}
	w.WriteString("</g>\n")
}

func (r *Renderer) forkTitle(p *proc) string {
	if r.opt.Stable {
		return r.trf("%s forked %s", r.pidName(p.parent), r.pidName(p.pid))
	}
	return r.trf("%s forked %s at %s", r.pidName(p.parent), r.pidName(p.pid), duration(p.startAt))
}

func (r *Renderer) waitTitle(p *proc, c *call) string {
	if r.opt.Stable {
		return r.trf("%s %s; its parent's wait returned: %s", r.pidName(p.pid), p.exit, c.text)
	}
	return r.trf("%s %s; its parent's wait returned at %s: %s", r.pidName(p.pid), p.exit, duration(c.t1), c.text)
}

// repsText is what a folded mark's label adds: how many calls it is.
func (r *Renderer) repsText(c *call) string {
	switch {
	case c.reps == 0:
		return ""
	case r.opt.Stable:
		return " ×…"
	}
	return " ×" + strconv.Itoa(c.reps+1)
}

func memoryCall(name string) bool {
	switch name {
	case "mmap", "munmap", "mremap", "mprotect", "msync", "madvise", "brk":
		return true
	}
	return false
}

// niceStep returns a tick step of 1, 2 or 5 times a power of ten giving
// about eight ticks over d.
func niceStep(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	raw := float64(d) / 8
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return max(time.Duration(m*p), 1)
		}
	}
	return time.Duration(10 * p)
}

// duration formats a time for a person: "0", "850 µs", "2.41 ms", "1.20 s".
func duration(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d < time.Millisecond:
		return fmt.Sprintf("%d µs", d.Microseconds())
	case d < time.Second:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', precision(float64(d)/float64(time.Millisecond)), 64) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', precision(d.Seconds()), 64) + " s"
}

// tickText formats a tick's time with as many decimals as the step needs.
func tickText(t, step time.Duration) string {
	if t == 0 {
		return "0"
	}
	unit, name := time.Millisecond, "ms"
	if step >= time.Second {
		unit, name = time.Second, "s"
	} else if step < 10*time.Microsecond {
		unit, name = time.Microsecond, "µs"
	}
	v := float64(t) / float64(unit)
	return strconv.FormatFloat(v, 'f', -1, 64) + " " + name
}

func precision(v float64) int {
	switch {
	case v < 10:
		return 2
	case v < 100:
		return 1
	}
	return 0
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func boolF(b bool, t, f float64) float64 {
	if b {
		return t
	}
	return f
}

// textW estimates the width of s in pixels at size, by classes of
// glyphs of DejaVu Sans (the likely font; wider than most).
func textW(s string, size float64) float64 {
	n := 0.0
	for _, r := range s {
		switch {
		case r >= 0x2E80: // CJK: square
			n += 1.0
		case strings.ContainsRune("iljtfrI.,:;'!|()[] ", r):
			n += 0.36
		case strings.ContainsRune("mwMW", r):
			n += 0.95
		case r >= 'A' && r <= 'Z', r == '_':
			n += 0.72
		default:
			n += 0.62
		}
	}
	return n * size
}

// fit shortens s with "…" to about width pixels at size; "" if not even
// a few characters fit.
func fit(s string, width, size float64) string {
	if textW(s, size) <= width {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && textW(string(rs)+"…", size) > width {
		rs = rs[:len(rs)-1]
	}
	if len(rs) < 3 {
		return ""
	}
	return string(rs) + "…"
}

// esc escapes s as XML character data, as xml.EscapeText does (same
// output, which TestEscLikeXML holds): the five markup characters and tab,
// newline and carriage return as character references, and the characters
// XML cannot hold (control characters, invalid UTF-8) replaced with
// U+FFFD, whatever the tracee's strings held. It is ours so that the
// binary does not link encoding/xml, whose init every start of mmtrace
// paid for this one function.
func esc(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '"':
			b.WriteString("&#34;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\t':
			b.WriteString("&#x9;")
		case r == '\n':
			b.WriteString("&#xA;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == utf8.RuneError && n == 1, !xmlChar(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteString(s[i-n : i])
		}
	}
	return b.String()
}

// xmlChar says r is a character XML 1.0 allows (its Char production).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
