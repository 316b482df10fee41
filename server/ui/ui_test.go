package ui

import (
	"bytes"
	"crypto/sha512"
	"encoding/base64"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const (
	testTitle    = "civicgraph test"
	testEndpoint = "/graphql"
	testQuery    = "query People {\n  people(first: 5) { name }\n}\n"
)

// A real mount, as the server is meant to do it.
func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/ui/", http.StripPrefix("/ui", Handler(testTitle, testEndpoint, testQuery)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, rawURL string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	// Redirects are asserted on, not followed.
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// tagRE finds the script and link tags of the page and their URL attribute.
var tagRE = regexp.MustCompile(`<(script|link)\b[^>]*?\b(?:src|href)="([^"]*)"[^>]*>`)

type ref struct{ tag, url, integrity string }

func pageRefs(t *testing.T, page []byte) []ref {
	t.Helper()
	integrityRE := regexp.MustCompile(`\bintegrity="([^"]*)"`)
	var refs []ref
	for _, m := range tagRE.FindAllSubmatch(page, -1) {
		r := ref{tag: string(m[1]), url: html.UnescapeString(string(m[2]))}
		if im := integrityRE.FindSubmatch(m[0]); im != nil {
			r.integrity = html.UnescapeString(string(im[1]))
		}
		refs = append(refs, r)
	}
	if len(refs) == 0 {
		t.Fatal("page has no script or link tags")
	}
	return refs
}

func TestPage(t *testing.T) {
	srv := newServer(t)
	resp, body := get(t, srv.URL+"/ui/", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q; the page names hashed assets, so it must be revalidated", cc)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for _, want := range []string{
		`data-endpoint="/graphql"`,
		"<title>" + testTitle + "</title>",
		html.EscapeString(testQuery),
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}

	// Each bundle reads the globals of the ones before it.
	var scripts []string
	for _, r := range pageRefs(t, body) {
		if r.tag == "script" {
			scripts = append(scripts, r.url)
		}
	}
	order := []string{"react.production.min.", "react-dom.production.min.", "graphiql.min.", "plugin-explorer.umd.", "init."}
	if len(scripts) != len(order) {
		t.Fatalf("scripts %q, want %d", scripts, len(order))
	}
	for i, prefix := range order {
		if !strings.HasPrefix(scripts[i], AssetsDir+prefix) || !strings.HasSuffix(scripts[i], ".js") {
			t.Errorf("script %d is %q, want %s*.js", i, scripts[i], AssetsDir+prefix)
		}
	}
}

func TestPageLoadsNothingFromOutside(t *testing.T) {
	srv := newServer(t)
	_, body := get(t, srv.URL+"/ui/", nil)
	for _, r := range pageRefs(t, body) {
		u, err := url.Parse(r.url)
		if err != nil {
			t.Errorf("%s %q: %v", r.tag, r.url, err)
			continue
		}
		// data: is the empty favicon; anything with a host is outside.
		if u.Host != "" || (u.Scheme != "" && u.Scheme != "data") {
			t.Errorf("%s tag loads %q from outside the server", r.tag, r.url)
		}
	}
	if m := regexp.MustCompile(`(?i)\b(src|href)="(https?:)?//`).Find(body); m != nil {
		t.Errorf("page has an external URL: %s", m)
	}
}

func TestReferencedAssets(t *testing.T) {
	srv := newServer(t)
	pageURL, err := url.Parse(srv.URL + "/ui/")
	if err != nil {
		t.Fatal(err)
	}
	_, page := get(t, pageURL.String(), nil)
	wantType := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
	}
	seen := 0
	for _, r := range pageRefs(t, page) {
		if strings.HasPrefix(r.url, "data:") {
			continue
		}
		seen++
		t.Run(r.url, func(t *testing.T) {
			u, err := pageURL.Parse(r.url)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(u.Path, "/ui/assets/") {
				t.Errorf("resolves to %s, want under /ui/assets/", u.Path)
			}
			resp, body := get(t, u.String(), nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			ext := r.url[strings.LastIndex(r.url, "."):]
			if ct := resp.Header.Get("Content-Type"); ct != wantType[ext] {
				t.Errorf("Content-Type %q, want %q", ct, wantType[ext])
			}
			if nosniff := resp.Header.Get("X-Content-Type-Options"); nosniff != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", nosniff)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("Cache-Control %q for a hashed name", cc)
			}
			sum := sha512.Sum384(body)
			if want := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); r.integrity != want {
				t.Errorf("integrity %q, body hashes to %q", r.integrity, want)
			}
			if len(body) < 100 {
				t.Errorf("only %d bytes", len(body))
			}

			etag := resp.Header.Get("ETag")
			if etag == "" {
				t.Fatal("no ETag")
			}
			resp, _ = get(t, u.String(), http.Header{"If-None-Match": {etag}})
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match: status %d, want 304", resp.StatusCode)
			}
		})
	}
	if seen != 7 {
		t.Errorf("page references %d assets, want 7 (2 css, 5 js)", seen)
	}
}

func TestRoutes(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name, path string
		status     int
		location   string
	}{
		{"page", "/ui/", http.StatusOK, ""},
		// ServeMux answers this one; its redirect code varies by Go version.
		{"prefix without slash", "/ui", 0, "/ui/"},
		{"plain asset name", "/ui/assets/graphiql.min.js", http.StatusOK, ""},
		{"license", "/ui/assets/graphiql.LICENSE.txt", http.StatusOK, ""},
		{"unknown asset", "/ui/assets/nope.js", http.StatusNotFound, ""},
		{"wrong hash", "/ui/assets/graphiql.min.0000000000000000.js", http.StatusNotFound, ""},
		{"assets dir", "/ui/assets/", http.StatusNotFound, ""},
		{"nested name", "/ui/assets/x/graphiql.min.js", http.StatusNotFound, ""},
		{"template is not an asset", "/ui/assets/page.html.tmpl", http.StatusNotFound, ""},
		{"go source is not an asset", "/ui/assets/ui.go", http.StatusNotFound, ""},
		{"other page", "/ui/index.html", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := get(t, srv.URL+tt.path, nil)
			if tt.status == 0 {
				if resp.StatusCode < 300 || resp.StatusCode > 399 {
					t.Errorf("GET %s: status %d, want a redirect", tt.path, resp.StatusCode)
				}
			} else if resp.StatusCode != tt.status {
				t.Errorf("GET %s: status %d, want %d", tt.path, resp.StatusCode, tt.status)
			}
			if tt.location != "" && resp.Header.Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", resp.Header.Get("Location"), tt.location)
			}
		})
	}
}

func TestPlainNamesRevalidate(t *testing.T) {
	srv := newServer(t)
	resp, body := get(t, srv.URL+"/ui/assets/THIRD-PARTY-LICENSES.txt", nil)
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		t.Fatalf("status %d, %d bytes", resp.StatusCode, len(body))
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("Cache-Control %q for an unhashed name", cc)
	}
}

// The handler is called directly here, to reach what a ServeMux would
// otherwise answer itself.
func TestDirect(t *testing.T) {
	h := Handler(testTitle, testEndpoint, testQuery)
	tests := []struct {
		name, method, target, path string
		status                     int
		location                   string
	}{
		{"POST", http.MethodPost, "/ui/", "/", http.StatusMethodNotAllowed, ""},
		{"HEAD", http.MethodHead, "/ui/", "/", http.StatusOK, ""},
		// StripPrefix("/ui") of a request for /ui: the client must add
		// the slash or relative asset URLs point above the mount.
		{"empty path", http.MethodGet, "/ui?x=1", "", http.StatusMovedPermanently, "./ui/?x=1"},
		// StripPrefix("/ui/") leaves paths without their leading slash.
		{"no leading slash, page", http.MethodGet, "/ui/", "", http.StatusOK, ""},
		{"no leading slash, asset", http.MethodGet, "/ui/assets/react.production.min.js", "assets/react.production.min.js", http.StatusOK, ""},
		{"mounted at root", http.MethodGet, "/", "/", http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			req.URL.Path = tt.path
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if loc := rec.Header().Get("Location"); loc != tt.location {
				t.Errorf("Location %q, want %q", loc, tt.location)
			}
			if tt.method == http.MethodHead && rec.Body.Len() != 0 {
				t.Errorf("HEAD wrote %d bytes", rec.Body.Len())
			}
			if tt.status == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q", rec.Header().Get("Allow"))
			}
		})
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct {
		name, title, endpoint, query string
		absent                       []string
		present                      []string
	}{
		{
			name:     "attribute breakout",
			title:    "</title><script>alert(1)</script>",
			endpoint: `/graphql"><script>alert(2)</script>`,
			query:    `{ a(s: "</div><script>alert(3)</script>") }`,
			absent:   []string{"<script>alert"},
			present:  []string{`data-endpoint="/graphql&#34;&gt;&lt;script&gt;`},
		},
		{
			name:     "no default query",
			title:    "t",
			endpoint: "/graphql",
			absent:   []string{"data-default-query"},
		},
		{
			name:     "absolute endpoint",
			title:    "t",
			endpoint: "https://api.example.test/graphql?x=1&y=2",
			present:  []string{`data-endpoint="https://api.example.test/graphql?x=1&amp;y=2"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			Handler(tt.title, tt.endpoint, tt.query).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			body := rec.Body.String()
			for _, s := range tt.absent {
				if strings.Contains(body, s) {
					t.Errorf("page contains %q", s)
				}
			}
			for _, s := range tt.present {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	tests := []struct{ endpoint, connect string }{
		{"/graphql", "connect-src 'self';"},
		{"https://api.example.test:8443/graphql", "connect-src 'self' https://api.example.test:8443;"},
		{"javascript:alert(1)", "connect-src 'self';"},
	}
	for _, tt := range tests {
		if got := contentSecurityPolicy(tt.endpoint); !strings.Contains(got, tt.connect) {
			t.Errorf("endpoint %q: policy %q lacks %q", tt.endpoint, got, tt.connect)
		}
	}
}

// A CI hook rejects CDN host names in committed files; the bundles must not
// bring one in. The pattern is split so that this file does not match it.
func TestNoCDNHostsInAssets(t *testing.T) {
	cdn := regexp.MustCompile(`cdn\.jsdelivr|unpkg\.com|cdn` + `js`)
	for _, a := range assetList {
		if m := cdn.Find(a.data); m != nil {
			t.Errorf("%s contains %q", a.name, m)
		}
	}
}
