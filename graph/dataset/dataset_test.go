package dataset_test

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/data"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/dataset"
)

const sourceText = "Anna Ginè, responsabile del servizio AOC, ha moderato il dibattito."

// header is the start of a valid file: one source, used by default.
const header = `source: doc
sources:
  - id: doc
    title: A document
    language: it
    file: doc.txt
`

func load(files map[string]string) (*graph.Dataset, error) {
	fsys := fstest.MapFS{"doc.txt": {Data: []byte(sourceText)}}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return dataset.Load(fsys, "data")
}

func TestLoadValid(t *testing.T) {
	ds, err := load(map[string]string{"a.yaml": header + `entities:
  - id: anna-gine
    type: Person
    name: Anna Ginè
    aliases: [Anna Gine]
    evidence:
      - quote: Anna Ginè
  - id: aoc
    type: Organisation
    kind: CONSORTIUM
    name: AOC
    evidence:
      - quote: servizio AOC
  - id: role-anna
    type: Role
    name: responsabile del servizio AOC
    evidence:
      - quote: responsabile del servizio AOC
relations:
  - from: anna-gine
    type: HOLDS
    to: role-anna
    evidence:
      - quote: "Anna Ginè, responsabile"
  - from: role-anna
    type: IN
    to: aoc
    evidence:
      - source: doc
        quote: responsabile del servizio AOC
`})
	if err != nil {
		t.Fatal(err)
	}
	want := &graph.Dataset{
		Entities: []graph.Entity{
			{ID: "doc", Type: graph.TypeSource, Name: "A document", Language: "it", Text: sourceText},
			{ID: "anna-gine", Type: graph.TypePerson, Name: "Anna Ginè", Aliases: []string{"Anna Gine"}, Evidence: []graph.Evidence{{Source: "doc", Quote: "Anna Ginè"}}},
			{ID: "aoc", Type: graph.TypeOrganisation, Name: "AOC", Kind: "CONSORTIUM", Evidence: []graph.Evidence{{Source: "doc", Quote: "servizio AOC"}}},
			{ID: "role-anna", Type: graph.TypeRole, Name: "responsabile del servizio AOC", Evidence: []graph.Evidence{{Source: "doc", Quote: "responsabile del servizio AOC"}}},
		},
		Relations: []graph.Relation{
			{Type: graph.RelHolds, From: "anna-gine", To: "role-anna", Evidence: []graph.Evidence{{Source: "doc", Quote: "Anna Ginè, responsabile"}}},
			{Type: graph.RelIn, From: "role-anna", To: "aoc", Evidence: []graph.Evidence{{Source: "doc", Quote: "responsabile del servizio AOC"}}},
		},
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("dataset (-want +got):\n%s", diff)
	}
}

// TestLoadProblems feeds broken files and checks every message: file, line
// and what is wrong. A dataset with any problem loads nothing.
func TestLoadProblems(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "quote not verbatim",
			files: map[string]string{"a.yaml": header + `entities:
  - id: anna-gine
    type: Person
    name: Anna Ginè
    evidence:
      - quote: Anna Gine
`},
			want: []string{`data/a.yaml:12: entity "anna-gine": quote not found verbatim in source "doc": "Anna Gine"`},
		},
		{
			name: "missing evidence, unknown kind, unknown type",
			files: map[string]string{"a.yaml": header + `entities:
  - id: aoc
    type: Organisation
    kind: AGENCY
    name: AOC
  - id: x
    type: Building
    name: X
    evidence:
      - quote: AOC
`},
			want: []string{
				`data/a.yaml:8: entity "aoc": unknown kind "AGENCY" for a Organisation (want one of MUNICIPALITY, CONSORTIUM, UNIT, SERVICE_POINT)`,
				`data/a.yaml:8: entity "aoc": missing evidence`,
				`data/a.yaml:12: entity "x": unknown type "Building" (want one of Person, Organisation, Role, Event, Talk, Practice, Service, Topic)`,
			},
		},
		{
			name: "duplicate id across files",
			files: map[string]string{
				"a.yaml": header + `entities:
  - id: aoc
    type: Organisation
    kind: CONSORTIUM
    name: AOC
    evidence: [{quote: AOC}]
`,
				"b.yaml": `source: doc
entities:
  - id: aoc
    type: Topic
    name: AOC again
    evidence: [{quote: AOC}]
`},
			want: []string{`data/b.yaml:3: duplicate id "aoc": already used at data/a.yaml:8`},
		},
		{
			name: "unknown reference and wrong endpoints",
			files: map[string]string{"a.yaml": header + `entities:
  - id: anna-gine
    type: Person
    name: Anna Ginè
    evidence: [{quote: Anna Ginè}]
relations:
  - from: anna-gine
    type: HOLDS
    to: role-nobody
    evidence: [{quote: responsabile}]
  - from: anna-gine
    type: PART_OF
    to: anna-gine
    evidence: [{quote: responsabile}]
  - from: anna-gine
    type: KNOWS
    to: anna-gine
    evidence: [{quote: responsabile}]
`},
			want: []string{
				`data/a.yaml:13: relation anna-gine -HOLDS-> role-nobody: unknown reference "role-nobody" in to`,
				`data/a.yaml:17: relation anna-gine -PART_OF-> anna-gine: PART_OF cannot go from a Person to a Person`,
				`data/a.yaml:21: relation anna-gine -KNOWS-> anna-gine: unknown relation type "KNOWS"`,
			},
		},
		{
			name: "evidence from an unknown source",
			files: map[string]string{"a.yaml": header + `entities:
  - id: anna-gine
    type: Person
    name: Anna Ginè
    evidence:
      - source: elsewhere
        quote: Anna
`},
			want: []string{`data/a.yaml:12: entity "anna-gine": evidence cites unknown source "elsewhere"`},
		},
		{
			name: "dates: no invented year, only events",
			files: map[string]string{"a.yaml": header + `entities:
  - id: meeting
    type: Event
    kind: MEETING
    name: meeting
    date: 2024-13-01
    evidence: [{quote: dibattito}]
  - id: anna-gine
    type: Person
    name: Anna Ginè
    date: "--11-22"
    evidence: [{quote: Anna Ginè}]
`},
			want: []string{
				`data/a.yaml:8: entity "meeting": date "2024-13-01" is not YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD`,
				`data/a.yaml:14: entity "anna-gine": only events have a date`,
			},
		},
		{
			name: "talk without order, ORGANISED without as",
			files: map[string]string{"a.yaml": header + `entities:
  - id: debate
    type: Talk
    kind: DEBATE
    name: dibattito
    evidence: [{quote: dibattito}]
  - id: aoc
    type: Organisation
    kind: CONSORTIUM
    name: AOC
    evidence: [{quote: AOC}]
  - id: meeting
    type: Event
    kind: MEETING
    name: meeting
    evidence: [{quote: dibattito}]
relations:
  - from: aoc
    type: ORGANISED
    to: meeting
    evidence: [{quote: AOC}]
`},
			want: []string{
				`data/a.yaml:8: entity "debate": a talk needs its order in the agenda (1, 2, ...)`,
				`data/a.yaml:24: relation aoc -ORGANISED-> meeting: unknown value "" for as (want one of ORGANISER, COLLABORATOR)`,
			},
		},
		{
			name:  "unknown field",
			files: map[string]string{"a.yaml": header + "entities:\n  - id: x\n    type: Person\n    name: X\n    nickname: Y\n"},
			want:  []string{`data/a.yaml:11: unknown field "nickname"`},
		},
		{
			name: "wrong shapes and keys",
			files: map[string]string{"a.yaml": header + "entities:\n  - id: x\n    type: Talk\n    name: X\n    order: first\n" +
				"    evidence: [{quote: X, page: 3}]\n  - id: y\n    type: Person\n    name: Y\n    aliases: {a: b}\n    evidence: 3\n" +
				"colour: red\n"},
			want: []string{
				"data/a.yaml:11: want a whole number, found !!str `first`",
				`data/a.yaml:12: unknown field "page"`,
				"data/a.yaml:16: want a list, found !!map",
				"data/a.yaml:17: want a list, found !!int `3`",
				`data/a.yaml:18: unknown field "colour"`,
			},
		},
		{
			name:  "two documents",
			files: map[string]string{"a.yaml": header + "---\n" + header},
			want:  []string{"data/a.yaml:1: want exactly one YAML document, found 2"},
		},
		{
			name:  "no document",
			files: map[string]string{"a.yaml": "# nothing yet\n"},
			want:  []string{"data/a.yaml:1: want exactly one YAML document, found 0"},
		},
		{
			name:  "malformed YAML",
			files: map[string]string{"a.yaml": header + "entities:\n  - id: [x\n"},
			want:  []string{`data/a.yaml:9: did not find expected ',' or ']' (while parsing a flow sequence from line 8)`},
		},
		{
			name: "bad id and duplicate relation",
			files: map[string]string{"a.yaml": header + `entities:
  - id: Anna Ginè
    type: Person
    name: Anna Ginè
    evidence: [{quote: Anna Ginè}]
  - id: aoc
    type: Organisation
    kind: CONSORTIUM
    name: AOC
    evidence: [{quote: AOC}]
  - id: sub
    type: Organisation
    kind: UNIT
    name: sub
    evidence: [{quote: AOC}]
relations:
  - {from: sub, type: PART_OF, to: aoc, evidence: [{quote: AOC}]}
  - {from: sub, type: PART_OF, to: aoc, evidence: [{quote: servizio AOC}]}
`},
			want: []string{
				`data/a.yaml:8: id "Anna Ginè": use lower-case letters, digits and single hyphens`,
				`data/a.yaml:24: relation sub -PART_OF-> aoc: stated twice (first at line 23)`,
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := load(tt.files)
			if ds != nil {
				t.Errorf("a dataset with problems loaded %d entities", len(ds.Entities))
			}
			problems, ok := errors.AsType[dataset.Problems](err)
			if !ok {
				t.Fatalf("error %v (%T); want dataset.Problems", err, err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSeed checks that the curated dataset loads cleanly.
func TestSeed(t *testing.T) {
	ds, err := dataset.Load(data.Seed, "data")
	if err != nil {
		t.Fatalf("seed dataset: %v", err)
	}
	counts := map[graph.EntityType]int{}
	for _, e := range ds.Entities {
		counts[e.Type]++
	}
	want := map[graph.EntityType]int{
		graph.TypeSource: 1, graph.TypePerson: 10, graph.TypeOrganisation: 15, graph.TypeRole: 11, graph.TypeEvent: 1,
		graph.TypeTalk: 10, graph.TypePractice: 8, graph.TypeService: 5, graph.TypeTopic: 10,
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("entities per type (-want +got):\n%s", diff)
	}
	if len(ds.Relations) != 81 {
		t.Errorf("%d relations, want 81", len(ds.Relations))
	}
}
