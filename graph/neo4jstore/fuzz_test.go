package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

// FuzzCompile drives the compilation of conditions and paths into Cypher
// with arbitrary trees, valid or not. shape chooses the tree, text gives
// the values. For every input the compiler must not panic, must reject an
// invalid tree with EINVALID and compile a valid one, must keep every value
// out of the statement's text and in its parameters, and must give Cypher
// that Neo4j accepts (planned with EXPLAIN when NEO4J_URI names a Neo4j).
func FuzzCompile(f *testing.F) {
	for _, seed := range compileSeeds() {
		shape, text, err := encodeFuzzInput(seed.input)
		if err != nil {
			f.Fatalf("seed %q: %v", seed.name, err)
		}
		// The seeds are written as trees: check that they decode to what
		// they say, and that the decoder judges them as they say.
		got := decodeFuzzInput(shape, text)
		if diff := cmp.Diff(seed.input, got.fuzzInput, cmp.AllowUnexported(fuzzInput{}), cmpopts.EquateEmpty()); diff != "" {
			f.Fatalf("seed %q does not decode to itself (-want +got):\n%s", seed.name, diff)
		}
		if got.whereValid != !seed.badWhere || got.pathValid != !seed.badPath {
			f.Fatalf("seed %q: decoder judges where valid %t, path valid %t; the seed says %t, %t",
				seed.name, got.whereValid, got.pathValid, !seed.badWhere, !seed.badPath)
		}
		f.Add(shape, text)
	}
	explain := neo4jExplainer(f)
	f.Fuzz(func(t *testing.T, shape []byte, text string) {
		in := decodeFuzzInput(shape, text)
		find, findParams, err := findStatement(in.where, nil, false)
		if checkStatement(t, "find", in, find, findParams, err, in.whereValid) && explain != nil {
			explain(t, "find", in, find, findParams)
		}
		total, totalParams, err := findStatement(in.where, nil, true)
		if checkStatement(t, "find with total", in, total, totalParams, err, in.whereValid) && explain != nil {
			explain(t, "find with total", in, total, totalParams)
		}
		// A whole list, with no page to stop early at, and Count's
		// statement, which reads like it.
		list, count, listParams, err := findCypher(graph.Query{Type: graph.TypeOrganisation, Where: in.where, After: &pageCursor})
		if checkStatement(t, "find whole list", in, list, listParams, err, in.whereValid) && explain != nil {
			explain(t, "find whole list", in, list, listParams)
			explain(t, "count", in, count, listParams)
		}
		neighbours, neighboursParams, err := neighboursCypher([]string{in.id}, in.path, in.where)
		if checkStatement(t, "neighbours", in, neighbours, neighboursParams, err, in.whereValid && in.pathValid) && explain != nil {
			explain(t, "neighbours", in, neighbours, neighboursParams)
		}
		expand, expandParams, err := expandCypher([]string{in.id}, fuzzBranches(in), graph.PropName)
		if checkStatement(t, "expand", in, expand, expandParams, err, in.whereValid && in.pathValid) && explain != nil {
			explain(t, "expand", in, expand, expandParams)
		}
		findBelow, findBelowParams, err := findStatement(in.where, fuzzBranches(in), false)
		if checkStatement(t, "find below", in, findBelow, findBelowParams, err, in.whereValid && in.pathValid) && explain != nil {
			explain(t, "find below", in, findBelow, findBelowParams)
		}
	})
}

// fuzzBranches are the reads of Expand and Find made of the input: a
// branch along the path with the condition, and below it the same again
// from where the path ends, listed and counted.
func fuzzBranches(in decodedInput) []graph.Branch {
	end := graph.TypePerson
	if len(in.path) > 0 && in.path[len(in.path)-1].Target != "" {
		end = in.path[len(in.path)-1].Target
	}
	return []graph.Branch{{From: graph.TypePerson, Path: in.path, Where: in.where, Below: []graph.Branch{
		{From: end, Path: in.path, Where: in.where},
		{From: end, Path: in.path, Where: in.where, Count: true},
	}}}
}

// pageParams are the parameters findCypher sets for the page that
// findStatement asks for: its bound and size whatever the condition, and
// for a text condition how many nodes it reads before the text index.
var pageParams = map[string]any{"low": "a\x00b", "limit": int64(3), "scan": int64(scanBeforeText * 3)}

// pageCursor is the cursor of the statements of Find the fuzz test makes,
// whose position key pageParams holds.
var pageCursor = graph.Position{SortKey: "a", ID: "b"}

// findStatement compiles where as Find does, for a page of organisations
// after a cursor, reading below from them: the statement with the sets a
// scan makes ahead of its MATCH, or with a total the one of both
// statements.
func findStatement(where graph.Cond, below []graph.Branch, total bool) (string, map[string]any, error) {
	find, count, params, err := findCypher(graph.Query{Type: graph.TypeOrganisation, Where: where, After: &pageCursor, First: 2, Below: below})
	if total {
		find = withTotal(find, count)
	}
	return find, params, err
}

var paramRefPattern = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)

// checkStatement checks what can be checked without Neo4j, and reports
// whether the statement compiled and is worth planning.
func checkStatement(t *testing.T, what string, in decodedInput, stmt string, params map[string]any, err error, valid bool) bool {
	t.Helper()
	if !valid {
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%s of an invalid input: error %v, want code %q; statement %s\n%s", what, err, graph.EINVALID, stmt, in)
		}
		return false
	}
	if err != nil {
		t.Errorf("%s of a valid input: %v\n%s", what, err, in)
		return false
	}
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: "+format+"\nstatement %s\nparams %q\n%s", append(append([]any{what}, args...), stmt, params, in)...)
		ok = false
	}
	if strings.Contains(stmt, sentinelOpen) || strings.Contains(stmt, sentinelClose) {
		fail("input text in the statement")
	}
	referenced := map[string]bool{}
	for _, m := range paramRefPattern.FindAllStringSubmatch(stmt, -1) {
		referenced[m[1]] = true
		if _, ok := params[m[1]]; !ok {
			fail("the statement uses $%s, which params lack", m[1])
		}
	}
	var paramStrings []string
	for name, v := range params {
		if !referenced[name] {
			fail("param %s is not in the statement", name)
		}
		if want, ok := pageParams[name]; ok && strings.HasPrefix(what, "find") {
			if v != want {
				fail("param %s is %#v, want %#v", name, v, want)
			}
			continue
		}
		if len(in.path) == 1 && v == degreeProp(in.path[0]) {
			continue // a count along one step reads the property named so
		}
		// Strings and non-nil lists of strings only: the compiled
		// conditions are never null because of that.
		switch v := v.(type) {
		case string:
			paramStrings = append(paramStrings, v)
		case []string:
			if v == nil {
				fail("param %s is a nil list, which the driver sends as null", name)
			}
			paramStrings = append(paramStrings, v...)
		default:
			fail("param %s is a %T", name, v)
		}
	}
	for _, s := range paramStrings {
		if !strings.HasPrefix(s, sentinelOpen) || !strings.HasSuffix(s, sentinelClose) {
			fail("param value %q did not come from the input", s)
		}
	}
	for _, want := range in.values {
		if !slices.Contains(paramStrings, want) {
			fail("value %q is missing from params", want)
		}
	}
	return ok
}

// neo4jExplainer returns a check that Neo4j plans a statement, with one
// driver kept for every input of the run, or nil when NEO4J_URI is unset.
// EXPLAIN reads and writes nothing, so unlike neo4jtest.Open (which this
// package's own tests cannot import) it needs no lock on the database.
func neo4jExplainer(f *testing.F) func(t *testing.T, what string, in decodedInput, stmt string, params map[string]any) {
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CIVICGRAPH_REQUIRE_NEO4J") == "1" {
			f.Fatal("NEO4J_URI not set, and CIVICGRAPH_REQUIRE_NEO4J=1 requires Neo4j; scripts/test starts a real Neo4j")
		}
		f.Log("NEO4J_URI not set: the statements are not planned by Neo4j; scripts/test starts a real Neo4j")
		return nil
	}
	auth := neo4j.NoAuth()
	if user := os.Getenv("NEO4J_USER"); user != "" {
		auth = neo4j.BasicAuth(user, os.Getenv("NEO4J_PASSWORD"), "")
	}
	driver, err := neo4j.NewDriverWithContext(uri, auth)
	if err != nil {
		f.Fatalf("Neo4j driver for %s: %v", uri, err)
	}
	f.Cleanup(func() {
		if err := driver.Close(context.Background()); err != nil {
			f.Errorf("close Neo4j driver: %v", err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := driver.VerifyConnectivity(ctx); err != nil {
		f.Fatalf("connect to Neo4j at %s: %v", uri, err)
	}
	// Inputs that differ only in their values compile to the same text,
	// which Neo4j need plan once: planning is what makes fuzzing slow.
	// A process runs its inputs one at a time.
	planned := map[string]bool{}
	return func(t *testing.T, what string, in decodedInput, stmt string, params map[string]any) {
		t.Helper()
		if planned[stmt] {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := neo4j.ExecuteQuery(ctx, driver, "EXPLAIN "+stmt, params, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithReadersRouting())
		var neoErr *neo4j.Neo4jError
		switch {
		case err == nil:
			if len(planned) < 1<<16 {
				planned[stmt] = true
			}
		case errors.As(err, &neoErr) && neoErr.Classification() == "ClientError":
			t.Errorf("Neo4j rejects the %s statement: %v\nstatement %s\nparams %q\n%s", what, err, stmt, params, in)
		default:
			t.Fatalf("Neo4j cannot plan the %s statement: %v\nstatement %s", what, err, stmt)
		}
	}
}

// Every value decoded from the input is wrapped in these runes, which our
// Cypher never holds: one in a statement means input text got there.
// graph.Fold keeps them as they are.
const (
	sentinelOpen  = "\u27e6" // ⟦
	sentinelClose = "\u27e7" // ⟧
)

// Bounds on the decoded trees, to keep each input quick to compile and
// plan.
const (
	fuzzMaxDepth      = 6
	fuzzMaxNodes      = 48
	fuzzMaxChildren   = 4 // of an And or Or
	fuzzMaxValues     = 4 // of a Match
	fuzzMaxSteps      = 4 // of a path
	fuzzMaxValueRunes = 32
)

// fuzzInput is what one fuzz input decodes to: a condition, compiled on
// its own and as the filter of a neighbours statement along path from id.
type fuzzInput struct {
	where graph.Cond
	path  graph.Path
	id    string
}

// decodedInput is a fuzzInput with what the decoder knows of it: whether
// its parts are valid, and the values of where as the params must hold
// them.
type decodedInput struct {
	fuzzInput
	whereValid, pathValid bool
	values                []string
}

func (in decodedInput) String() string {
	return fmt.Sprintf("where %#v\npath %#v\nid %q", in.where, in.path, in.id)
}

// A choice byte below fuzzValidChoices picks one of the valid fuzzOptions, any
// other byte one of the invalid ones or, past those, a value from the
// text: mutations of a valid input mostly stay valid.
const fuzzValidChoices = 0xe0

type fuzzOptions struct{ valid, invalid []string }

var (
	fuzzFieldOptions = fuzzOptions{
		stringsOf(graph.FieldID, graph.FieldKind, graph.FieldName, graph.FieldNames),
		[]string{"", "Name", "aliases"}}
	fuzzOpOptions = fuzzOptions{
		stringsOf(graph.OpEq, graph.OpIn, graph.OpContains, graph.OpStartsWith, graph.OpEndsWith),
		[]string{"", "EQ", "="}}
	fuzzQuantOptions = fuzzOptions{
		stringsOf(graph.Some, graph.All, graph.None, graph.Single),
		[]string{"", "SOME", "any"}}
	fuzzRelOptions = fuzzOptions{
		stringsOf(graph.RelTypes()...),
		[]string{"", "holds", "HOLDS ", "HOLDS|IN"}}
	fuzzDirOptions = fuzzOptions{
		stringsOf(graph.Out, graph.In),
		[]string{"", "BOTH", "out"}}
	fuzzTargetOptions = fuzzOptions{
		append([]string{""}, stringsOf(graph.EntityTypes()...)...),
		// Entity is a label of every node, but no entity type.
		[]string{"Entity", "person", "Person:Role"}}
)

// The kinds of condition, as the decoder numbers them.
const (
	fuzzKindMatch = iota
	fuzzKindAnd
	fuzzKindOr
	fuzzKindNot
	fuzzKindRelated
	fuzzKindNil
	fuzzKindCount
)

// fuzzDecoder reads a tree off shape, a byte a choice, and its values off
// text. Past the end of shape every byte reads as 0, which picks the
// simplest valid choice, so every input decodes.
type fuzzDecoder struct {
	shape   []byte
	text    string
	nodes   int
	invalid bool // some choice since the last reset makes the input invalid
	values  []string
}

func decodeFuzzInput(shape []byte, text string) decodedInput {
	d := &fuzzDecoder{shape: shape, text: text}
	var in decodedInput
	in.where = d.cond(0)
	in.whereValid = !d.invalid
	d.invalid = false
	in.path = d.path()
	in.pathValid = !d.invalid
	in.id = d.value()
	in.values = d.values
	return in
}

func (d *fuzzDecoder) byte() byte {
	if len(d.shape) == 0 {
		return 0
	}
	b := d.shape[0]
	d.shape = d.shape[1:]
	return b
}

func (d *fuzzDecoder) choose(o fuzzOptions) string {
	b := int(d.byte())
	if b < fuzzValidChoices {
		return o.valid[b%len(o.valid)]
	}
	d.invalid = true
	i := (b - fuzzValidChoices) % (len(o.invalid) + 1)
	if i < len(o.invalid) {
		return o.invalid[i]
	}
	return d.value()
}

// value takes the next few runes of text, wrapped in the sentinel.
func (d *fuzzDecoder) value() string {
	n := int(d.byte()) % fuzzMaxValueRunes
	end := 0
	for i := 0; i < n && end < len(d.text); i++ {
		_, size := utf8.DecodeRuneInString(d.text[end:])
		end += size
	}
	piece := d.text[:end]
	d.text = d.text[end:]
	// Values reach the stores from GraphQL, always valid UTF-8.
	return sentinelOpen + strings.ToValidUTF8(piece, "\uFFFD") + sentinelClose
}

func (d *fuzzDecoder) cond(depth int) graph.Cond {
	kind := int(d.byte()) % fuzzKindCount
	d.nodes++
	if depth >= fuzzMaxDepth || d.nodes > fuzzMaxNodes {
		kind = fuzzKindMatch
	}
	switch kind {
	case fuzzKindMatch:
		return d.match()
	case fuzzKindAnd:
		return graph.And(d.conds(depth))
	case fuzzKindOr:
		return graph.Or(d.conds(depth))
	case fuzzKindNot:
		sub := d.cond(depth + 1)
		if sub == nil {
			d.invalid = true
		}
		return graph.Not{Cond: sub}
	case fuzzKindRelated:
		path := d.path()
		if len(path) == 0 {
			d.invalid = true
		}
		quant := graph.Quantifier(d.choose(fuzzQuantOptions))
		return graph.Related{Path: path, Quant: quant, Where: d.cond(depth + 1)}
	}
	return nil
}

func (d *fuzzDecoder) conds(depth int) []graph.Cond {
	var out []graph.Cond
	for range int(d.byte()) % (fuzzMaxChildren + 1) {
		out = append(out, d.cond(depth+1))
	}
	return out
}

func (d *fuzzDecoder) match() graph.Match {
	m := graph.Match{Field: graph.Field(d.choose(fuzzFieldOptions)), Op: graph.Op(d.choose(fuzzOpOptions))}
	// Byte 0 gives one value, the count every op but in takes.
	count := (int(d.byte()) + 1) % (fuzzMaxValues + 1)
	if m.Op != graph.OpIn && count != 1 {
		d.invalid = true
	}
	for range count {
		v := d.value()
		m.Values = append(m.Values, v)
		if m.Field == graph.FieldName || m.Field == graph.FieldNames {
			v = graph.Fold(v)
		}
		d.values = append(d.values, v)
	}
	return m
}

func (d *fuzzDecoder) path() graph.Path {
	var p graph.Path
	for range int(d.byte()) % (fuzzMaxSteps + 1) {
		p = append(p, graph.Step{
			Rel:    graph.RelType(d.choose(fuzzRelOptions)),
			Dir:    graph.Direction(d.choose(fuzzDirOptions)),
			Target: graph.EntityType(d.choose(fuzzTargetOptions)),
			Repeat: d.byte()%2 == 1,
		})
	}
	return p
}

// fuzzEncoder is fuzzDecoder's inverse, for seeds written as trees.
type fuzzEncoder struct {
	shape []byte
	text  strings.Builder
	err   error
}

func encodeFuzzInput(in fuzzInput) ([]byte, string, error) {
	e := &fuzzEncoder{}
	e.cond(in.where)
	e.path(in.path)
	e.value(in.id)
	return e.shape, e.text.String(), e.err
}

func (e *fuzzEncoder) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf(format, args...)
	}
}

func (e *fuzzEncoder) choose(o fuzzOptions, s string) {
	if i := slices.Index(o.valid, s); i >= 0 {
		e.shape = append(e.shape, byte(i))
		return
	}
	if i := slices.Index(o.invalid, s); i >= 0 {
		e.shape = append(e.shape, byte(fuzzValidChoices+i))
		return
	}
	e.shape = append(e.shape, byte(fuzzValidChoices+len(o.invalid)))
	e.value(s)
}

func (e *fuzzEncoder) value(s string) {
	piece, opened := strings.CutPrefix(s, sentinelOpen)
	piece, closed := strings.CutSuffix(piece, sentinelClose)
	n := utf8.RuneCountInString(piece)
	if !opened || !closed || !utf8.ValidString(piece) || n >= fuzzMaxValueRunes {
		e.fail("value %q is not a short valid string in the sentinel (use wrapValue)", s)
	}
	e.shape = append(e.shape, byte(n))
	e.text.WriteString(piece)
}

func (e *fuzzEncoder) cond(c graph.Cond) {
	switch c := c.(type) {
	case nil:
		e.shape = append(e.shape, fuzzKindNil)
	case graph.Match:
		e.shape = append(e.shape, fuzzKindMatch)
		e.choose(fuzzFieldOptions, string(c.Field))
		e.choose(fuzzOpOptions, string(c.Op))
		if len(c.Values) > fuzzMaxValues {
			e.fail("more than %d values", fuzzMaxValues)
		}
		e.shape = append(e.shape, byte((len(c.Values)+fuzzMaxValues)%(fuzzMaxValues+1)))
		for _, v := range c.Values {
			e.value(v)
		}
	case graph.And:
		e.shape = append(e.shape, fuzzKindAnd)
		e.conds(c)
	case graph.Or:
		e.shape = append(e.shape, fuzzKindOr)
		e.conds(c)
	case graph.Not:
		e.shape = append(e.shape, fuzzKindNot)
		e.cond(c.Cond)
	case graph.Related:
		e.shape = append(e.shape, fuzzKindRelated)
		e.path(c.Path)
		e.choose(fuzzQuantOptions, string(c.Quant))
		e.cond(c.Where)
	default:
		e.fail("unknown condition %T", c)
	}
}

func (e *fuzzEncoder) conds(cs []graph.Cond) {
	if len(cs) > fuzzMaxChildren {
		e.fail("more than %d conditions", fuzzMaxChildren)
	}
	e.shape = append(e.shape, byte(len(cs)))
	for _, c := range cs {
		e.cond(c)
	}
}

func (e *fuzzEncoder) path(p graph.Path) {
	if len(p) > fuzzMaxSteps {
		e.fail("more than %d steps", fuzzMaxSteps)
	}
	e.shape = append(e.shape, byte(len(p)))
	for _, s := range p {
		e.choose(fuzzRelOptions, string(s.Rel))
		e.choose(fuzzDirOptions, string(s.Dir))
		e.choose(fuzzTargetOptions, string(s.Target))
		repeat := byte(0)
		if s.Repeat {
			repeat = 1
		}
		e.shape = append(e.shape, repeat)
	}
}

// wrapValue wraps a value in the sentinel, as the decoder gives values.
func wrapValue(s string) string { return sentinelOpen + s + sentinelClose }

func wrapValues(ss ...string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = wrapValue(s)
	}
	return out
}

type compileSeed struct {
	name              string
	input             fuzzInput
	badWhere, badPath bool
}

// compileSeeds reach every branch of the compiler and of Validate: each
// field with each op, each quantifier with and without a condition, paths
// of plain and Repeat steps, and each way a tree can be invalid.
func compileSeeds() []compileSeed {
	units := graph.Path{{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation}}
	people := graph.Path{
		{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true},
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelHolds, Dir: graph.In, Target: graph.TypePerson},
	}
	spoke := graph.Path{{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk}}
	anyRepeat := graph.Path{{Rel: graph.RelBroader, Dir: graph.Out, Repeat: true}}
	match := func(f graph.Field, op graph.Op, values ...string) graph.Match {
		return graph.Match{Field: f, Op: op, Values: wrapValues(values...)}
	}
	id := wrapValue("alella")
	with := func(name string, where graph.Cond, path graph.Path) compileSeed {
		return compileSeed{name: name, input: fuzzInput{where: where, path: path, id: id}}
	}
	bad := func(name string, where graph.Cond) compileSeed {
		s := with(name, where, units)
		s.badWhere = true
		return s
	}
	badPath := func(name string, step graph.Step) compileSeed {
		s := with(name, match(graph.FieldID, graph.OpEq, "x"), graph.Path{step})
		s.badPath = true
		return s
	}
	return []compileSeed{
		with("no condition, empty path", nil, nil),
		with("headline", graph.And{
			match(graph.FieldKind, graph.OpEq, "MUNICIPALITY"),
			graph.Related{Path: people, Quant: graph.Some, Where: graph.Related{
				Path: spoke, Quant: graph.Single,
				Where: graph.Not{Cond: match(graph.FieldNames, graph.OpStartsWith, "Débat'")},
			}},
			graph.Related{Path: units, Quant: graph.All, Where: match(graph.FieldName, graph.OpIn, "x' }) DETACH DELETE n //")},
			graph.Or{},
		}, units),
		with("every field and op", graph.Or{
			graph.And{match(graph.FieldID, graph.OpIn, "a", "b$p0"), match(graph.FieldID, graph.OpIn),
				match(graph.FieldKind, graph.OpEq, "UNIT"), match(graph.FieldID, graph.OpContains, "`")},
			graph.And{match(graph.FieldName, graph.OpEq, "Ginè"), match(graph.FieldName, graph.OpContains, "GINE"),
				match(graph.FieldName, graph.OpStartsWith, "\u2019s"), match(graph.FieldName, graph.OpEndsWith, "\\'")},
			graph.And{match(graph.FieldNames, graph.OpEq, "a\nb"), match(graph.FieldNames, graph.OpIn, "Ana", "ANA"),
				match(graph.FieldNames, graph.OpContains, "}) RETURN 1 //"), match(graph.FieldNames, graph.OpEndsWith, "\"")},
			graph.And{match(graph.FieldKind, graph.OpStartsWith, "M"), match(graph.FieldKind, graph.OpEndsWith, "Y"),
				match(graph.FieldKind, graph.OpIn, "CASE"), match(graph.FieldKind, graph.OpContains, "")},
		}, spoke),
		with("every quantifier", graph.And{
			graph.Related{Path: spoke, Quant: graph.Some},
			graph.Related{Path: spoke, Quant: graph.All},
			graph.Related{Path: spoke, Quant: graph.None},
			graph.Related{Path: spoke, Quant: graph.Single},
		}, people),
		with("every quantifier with a condition", graph.Or{
			graph.Related{Path: people, Quant: graph.All, Where: match(graph.FieldID, graph.OpEq, "ana")},
			graph.Related{Path: people, Quant: graph.None, Where: graph.Or{}},
			graph.Related{Path: anyRepeat, Quant: graph.Single, Where: graph.And{}},
			graph.Related{Path: anyRepeat, Quant: graph.Some, Where: graph.Not{Cond: graph.And{nil}}},
		}, anyRepeat),
		with("nested quantifiers", graph.Not{Cond: graph.Not{Cond: graph.Related{
			Path:  graph.Path{{Rel: graph.RelAbout, Dir: graph.In}, {Rel: graph.RelPresents, Dir: graph.In, Target: graph.TypeTalk}},
			Quant: graph.All,
			Where: graph.Related{Path: graph.Path{{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeTalk, Repeat: true},
				{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeEvent}},
				Quant: graph.Some,
				Where: graph.Related{Path: graph.Path{{Rel: graph.RelHeldAt, Dir: graph.Out}}, Quant: graph.None,
					Where: match(graph.FieldNames, graph.OpContains, "mataró")}},
		}}}, graph.Path{
			{Rel: graph.RelPresents, Dir: graph.In, Repeat: true},
			{Rel: graph.RelPresents, Dir: graph.Out, Target: graph.TypePractice},
			{Rel: graph.RelAbout, Dir: graph.Out, Target: graph.TypeTopic, Repeat: true},
			{Rel: graph.RelBroader, Dir: graph.In}}),
		bad("unknown field", match("aliases", graph.OpEq, "x")),
		bad("field from the input", match(graph.Field(wrapValue("id = 1 OR true //")), graph.OpEq, "x")),
		bad("unknown op", graph.And{match(graph.FieldID, graph.OpEq, "x"), match(graph.FieldID, "=", "x")}),
		bad("op from the input", match(graph.FieldName, graph.Op(wrapValue("=~")), "x")),
		bad("no value", graph.Or{match(graph.FieldName, graph.OpContains)}),
		bad("two values", match(graph.FieldKind, graph.OpEq, "UNIT", "CASE")),
		bad("empty NOT", graph.Not{}),
		bad("empty path", graph.Related{Quant: graph.Some}),
		bad("unknown quantifier", graph.Related{Path: units, Quant: "any"}),
		bad("quantifier from the input", graph.Related{Path: units, Quant: graph.Quantifier(wrapValue("SOME"))}),
		bad("unknown relation type", graph.Related{Path: graph.Path{{Rel: "HOLDS|IN", Dir: graph.Out}}, Quant: graph.Some}),
		bad("relation type from the input", graph.Related{Quant: graph.All, Where: match(graph.FieldID, graph.OpEq, "x"),
			Path: graph.Path{{Rel: graph.RelType(wrapValue("HOLDS]->(m) DETACH DELETE m //")), Dir: graph.Out}}}),
		bad("unknown direction", graph.Related{Path: graph.Path{{Rel: graph.RelIn, Dir: "BOTH"}}, Quant: graph.None}),
		bad("unknown target", graph.Related{Path: graph.Path{{Rel: graph.RelIn, Dir: graph.Out, Target: "Entity", Repeat: true}}, Quant: graph.Single}),
		bad("unknown relation type under ALL", graph.And{match(graph.FieldID, graph.OpEq, "x"), graph.Related{Path: units, Quant: graph.All,
			Where: graph.Related{Path: graph.Path{{Rel: "holds", Dir: graph.Out}}, Quant: graph.Some}}}),
		bad("unknown target under NONE", graph.Related{Path: units, Quant: graph.None,
			Where: graph.Not{Cond: graph.Related{Path: graph.Path{{Rel: graph.RelIn, Dir: graph.Out, Target: "person"}}, Quant: graph.Single}}}),
		bad("deep invalid", graph.And{graph.Related{Path: people, Quant: graph.Some, Where: graph.Or{
			match(graph.FieldID, graph.OpEq, "x"), graph.Not{Cond: graph.Not{}}}}}),
		badPath("path: unknown relation type", graph.Step{Rel: "holds", Dir: graph.In}),
		badPath("path: direction from the input", graph.Step{Rel: graph.RelHolds, Dir: graph.Direction(wrapValue("]-(m) DETACH DELETE m //"))}),
		badPath("path: unknown target", graph.Step{Rel: graph.RelHolds, Dir: graph.Out, Target: "Person:Role"}),
	}
}
