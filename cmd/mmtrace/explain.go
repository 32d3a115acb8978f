package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/mmtrace/mmtrace/tracer/explain"
)

// explainCommand prints the offline explanation of a call or a topic, or,
// with no argument, the list of what it can explain.
func explainCommand(args []string, stdout, stderr io.Writer) error {
	fs := pflag.NewFlagSet("explain", pflag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "", "write in `LANG`: en or zh (default: from LC_ALL, LC_MESSAGES or LANG)")
	setHelp(fs, stdout, "Usage: mmtrace explain [SYSCALL|TOPIC|%CLASS] [--lang en|zh]\n\n"+
		"Explain a call (its arguments, its flags, the common mistakes) or a topic of\n"+
		"the lesson, without tracing anything; list the calls of a class (%memory).\n"+
		"With no argument, list them.\n")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return usageErrorf("explain: %v", err)
	}
	l := explain.LangFromEnv(os.Getenv)
	if *lang != "" {
		var err error
		if l, err = explain.ParseLang(*lang); err != nil {
			return usageErrorf("explain: --lang: %v", err)
		}
	}
	switch fs.NArg() {
	case 0:
		list := explain.List(l)
		if l == explain.ZH {
			list += "\n系统调用的类（mmtrace explain %CLASS 列出其中的调用）：\n"
		} else {
			list += "\nClasses of calls (mmtrace explain %CLASS lists their calls):\n"
		}
		names := make([]string, len(classDocs))
		for i, d := range classDocs {
			names[i] = d.name
		}
		list += "  " + strings.Join(names, " ") + "\n"
		_, err := io.WriteString(stdout, refill(list, "", helpWidth))
		return err
	case 1:
	default:
		return usageErrorf("explain takes one SYSCALL or TOPIC, got %d", fs.NArg())
	}
	name := fs.Arg(0)
	if d, c, ok := findClass(name); ok {
		_, err := io.WriteString(stdout, explainClass(l, d, c))
		return err
	}
	if strings.HasPrefix(name, "%") {
		return usageErrorf("explain: no class %q ('mmtrace help filter' lists the classes)", name)
	}
	text, ok := explain.Topic(l, name)
	if !ok {
		if s := explain.Suggest(name); s != "" {
			return usageErrorf("explain: nothing is called %q; did you mean %q? ('mmtrace explain' lists them all)", name, s)
		}
		return usageErrorf("explain: nothing is called %q ('mmtrace explain' lists what can be explained)", name)
	}
	_, err := fmt.Fprintln(stdout, text)
	return err
}
