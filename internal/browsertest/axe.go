package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// ErrNoAxe means that node_modules/axe-core/axe.min.js is absent: `make assets`
// installs it.
var ErrNoAxe = errors.New("browsertest: axe-core absent")

// Violation is a rule of axe-core that the page breaks.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"` // minor, moderate, serious or critical
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []Node `json:"nodes"`
}

// Node is an element of the page that breaks a rule.
type Node struct {
	// Target is the CSS selector of the element; selectors through iframes and
	// shadow roots are joined by " >>> ".
	Target string `json:"target"`
	HTML   string `json:"html"`
}

// Serious reports whether the violation is of impact serious or critical: the
// ones that Axe fails a test for.
func (v Violation) Serious() bool {
	return v.Impact == "serious" || v.Impact == "critical"
}

// maxNodes is the number of elements that Axe lists for each rule.
const maxNodes = 5

// Axe runs axe-core on the page of ctx and fails the test with every violation
// of impact serious or critical, with the selectors of at most 5 elements each.
// It skips the test when axe-core is not installed.
func Axe(t testing.TB, ctx context.Context) {
	t.Helper()
	vs, err := AxeViolations(ctx)
	if errors.Is(err, ErrNoAxe) {
		t.Skip("axe-core absent : lancer `make assets` pour installer les paquets npm (node_modules/axe-core)")
		return
	}
	if err != nil {
		t.Fatalf("axe-core : %v", err)
		return
	}
	if msg := report(vs); msg != "" {
		url, _ := chromedp.Run(ctx, chromedp.Location())
		t.Errorf("accessibilité (axe-core) de %s :\n%s", url, msg)
	}
}

// report lists the serious and critical violations, or returns "".
func report(vs []Violation) string {
	var b strings.Builder
	n := 0
	for _, v := range vs {
		if !v.Serious() {
			continue
		}
		n++
		fmt.Fprintf(&b, "- %s (%s) : %s — %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for i, node := range v.Nodes {
			if i == maxNodes {
				fmt.Fprintf(&b, "    … et %d autre(s)\n", len(v.Nodes)-maxNodes)
				break
			}
			fmt.Fprintf(&b, "    %s\n", node.Target)
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d règle(s) non respectée(s), d'impact serious ou critical :\n%s", n, b.String())
}

// AxeViolations injects axe-core into the page of ctx (once per document),
// runs it on the whole document and returns every violation, of any impact.
// It returns an error that wraps ErrNoAxe when axe-core is not installed.
func AxeViolations(ctx context.Context) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, fmt.Errorf("browsertest: axe: %w", err)
	}
	if !loaded {
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			return nil, fmt.Errorf("browsertest: inject axe-core: %w", err)
		}
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("browsertest: axe.run: %w", err)
	}
	return vs, nil
}

// axeRun runs axe-core and keeps what the report needs. A target is an array
// of selectors (one per iframe), each a string or, inside a shadow root, an
// array of strings.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({
	id: v.id,
	impact: v.impact || '',
	help: v.help,
	helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)).join(' >>> '),
		html: n.html,
	})),
})))`

var axeCache struct {
	once sync.Once
	src  string
	err  error
}

// axeSource reads node_modules/axe-core/axe.min.js once.
func axeSource() (string, error) {
	axeCache.once.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			axeCache.err = err
			return
		}
		defer func() { _ = root.Close() }()
		b, err := root.ReadFile("node_modules/axe-core/axe.min.js")
		if errors.Is(err, os.ErrNotExist) {
			axeCache.err = fmt.Errorf("%w: %v", ErrNoAxe, err)
			return
		}
		axeCache.src, axeCache.err = string(b), err
	})
	return axeCache.src, axeCache.err
}

// moduleRoot walks up from the working directory, which is the directory of
// the package under test, to the directory that holds go.mod, and opens it.
func moduleRoot() (*os.Root, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("browsertest: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			root, err := os.OpenRoot(dir)
			if err != nil {
				return nil, fmt.Errorf("browsertest: %w", err)
			}
			return root, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, fmt.Errorf("%w: no go.mod above the working directory", ErrNoAxe)
		}
		dir = parent
	}
}
