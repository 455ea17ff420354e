// Package browsertest drives a headless Chromium for the browser tests of the
// other packages: it starts the browser, collects the errors that a page shows
// in its console (JavaScript exceptions, console.error, Content-Security-Policy
// violations, failed loads) and runs axe-core for accessibility.
//
// A test that needs a browser starts with
//
//	ctx := browsertest.New(t) // skips when Chromium is absent
//	err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/"))
//	...
//	browsertest.Axe(t, ctx)
//	browsertest.NoErrors(t, ctx)
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Timeout bounds the whole use of the context that New returns.
const Timeout = 60 * time.Second

// Desktop and mobile viewports, in CSS pixels.
const (
	desktopWidth, desktopHeight = 1280, 900
	mobileWidth, mobileHeight   = 375, 740
)

// ChromiumPath returns the Chromium to drive: $PARCOURS_CHROMIUM, else
// /usr/bin/chromium, else chromium in PATH; "" when there is none.
func ChromiumPath() string {
	if p := os.Getenv("PARCOURS_CHROMIUM"); p != "" {
		return p
	}
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// New starts a headless Chromium with one tab for the test, and returns the
// chromedp context of that tab, bounded by Timeout. The browser stops when the
// test ends. New skips the test when Chromium is absent.
//
// The context collects the errors of the tab from its start: see Errors.
func New(t testing.TB) context.Context {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		t.Skip("navigateur absent : installer chromium (Debian) pour lancer les tests de navigateur")
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(desktopWidth, desktopHeight),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	col := &collector{}
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithListener(col.listen))
	// The first Run starts the browser and binds its life to bctx, which has
	// no deadline: the timeout goes on the context derived below.
	if err := chromedp.Do(bctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("démarrage de %s : %v", path, err)
	}
	ctx, cancel := context.WithTimeout(bctx, Timeout)
	t.Cleanup(func() {
		cancel()
		cancelBrowser()
		cancelAlloc()
	})
	ctx = context.WithValue(ctx, collectorKey{}, col)
	// chromedp enables the Log domain on each new tab; ask again so that the
	// collection of CSP violations and failed loads never depends on it.
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("activation du journal du navigateur : %v", err)
	}
	return ctx
}

// SetMobile sets a 375×740 touch viewport, the size of a common phone.
func SetMobile(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.EmulateViewport(mobileWidth, mobileHeight,
		chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
}

// SetDesktop sets back the 1280×900 viewport that New starts with.
func SetDesktop(ctx context.Context) error {
	return chromedp.Do(ctx, chromedp.EmulateViewport(desktopWidth, desktopHeight))
}

// Errors returns every error that the tab of ctx reported since New: uncaught
// exceptions and rejections, console.error and console.assert calls, and the
// error entries of the browser log (Content-Security-Policy violations,
// resources that failed to load). It returns nil for a context that New did
// not make.
func Errors(ctx context.Context) []string {
	col, _ := ctx.Value(collectorKey{}).(*collector)
	if col == nil {
		return nil
	}
	flush(ctx)
	col.mu.Lock()
	defer col.mu.Unlock()
	return append([]string(nil), col.errs...)
}

// NoErrors fails the test with the errors of the tab of ctx that no earlier
// call of NoErrors reported, so that a test can call it after each page.
func NoErrors(t testing.TB, ctx context.Context) {
	t.Helper()
	if errs := unreported(t, ctx); len(errs) > 0 {
		t.Errorf("%d erreur(s) dans la console du navigateur :\n- %s", len(errs), strings.Join(errs, "\n- "))
	}
}

// unreported returns the errors of the tab of ctx that no earlier call of
// NoErrors or NoErrorsBut reported, and marks them reported.
func unreported(t testing.TB, ctx context.Context) []string {
	t.Helper()
	col, _ := ctx.Value(collectorKey{}).(*collector)
	if col == nil {
		t.Fatal("browsertest : contexte sans navigateur (utiliser browsertest.New)")
		return nil
	}
	flush(ctx)
	col.mu.Lock()
	defer col.mu.Unlock()
	errs := append([]string(nil), col.errs[col.reported:]...)
	col.reported = len(col.errs)
	return errs
}

// NoErrorsBut is NoErrors for a page that was expected to report the
// errors containing each of want, as a form sent back with its errors and
// the status 400, which the browser logs as a resource that failed to
// load: it fails the test if one of want is missing, or on any other
// error.
func NoErrorsBut(t testing.TB, ctx context.Context, want ...string) {
	t.Helper()
	errs := unreported(t, ctx)
	seen := make([]bool, len(want))
	var other []string
	for _, e := range errs {
		expected := false
		for i, w := range want {
			if strings.Contains(e, w) {
				seen[i], expected = true, true
			}
		}
		if !expected {
			other = append(other, e)
		}
	}
	for i, w := range want {
		if !seen[i] {
			t.Errorf("erreur attendue absente de la console du navigateur : %q", w)
		}
	}
	if len(other) > 0 {
		t.Errorf("%d erreur(s) dans la console du navigateur :\n- %s", len(other), strings.Join(other, "\n- "))
	}
}

// flush makes a round trip to the tab, so that the events the browser sent
// before its answer have reached the collector.
func flush(ctx context.Context) {
	fctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	_, _ = chromedp.Run(fctx, chromedp.Evaluate[chromedp.Void]("0"))
}

type collectorKey struct{}

// collector keeps the errors of a tab. Its listen method runs on the goroutine
// that reads the messages of the tab: it must be quick and never call the tab.
type collector struct {
	mu       sync.Mutex
	errs     []string
	reported int // errs[:reported] were reported by NoErrors
}

func (c *collector) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg = exceptionText(ev.ExceptionDetails)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		msg = "console." + string(ev.Type) + " : " + argsText(ev.Args)
		if st := ev.StackTrace; st != nil && len(st.CallFrames) > 0 {
			f := st.CallFrames[0]
			msg += fmt.Sprintf(" (%s:%d)", f.URL, f.LineNumber+1)
		}
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil || e.Level != log.EntryLevelError || faviconProbe(e) {
			return
		}
		msg = string(e.Source) + " : " + e.Text
		if e.URL != "" {
			msg += " (" + e.URL + ")"
		}
	default:
		return
	}
	c.mu.Lock()
	c.errs = append(c.errs, msg)
	c.mu.Unlock()
}

// faviconProbe reports whether the entry is the failure of the request that
// the browser itself makes for /favicon.ico when a page links no icon: it
// comes at an unknown time after the load, and no page asked for it.
func faviconProbe(e *log.Entry) bool {
	if e.Source != log.EntrySourceNetwork {
		return false
	}
	u, err := url.Parse(e.URL)
	return err == nil && u.Path == "/favicon.ico"
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "exception"
	}
	text := d.Text
	if d.Exception != nil {
		desc := d.Exception.Description
		if desc == "" {
			desc = valueText(d.Exception)
		}
		// The description of an Error holds its stack: keep the first line.
		desc, _, _ = strings.Cut(desc, "\n")
		text += " " + desc
	}
	where := d.URL
	if where == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		where = d.StackTrace.CallFrames[0].URL
	}
	if where != "" {
		text += fmt.Sprintf(" (%s:%d)", where, d.LineNumber+1)
	}
	return "exception : " + strings.TrimSpace(text)
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		parts = append(parts, valueText(a))
	}
	return strings.Join(parts, " ")
}

// valueText renders a console argument: a string as it is, another primitive
// as JSON, an object by its description.
func valueText(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	if len(o.Value) > 0 {
		var s string
		if err := json.Unmarshal(o.Value, &s); err == nil {
			return s
		}
		return string(o.Value)
	}
	if o.UnserializableValue != "" {
		return string(o.UnserializableValue)
	}
	if o.Description != "" {
		return o.Description
	}
	return string(o.Type)
}
