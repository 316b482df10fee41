package gen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/civicgraph/civicgraph/graph"
)

// WriteYAML writes ds into dir as curated data files (the format the
// server's -data flag reads): one file per entity type, one for the
// relations, and each source's text under sources/. It is how the
// embedded server gets a synthetic graph without a flag of its own.
func WriteYAML(dir string, ds *graph.Dataset) error {
	if err := os.MkdirAll(filepath.Join(dir, "sources"), 0o755); err != nil {
		return err
	}
	byType := map[graph.EntityType][]*graph.Entity{}
	defaultSource := ""
	for i := range ds.Entities {
		e := &ds.Entities[i]
		byType[e.Type] = append(byType[e.Type], e)
		if e.Type == graph.TypeSource && defaultSource == "" {
			defaultSource = e.ID
		}
	}
	for i, t := range graph.EntityTypes() {
		if len(byType[t]) == 0 {
			continue
		}
		err := writeFile(filepath.Join(dir, fmt.Sprintf("%02d-%s.yaml", i, t)), func(w *yamlWriter) error {
			w.line(0, "source: "+defaultSource)
			if t == graph.TypeSource {
				w.line(0, "sources:")
				for _, e := range byType[t] {
					file := "sources/" + e.ID + ".txt"
					if err := os.WriteFile(filepath.Join(dir, file), []byte(e.Text), 0o644); err != nil {
						return err
					}
					w.field(2, "- id", e.ID)
					w.field(4, "title", e.Name)
					w.optional(4, "language", e.Language)
					w.optional(4, "url", e.URL)
					w.field(4, "file", file)
				}
				return nil
			}
			w.line(0, "entities:")
			for _, e := range byType[t] {
				w.field(2, "- id", e.ID)
				w.field(4, "type", string(e.Type))
				w.field(4, "name", e.Name)
				if len(e.Aliases) > 0 {
					b, _ := json.Marshal(e.Aliases)
					w.line(4, "aliases: "+string(b))
				}
				w.optional(4, "kind", e.Kind)
				w.optional(4, "description", e.Description)
				w.optional(4, "date", e.Date.String())
				if e.Order != 0 {
					w.line(4, "order: "+strconv.Itoa(e.Order))
				}
				w.evidence(defaultSource, e.Evidence)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return writeFile(filepath.Join(dir, "99-relations.yaml"), func(w *yamlWriter) error {
		w.line(0, "source: "+defaultSource)
		w.line(0, "relations:")
		for _, r := range ds.Relations {
			w.field(2, "- from", r.From)
			w.field(4, "type", string(r.Type))
			w.field(4, "to", r.To)
			w.optional(4, "as", r.As)
			w.evidence(defaultSource, r.Evidence)
		}
		return nil
	})
}

func writeFile(path string, write func(*yamlWriter) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := &yamlWriter{w: bufio.NewWriterSize(f, 1<<20)}
	err = write(w)
	if err == nil {
		err = w.w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

type yamlWriter struct{ w *bufio.Writer }

func (w *yamlWriter) line(indent int, s string) {
	for range indent {
		w.w.WriteByte(' ')
	}
	w.w.WriteString(s)
	w.w.WriteByte('\n')
}

// field writes a string value double-quoted: JSON's string syntax is valid
// YAML, so no value can be mistaken for a number, a boolean or syntax.
func (w *yamlWriter) field(indent int, key, value string) {
	b, _ := json.Marshal(value)
	w.line(indent, key+": "+string(b))
}

func (w *yamlWriter) optional(indent int, key, value string) {
	if value != "" {
		w.field(indent, key, value)
	}
}

func (w *yamlWriter) evidence(defaultSource string, evidence []graph.Evidence) {
	w.line(4, "evidence:")
	for _, ev := range evidence {
		w.field(6, "- quote", ev.Quote)
		if ev.Source != defaultSource {
			w.field(8, "source", ev.Source)
		}
	}
}
