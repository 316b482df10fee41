package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestGraphiQLInBrowser loads the GraphiQL page in headless Chromium, runs the
// query it opens with, and checks that the answer appears on screen, that the
// page logged no error and that it asked nothing of any other origin: the
// offline assets, the Content-Security-Policy and the integrity attributes
// only prove themselves in a real browser.
func TestGraphiQLInBrowser(t *testing.T) {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CIVICGRAPH_REQUIRE_BROWSER") == "1" {
			t.Fatalf("chromium not found, and CIVICGRAPH_REQUIRE_BROWSER=1: %v", err)
		}
		t.Skip("chromium not installed; scripts/test installs it")
	}
	base := startServer(t, nil)
	shot := filepath.Join(t.TempDir(), "graphiql.png")
	profile, scratch := t.TempDir(), t.TempDir()

	// One deadline for everything, browser start included: a hung page
	// fails the test instead of the whole test binary's timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root, where the sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// No name resolves, so nothing the browser might try on its own
		// reaches beyond this machine; the server is addressed by IP.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(profile),
		// Chromium leaves its singleton socket and shared-memory files in
		// TMPDIR; keep them where the test cleans up.
		chromedp.Env("TMPDIR="+scratch),
		chromedp.WindowSize(1280, 960),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	// Waits for the browser to exit, so the profile directory can go.
	defer cancelAlloc()
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	defer cancelTab()

	var (
		mu       sync.Mutex
		problems []string
	)
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, fmt.Sprintf(format, args...))
	}
	// Listen runs in the tab's event loop: record only, never block.
	err = chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
				report("console.%s: %s", ev.Type, remoteObjects(ev.Args))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				text += " " + d.Exception.Description
			}
			report("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				report("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			u := ev.Request.URL
			if !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
				report("request to another origin: %s", u)
			}
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	start := time.Now()
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-container")),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-query-editor .CodeMirror")),
	)
	if err != nil {
		t.Fatalf("GraphiQL did not appear: %v", err)
	}
	query, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".graphiql-query-editor .CodeMirror-code")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(query, "Which municipalities presented interoperability cases") {
		t.Fatalf("the query editor does not open on the headline question:\n%s", query)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(".graphiql-execute-button"))); err != nil {
		t.Fatalf("click the execute button: %v", err)
	}
	// The answer is what the response pane renders, read as a person
	// would see it; both names sit near its top, inside the viewport.
	answer, err := waitForText(ctx, ".graphiql-response", "Comune di Mataró", "Diego Belmonte")
	if err != nil {
		t.Fatalf("the response pane never showed the answer: %v\nit shows:\n%s", err, answer)
	}
	t.Logf("answer on screen %v after the page was asked for", time.Since(start).Round(time.Millisecond))

	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CIVICGRAPH_SCREENSHOT_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "graphiql.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot in %s", filepath.Join(dir, "graphiql.png"))
	}

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}

// waitForText polls the text of the first element matching css until it
// holds every one of want, and returns the last text it read. Polling is
// done from Go: chromedp's Poll compiles its predicate with new Function,
// which the page's Content-Security-Policy forbids.
func waitForText(ctx context.Context, css string, want ...string) (string, error) {
	expr := fmt.Sprintf(`(document.querySelector(%q) || {}).innerText || ""`, css)
	for {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			return text, err
		}
		missing := false
		for _, w := range want {
			if !strings.Contains(text, w) {
				missing = true
			}
		}
		if !missing {
			return text, nil
		}
		select {
		case <-ctx.Done():
			return text, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// remoteObjects renders console arguments as the DevTools console would,
// near enough to read a failure.
func remoteObjects(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		switch {
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}
