// Package dataset reads the curated data files: YAML documents that list
// sources, entities and relations, each fact with its evidence. It checks
// everything before anything is stored, and reports every problem with the
// file and line it stands on.
package dataset

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/civicgraph/civicgraph/graph"
)

// Problem is one thing wrong in a data file.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message) }

// Problems is every problem found in a dataset, in file and line order.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// The file format. Every block records its line so problems found after
// decoding can still say where they are.
type (
	document struct {
		Source    string               `yaml:"source"`
		Sources   []located[sourceDoc] `yaml:"sources"`
		Entities  []located[entityDoc] `yaml:"entities"`
		Relations []located[relDoc]    `yaml:"relations"`
	}
	sourceDoc struct {
		ID       string `yaml:"id"`
		Title    string `yaml:"title"`
		Language string `yaml:"language"`
		File     string `yaml:"file"`
		URL      string `yaml:"url"`
	}
	entityDoc struct {
		ID          string                 `yaml:"id"`
		Type        string                 `yaml:"type"`
		Name        string                 `yaml:"name"`
		Aliases     []string               `yaml:"aliases"`
		Kind        string                 `yaml:"kind"`
		Description string                 `yaml:"description"`
		Date        string                 `yaml:"date"`
		Order       int                    `yaml:"order"`
		Evidence    []located[evidenceDoc] `yaml:"evidence"`
	}
	relDoc struct {
		From     string                 `yaml:"from"`
		Type     string                 `yaml:"type"`
		To       string                 `yaml:"to"`
		As       string                 `yaml:"as"`
		Evidence []located[evidenceDoc] `yaml:"evidence"`
	}
	evidenceDoc struct {
		Source string `yaml:"source"`
		Quote  string `yaml:"quote"`
	}
)

// located is a decoded value and the line it starts on.
type located[T any] struct {
	Value T
	Line  int
}

// UnmarshalYAML records the block's line and decodes it refusing unknown
// fields, as the document around it is.
func (l *located[T]) UnmarshalYAML(node *yaml.Node) error {
	l.Line = node.Line
	return node.Load(&l.Value, yaml.WithKnownFields())
}

// decode reads data, which must hold one YAML document, into doc, refusing
// fields doc does not have, and returns the problems found, each on its
// line (0 where the YAML package gives none).
func decode(data []byte, doc *document) []Problem {
	var docs []document
	err := yaml.Load(data, &docs, yaml.WithAllDocuments(), yaml.WithKnownFields())
	var (
		one  *yaml.LoadError
		many *yaml.LoadErrors // every value that did not fit its field, the rest decoded
	)
	switch {
	case err == nil && len(docs) != 1:
		return []Problem{{Line: 1, Message: fmt.Sprintf("want exactly one YAML document, found %d", len(docs))}}
	case err == nil:
		*doc = docs[0]
		return nil
	case errors.As(err, &many):
		out := make([]Problem, len(many.Errors))
		for i, e := range many.Errors {
			out[i] = Problem{Line: e.Mark.Line, Message: yamlMessage(e.Message)}
		}
		return out
	case errors.As(err, &one):
		msg := yamlMessage(one.Message)
		if one.ContextMsg != "" {
			// Where the construct it was reading began, as an unclosed
			// bracket's problem is found at the end of the file.
			msg += fmt.Sprintf(" (%s from line %d)", one.ContextMsg, one.ContextMark.Line)
		}
		return []Problem{{Line: one.Mark.Line, Message: msg}}
	}
	return []Problem{{Message: err.Error()}}
}

// How the YAML package words a key no field takes, and a value of the
// wrong shape (naming the Go type it was read into).
var (
	unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
	wrongShape   = regexp.MustCompile(`^cannot construct (.+) into (\S+)$`)
)

// yamlMessage is msg, from the YAML package, without its "yaml: " prefix
// or the Go types of this package.
func yamlMessage(msg string) string {
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("unknown field %q", m[1])
	}
	if m := wrongShape.FindStringSubmatch(msg); m != nil {
		want := "a mapping"
		switch goType := m[2]; {
		case strings.HasPrefix(goType, "[]"):
			want = "a list"
		case goType == "int":
			want = "a whole number"
		case goType == "string":
			want = "text"
		}
		return fmt.Sprintf("want %s, found %s", want, m[1])
	}
	return strings.TrimPrefix(msg, "yaml: ")
}

var slug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Load reads every *.yaml file at the top of fsys, in name order, and the
// source documents they cite (paths relative to fsys), and returns the
// dataset they describe. dir is how problems name the files' folder.
// If anything is wrong it returns Problems and no dataset.
func Load(fsys fs.FS, dir string) (*graph.Dataset, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list data files in %s: %w", dir, err)
	}
	if len(names) == 0 {
		return nil, Problems{{File: dir, Message: "no *.yaml data files"}}
	}
	l := loader{fsys: fsys, ids: map[string]idSite{}, texts: map[string]string{}}
	for _, name := range names {
		l.parse(path.Join(dir, name), name)
	}
	ds := l.check()
	if len(l.problems) > 0 {
		slices.SortStableFunc(l.problems, func(a, b Problem) int {
			return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
		})
		return nil, l.problems
	}
	return ds, nil
}

type loader struct {
	fsys     fs.FS
	files    []parsedFile
	ids      map[string]idSite // every source and entity id
	texts    map[string]string // source id -> text
	problems Problems
}

type parsedFile struct {
	name string // as problems show it
	doc  document
}

type idSite struct {
	typ  graph.EntityType
	file string
	line int
}

func (l *loader) report(file string, line int, format string, args ...any) {
	l.problems = append(l.problems, Problem{File: file, Line: line, Message: fmt.Sprintf(format, args...)})
}

// parse decodes one file, records its ids and reads its sources' texts.
func (l *loader) parse(shown, name string) {
	data, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		l.report(shown, 0, "cannot read: %v", err)
		return
	}
	var doc document
	if problems := decode(data, &doc); len(problems) > 0 {
		for _, p := range problems {
			l.report(shown, p.Line, "%s", p.Message)
		}
		return
	}
	l.files = append(l.files, parsedFile{name: shown, doc: doc})
	for _, s := range doc.Sources {
		if l.claim(shown, s.Line, s.Value.ID, graph.TypeSource) && s.Value.File != "" {
			text, err := fs.ReadFile(l.fsys, s.Value.File)
			if err != nil {
				l.report(shown, s.Line, "source %q: cannot read file %q", s.Value.ID, s.Value.File)
				continue
			}
			l.texts[s.Value.ID] = string(text)
		}
	}
	for _, e := range doc.Entities {
		typ := graph.EntityType(e.Value.Type)
		if !typ.Valid() || typ == graph.TypeSource {
			l.report(shown, e.Line, "entity %q: unknown type %q (want one of %s)", e.Value.ID, e.Value.Type, entityTypeList())
			typ = ""
		}
		l.claim(shown, e.Line, e.Value.ID, typ)
	}
}

// claim records an id, reporting a malformed or duplicate one.
func (l *loader) claim(file string, line int, id string, typ graph.EntityType) bool {
	switch prev, dup := l.ids[id]; {
	case id == "":
		l.report(file, line, "missing id")
	case !slug.MatchString(id):
		l.report(file, line, "id %q: use lower-case letters, digits and single hyphens", id)
	case dup:
		l.report(file, line, "duplicate id %q: already used at %s:%d", id, prev.file, prev.line)
	default:
		l.ids[id] = idSite{typ: typ, file: file, line: line}
		return true
	}
	return false
}

// check validates every block against the ids of all files and builds the
// dataset.
func (l *loader) check() *graph.Dataset {
	ds := &graph.Dataset{}
	type relKey struct {
		from, to string
		typ      graph.RelType
	}
	relSeen := map[relKey]int{}
	for _, f := range l.files {
		if f.doc.Source != "" && l.ids[f.doc.Source].typ != graph.TypeSource {
			l.report(f.name, 1, "default source %q is not a source id", f.doc.Source)
		}
		for _, s := range f.doc.Sources {
			v := s.Value
			if v.Title == "" {
				l.report(f.name, s.Line, "source %q: missing title", v.ID)
			}
			if v.File == "" {
				l.report(f.name, s.Line, "source %q: missing file", v.ID)
			}
			ds.Entities = append(ds.Entities, graph.Entity{ID: v.ID, Type: graph.TypeSource, Name: v.Title,
				Language: v.Language, URL: v.URL, Text: l.texts[v.ID]})
		}
		for _, e := range f.doc.Entities {
			if ent, ok := l.entity(f, e); ok {
				ds.Entities = append(ds.Entities, ent)
			}
		}
		for _, r := range f.doc.Relations {
			rel, ok := l.relation(f, r)
			if !ok {
				continue
			}
			key := relKey{rel.From, rel.To, rel.Type}
			if prev, dup := relSeen[key]; dup {
				l.report(f.name, r.Line, "relation %s: stated twice (first at line %d)", describe(r.Value), prev)
				continue
			}
			relSeen[key] = r.Line
			ds.Relations = append(ds.Relations, rel)
		}
	}
	return ds
}

func (l *loader) entity(f parsedFile, e located[entityDoc]) (graph.Entity, bool) {
	v := e.Value
	what := fmt.Sprintf("entity %q", v.ID)
	before := len(l.problems)
	typ := graph.EntityType(v.Type)
	if strings.TrimSpace(v.Name) == "" {
		l.report(f.name, e.Line, "%s: missing name", what)
	}
	kinds := typ.Kinds()
	switch {
	case kinds == nil && v.Kind != "":
		l.report(f.name, e.Line, "%s: a %s has no kind, found %q", what, typ, v.Kind)
	case kinds != nil && !slices.Contains(kinds, v.Kind):
		l.report(f.name, e.Line, "%s: unknown kind %q for a %s (want one of %s)", what, v.Kind, typ, strings.Join(kinds, ", "))
	}
	date, err := graph.ParsePartialDate(v.Date)
	switch {
	case err != nil:
		l.report(f.name, e.Line, "%s: %s", what, graph.ErrorMessage(err))
	case v.Date != "" && typ != graph.TypeEvent:
		l.report(f.name, e.Line, "%s: only events have a date", what)
	}
	switch {
	case typ == graph.TypeTalk && v.Order < 1:
		l.report(f.name, e.Line, "%s: a talk needs its order in the agenda (1, 2, ...)", what)
	case typ != graph.TypeTalk && v.Order != 0:
		l.report(f.name, e.Line, "%s: only talks have an order", what)
	}
	evidence := l.evidence(f, e.Line, what, v.Evidence)
	return graph.Entity{ID: v.ID, Type: typ, Name: v.Name, Aliases: v.Aliases, Kind: v.Kind,
		Description: v.Description, Date: date, Order: v.Order, Evidence: evidence}, len(l.problems) == before
}

func (l *loader) relation(f parsedFile, r located[relDoc]) (graph.Relation, bool) {
	v := r.Value
	what := "relation " + describe(v)
	before := len(l.problems)
	typ := graph.RelType(v.Type)
	from, fromOK := l.ids[v.From]
	to, toOK := l.ids[v.To]
	switch {
	case !slices.Contains(graph.RelTypes(), typ):
		l.report(f.name, r.Line, "%s: unknown relation type %q", what, v.Type)
	case !fromOK:
		l.report(f.name, r.Line, "%s: unknown reference %q in from", what, v.From)
	case !toOK:
		l.report(f.name, r.Line, "%s: unknown reference %q in to", what, v.To)
	case from.typ != "" && to.typ != "" && !typ.Allows(from.typ, to.typ):
		l.report(f.name, r.Line, "%s: %s cannot go from a %s to a %s", what, typ, from.typ, to.typ)
	}
	switch {
	case typ == graph.RelOrganised && !slices.Contains(graph.OrganiserRoles(), v.As):
		l.report(f.name, r.Line, "%s: unknown value %q for as (want one of %s)", what, v.As, strings.Join(graph.OrganiserRoles(), ", "))
	case typ != graph.RelOrganised && v.As != "":
		l.report(f.name, r.Line, "%s: only ORGANISED takes as", what)
	}
	evidence := l.evidence(f, r.Line, what, v.Evidence)
	return graph.Relation{Type: typ, From: v.From, To: v.To, As: v.As, Evidence: evidence}, len(l.problems) == before
}

// evidence checks that there is some, and that each quote stands verbatim
// in its source.
func (l *loader) evidence(f parsedFile, line int, what string, docs []located[evidenceDoc]) []graph.Evidence {
	if len(docs) == 0 {
		l.report(f.name, line, "%s: missing evidence", what)
	}
	out := make([]graph.Evidence, 0, len(docs))
	for _, d := range docs {
		source := cmp.Or(d.Value.Source, f.doc.Source)
		text, known := l.texts[source]
		switch {
		case source == "":
			l.report(f.name, d.Line, "%s: evidence names no source and the file has no default source", what)
		case l.ids[source].typ != graph.TypeSource:
			l.report(f.name, d.Line, "%s: evidence cites unknown source %q", what, source)
		case strings.TrimSpace(d.Value.Quote) == "":
			l.report(f.name, d.Line, "%s: evidence has an empty quote", what)
		case known && !strings.Contains(text, d.Value.Quote):
			l.report(f.name, d.Line, "%s: quote not found verbatim in source %q: %q", what, source, d.Value.Quote)
		}
		out = append(out, graph.Evidence{Source: source, Quote: d.Value.Quote})
	}
	return out
}

func describe(r relDoc) string { return fmt.Sprintf("%s -%s-> %s", r.From, r.Type, r.To) }

func entityTypeList() string {
	var names []string
	for _, t := range graph.EntityTypes() {
		if t != graph.TypeSource {
			names = append(names, string(t))
		}
	}
	return strings.Join(names, ", ")
}
