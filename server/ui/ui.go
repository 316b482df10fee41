// Package ui serves a GraphiQL page that works offline: GraphiQL 4, React 18
// and the explorer plugin are embedded into the binary, so the browser loads
// nothing from outside the server.
//
// The files in assets/ are npm build artifacts copied by scripts/build-ui
// from the versions pinned in package-lock.json (see assets/VERSIONS.txt and
// the *LICENSE*.txt files next to them). They are committed, so building the
// server needs no Node.js. The page template and init.js are this package's
// own code.
package ui

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

var (
	//go:embed assets/*
	vendored embed.FS

	//go:embed init.js page.html.tmpl
	own embed.FS
)

// AssetsDir is the path, relative to where the Handler is mounted, under
// which it serves its static files.
const AssetsDir = "assets/"

// asset is one static file, held in memory for the life of the process.
type asset struct {
	name        string
	data        []byte
	contentType string
	etag        string
	// hashedName carries part of the content hash, so a response under it
	// can be cached for good: new content gets a new name.
	hashedName string
	// Integrity is the Subresource Integrity value for the page's tags.
	Integrity string
}

// URL is the asset's address relative to the page.
func (a *asset) URL() string { return AssetsDir + a.hashedName }

// Fixed per extension rather than from the mime package, which also reads
// the host's mime.types and so could differ from machine to machine.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".txt": "text/plain; charset=utf-8",
}

// byName maps both the plain and the hashed name of every asset to it.
var byName, assetList = loadAssets()

func loadAssets() (map[string]*asset, []*asset) {
	m := map[string]*asset{}
	var list []*asset
	add := func(fsys fs.FS, file string) {
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			panic(err)
		}
		name := path.Base(file)
		ext := path.Ext(name)
		ct, ok := contentTypes[ext]
		if !ok {
			ct = "application/octet-stream"
		}
		sum := sha256.Sum256(data)
		sri := sha512.Sum384(data)
		hexSum := hex.EncodeToString(sum[:])
		a := &asset{
			name:        name,
			data:        data,
			contentType: ct,
			etag:        `"` + hexSum[:32] + `"`,
			hashedName:  strings.TrimSuffix(name, ext) + "." + hexSum[:16] + ext,
			Integrity:   "sha384-" + base64.StdEncoding.EncodeToString(sri[:]),
		}
		for _, n := range []string{a.name, a.hashedName} {
			if _, dup := m[n]; dup {
				panic("ui: two assets named " + n)
			}
			m[n] = a
		}
		list = append(list, a)
	}
	files, err := fs.Glob(vendored, "assets/*")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		add(vendored, f)
	}
	add(own, "init.js")
	return m, list
}

var pageTemplate = template.Must(template.New("page.html.tmpl").Funcs(template.FuncMap{
	"asset": func(name string) (*asset, error) {
		a, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("ui: no asset %q", name)
		}
		return a, nil
	},
}).ParseFS(own, "page.html.tmpl"))

type handler struct {
	page     []byte
	pageETag string
	csp      string
}

// Handler returns the GraphiQL page for the GraphQL endpoint at endpoint (a
// URL path such as "/graphql", or an absolute http(s) URL), titled title,
// whose query editor starts with defaultQuery when the browser has no saved
// session ("" keeps GraphiQL's own welcome text).
//
// Paths are relative to where the handler is mounted:
//
//	/             the page (GET and HEAD)
//	/assets/NAME  the embedded files; the page refers to them by names that
//	              carry a content hash and may be cached for a year, and the
//	              plain names are served too, revalidated by ETag
//
// The page refers to its assets with relative URLs, so it works under any
// prefix that ends in a slash. The intended place is /ui/:
//
//	mux.Handle("/ui/", http.StripPrefix("/ui", ui.Handler("civicgraph", "/graphql", q)))
//
// ServeMux then redirects /ui to /ui/. Anything else under the mount point is
// a 404, and methods other than GET and HEAD get a 405.
//
// The page carries a Content-Security-Policy that lets it load code, styles
// and fonts from its own origin only and send requests to its own origin and
// the endpoint's.
func Handler(title, endpoint, defaultQuery string) http.Handler {
	var buf bytes.Buffer
	err := pageTemplate.Execute(&buf, struct {
		Title, Endpoint, DefaultQuery string
	}{title, endpoint, defaultQuery})
	if err != nil {
		// Only a broken template or a missing asset gets here, both bugs
		// that the package's tests catch.
		panic(err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return &handler{
		page:     buf.Bytes(),
		pageETag: `"` + hex.EncodeToString(sum[:16]) + `"`,
		csp:      contentSecurityPolicy(endpoint),
	}
}

// contentSecurityPolicy lets the page load code and styles from its own
// origin only, so a stray reference to an outside host fails loudly in the
// browser instead of quietly needing the network. The endpoint's origin, if
// it is another one, is allowed for the GraphQL requests.
func contentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" &&
		(u.Scheme == "http" || u.Scheme == "https") {
		connect += " " + u.Scheme + "://" + u.Host
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		// GraphiQL's components and the page itself use inline styles.
		"style-src 'self' 'unsafe-inline'",
		// The CSS inlines its fonts and images as data: URLs.
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
	}, "; ")
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		// StripPrefix("/ui/", …) leaves no leading slash, and
		// StripPrefix("/ui", …) leaves "" for a request of /ui itself, where
		// the page's relative asset URLs would resolve one level too high.
		if rp := requestPath(r); p == "" && rp != "" && !strings.HasSuffix(rp, "/") {
			redirectToSlash(w, r, rp)
			return
		}
		p = "/" + p
	}
	switch {
	case p == "/":
		hd := w.Header()
		hd.Set("Content-Type", "text/html; charset=utf-8")
		hd.Set("Cache-Control", "no-cache")
		hd.Set("ETag", h.pageETag)
		hd.Set("Content-Security-Policy", h.csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.page))
	case strings.HasPrefix(p, "/"+AssetsDir):
		name := strings.TrimPrefix(p, "/"+AssetsDir)
		a, ok := byName[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		hd := w.Header()
		hd.Set("Content-Type", a.contentType)
		hd.Set("ETag", a.etag)
		hd.Set("X-Content-Type-Options", "nosniff")
		if name == a.hashedName {
			hd.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			hd.Set("Cache-Control", "no-cache")
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.data))
	default:
		http.NotFound(w, r)
	}
}

// requestPath is the path the client asked for, before any StripPrefix, or
// "" if unknown (a request built in code may have no RequestURI).
func requestPath(r *http.Request) string {
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return ""
	}
	return u.Path
}

// redirectToSlash sends the client to reqPath plus "/". The Location is
// relative (the last segment plus "/") because the mount prefix is unknown.
func redirectToSlash(w http.ResponseWriter, r *http.Request, reqPath string) {
	loc := "./" + url.PathEscape(path.Base(reqPath)) + "/"
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusMovedPermanently)
}
