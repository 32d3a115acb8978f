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
	l := langInArgs(args)
	setHelp(fs, stdout, "explain", l, helpIn(l, "explain", "Usage: mmtrace explain [SYSCALL|TOPIC|%CLASS] [--lang en|zh]\n\n"+
		"Explain a call (its arguments, its flags, the common mistakes) or a topic of\n"+
		"the lesson, without tracing anything; list the calls of a class (%memory).\n"+
		"With no argument, list them.\n"))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return nil
		}
		return usageErrorf("explain: %s", flagError(l, err))
	}
	l = explain.LangFromEnv(os.Getenv)
	if *lang != "" {
		chosen, err := explain.ParseLang(*lang)
		if err != nil {
			return usageErrorf("explain: %s", msg(l, msgUnknownLang, *lang))
		}
		l = chosen
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
		return usageIn(l, msgExplainOne, fs.NArg())
	}
	name := fs.Arg(0)
	if d, c, ok := findClass(name); ok {
		_, err := io.WriteString(stdout, explainClass(l, d, c))
		return err
	}
	if strings.HasPrefix(name, "%") {
		return usageIn(l, msgExplainNoClass, name)
	}
	text, ok := explain.Topic(l, name)
	if !ok {
		if s := explain.Suggest(name); s != "" {
			return usageIn(l, msgExplainNothingMaybe, name, s)
		}
		return usageIn(l, msgExplainNothing, name)
	}
	_, err := fmt.Fprintln(stdout, text)
	return err
}
