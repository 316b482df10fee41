package neo4jstore

import (
	"context"
	"crypto/rand"
	"maps"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

// Replace implements graph.Store. Entities and relations are merged in
// batches of Config.BatchSize rows, each write stamped with a token of
// this load; what carries an older stamp is then deleted. Loading the same
// dataset twice gives the same graph.
//
// Up to Config.StageAbove entities and relations, it is one write
// transaction, so a failed or cancelled load leaves the previous graph as
// it was. A larger dataset would not fit in the database's memory as one
// transaction: it is staged (see replaceStaged), with the same guarantee
// for readers.
//
// It returns EINVALID for an unknown entity or relation type, or for a
// relation whose end is not in the dataset.
func (s *Store) Replace(ctx context.Context, ds *graph.Dataset) error {
	if err := ctx.Err(); err != nil {
		return s.fail(ctx, "replace", err)
	}
	b := batches{load: rand.Text(), size: s.cfg.BatchSize,
		entities: map[graph.EntityType][]*graph.Entity{}, relations: map[graph.RelType][]*graph.Relation{}}
	for i := range ds.Entities {
		e := &ds.Entities[i]
		if !e.Type.Valid() {
			return graph.Errorf(graph.EINVALID, "entity %q: unknown type %q", e.ID, e.Type)
		}
		b.entities[e.Type] = append(b.entities[e.Type], e)
	}
	for i := range ds.Relations {
		r := &ds.Relations[i]
		if !slices.Contains(graph.RelTypes(), r.Type) {
			return graph.Errorf(graph.EINVALID, "relation %s -> %s: unknown type %q", r.From, r.To, r.Type)
		}
		b.relations[r.Type] = append(b.relations[r.Type], r)
	}
	b.degrees = datasetDegrees(ds)
	if len(ds.Entities)+len(ds.Relations) > s.cfg.StageAbove {
		return s.fail(ctx, "replace", s.replaceStaged(ctx, b))
	}
	err := s.write(ctx, func(tx neo4j.ManagedTransaction) error {
		run := func(cypher string, params map[string]any) (int64, error) { return s.exec(ctx, tx, cypher, params) }
		stale := map[string]any{"load": b.load}
		// Stale entities go before relations are merged: a relation to an
		// entity the dataset lacks must not find it.
		if err := b.writeEntities(run, mergeEntities); err != nil {
			return err
		}
		if _, err := run(deleteStaleEntities, stale); err != nil {
			return err
		}
		if err := b.writeRelations(run, mergeRelations); err != nil {
			return err
		}
		if _, err := run(deleteStaleRelations, stale); err != nil {
			return err
		}
		_, err := run(writeLayout, map[string]any{"version": int64(layoutVersion)})
		return err
	})
	return s.fail(ctx, "replace", err)
}

// batches is a dataset grouped by type, to be written in batches of size
// rows stamped with load.
type batches struct {
	load      string
	size      int
	entities  map[graph.EntityType][]*graph.Entity
	relations map[graph.RelType][]*graph.Relation
	degrees   degrees
}

// runner runs a statement and returns the count it answers, if any.
type runner func(cypher string, params map[string]any) (int64, error)

// writeEntities sends every entity through run, in the statement entity
// makes for each type.
func (b batches) writeEntities(run runner, entity func(graph.EntityType) string) error {
	for _, t := range graph.EntityTypes() {
		cypher := entity(t)
		for batch := range slices.Chunk(b.entities[t], b.size) {
			rows := make([]map[string]any, len(batch))
			for i, e := range batch {
				rows[i] = entityProps(e, b.degrees[e.ID])
			}
			if _, err := run(cypher, map[string]any{"rows": rows, "load": b.load}); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeRelations sends every relation through run, in the statement
// relation makes for each type, and checks that each found both its ends.
func (b batches) writeRelations(run runner, relation func(graph.RelType) string) error {
	for _, t := range graph.RelTypes() {
		cypher := relation(t)
		for batch := range slices.Chunk(b.relations[t], b.size) {
			rows := make([]map[string]any, len(batch))
			for i, r := range batch {
				rows[i] = map[string]any{"from": r.From, "to": r.To, "props": relationProps(r)}
			}
			merged, err := run(cypher, map[string]any{"rows": rows, "load": b.load})
			if err != nil {
				return err
			}
			if merged < int64(len(rows)) {
				return graph.Errorf(graph.EINVALID, "%d of %d %s relations join entities the dataset does not have",
					int64(len(rows))-merged, len(rows), t)
			}
		}
	}
	return nil
}

// replaceStaged loads a dataset too large for one transaction. Each batch
// is its own transaction and writes nodes that no read can see: they carry
// a staging label instead of Entity and their type's, and reads always
// name those (relations join staged nodes only). One transaction then
// switches: the nodes of the old graph lose their labels for a retired
// one, the staged nodes take theirs. Readers see the old graph, then the
// new one. Staged nodes of a failed load, and the retired graph, are
// deleted afterwards in batches; what a crash leaves of them is invisible,
// and deleted by the next staged load. A batch the driver retries after a
// commit whose answer was lost is staged twice: the switch then fails on
// the unique id, and the load with it, leaving the old graph.
func (s *Store) replaceStaged(ctx context.Context, b batches) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	if err := s.clearStaging(ctx); err != nil {
		return err
	}
	stage := func(cypher string, params map[string]any) (n int64, err error) {
		err = s.write(ctx, func(tx neo4j.ManagedTransaction) error {
			n, err = s.exec(ctx, tx, cypher, params)
			return err
		})
		return n, err
	}
	err := b.writeEntities(stage, stageEntities)
	if err == nil {
		err = b.writeRelations(stage, stageRelations)
	}
	if err == nil {
		err = s.write(ctx, func(tx neo4j.ManagedTransaction) error {
			if _, err := s.exec(ctx, tx, retireEntities, nil); err != nil {
				return err
			}
			for _, t := range graph.EntityTypes() {
				if _, err := s.exec(ctx, tx, promoteStaged(t), map[string]any{"load": b.load}); err != nil {
					return err
				}
			}
			_, err := s.exec(ctx, tx, writeLayout, map[string]any{"version": int64(layoutVersion)})
			return err
		})
	}
	// The switch is done or never happened either way: what is left
	// staged or retired is garbage, invisible, and the next staged load
	// clears it if this cannot.
	_ = s.clearStaging(context.WithoutCancel(ctx))
	return err
}

// Labels of nodes no read sees: those a staged load writes, and those of
// the graph it replaced.
const (
	stagedLabel  = "CivicgraphStaged"
	retiredLabel = "CivicgraphRetired"
)

// stagedTypeLabel keeps a staged node's type until the switch.
func stagedTypeLabel(t graph.EntityType) string { return stagedLabel + string(t) }

func stageEntities(t graph.EntityType) string {
	return "UNWIND $rows AS row CREATE (n:" + stagedLabel + ":" + stagedTypeLabel(t) + ") SET n = row, n." + propLoad + " = $load"
}

func stageRelations(t graph.RelType) string {
	return "UNWIND $rows AS row MATCH (a:" + stagedLabel + " {id: row.from}) WHERE a." + propLoad + " = $load " +
		"MATCH (b:" + stagedLabel + " {id: row.to}) WHERE b." + propLoad + " = $load " +
		"MERGE (a)-[r:" + string(t) + "]->(b) SET r = row.props, r." + propLoad + " = $load RETURN count(*) AS n"
}

// retireEntities takes the current graph out of every read's sight.
var retireEntities = "MATCH (n:" + entityLabel + ") REMOVE n:" + entityLabel + ":" +
	strings.Join(stringsOf(graph.EntityTypes()...), ":") + " SET n:" + retiredLabel

func promoteStaged(t graph.EntityType) string {
	return "MATCH (n:" + stagedTypeLabel(t) + ") WHERE n." + propLoad + " = $load SET n:" + entityLabel + ":" + string(t) +
		" REMOVE n:" + stagedLabel + ":" + stagedTypeLabel(t)
}

// clearStaging deletes staged and retired nodes, a thousand per
// transaction.
func (s *Store) clearStaging(ctx context.Context) error {
	for _, label := range []string{stagedLabel, retiredLabel} {
		cypher := "MATCH (n:" + label + ") CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS"
		if _, err := autoCommit(ctx, s, neo4j.AccessModeWrite, cypher, nil, discard(ctx)); err != nil {
			return err
		}
	}
	return nil
}

func stringsOf[T ~string](xs ...T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// exec runs a statement that returns at most one row with a count "n", and
// returns that count.
func (s *Store) exec(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (int64, error) {
	res, err := s.run(ctx, tx, cypher, params)
	if err != nil {
		return 0, err
	}
	records, err := res.Collect(ctx)
	if err != nil || len(records) == 0 {
		return 0, err
	}
	n, _, err := neo4j.GetRecordValue[int64](records[0], "n")
	return n, err
}

// mergeEntities writes a batch of entities of type t: every property is
// replaced, and the labels become exactly Entity and t, in case an id
// changed type since the last load.
func mergeEntities(t graph.EntityType) string {
	var others []string
	for _, o := range graph.EntityTypes() {
		if o != t {
			others = append(others, string(o))
		}
	}
	return "UNWIND $rows AS row MERGE (n:" + entityLabel + " {id: row.id}) SET n = row, n." + propLoad + " = $load, n:" +
		string(t) + " REMOVE n:" + strings.Join(others, ":")
}

// mergeRelations writes a batch of relations of type t, and counts those
// whose ends exist.
func mergeRelations(t graph.RelType) string {
	return "UNWIND $rows AS row MATCH (a:" + entityLabel + " {id: row.from}) MATCH (b:" + entityLabel + " {id: row.to}) " +
		"MERGE (a)-[r:" + string(t) + "]->(b) SET r = row.props, r." + propLoad + " = $load RETURN count(*) AS n"
}

const (
	deleteStaleEntities  = "MATCH (n:" + entityLabel + ") WHERE coalesce(n." + propLoad + ", '') <> $load DETACH DELETE n"
	deleteStaleRelations = "MATCH (:" + entityLabel + ")-[r]->(:" + entityLabel + ") WHERE coalesce(r." + propLoad +
		", '') <> $load DELETE r"
)

// entityProps returns every property a node stores, empty values
// included, the derived values reads compare and order on, and the
// node's degree properties (see degreeProp).
func entityProps(e *graph.Entity, degreeProps map[string]any) map[string]any {
	names := e.Names()
	folded := make([]string, len(names))
	for i, name := range names {
		folded[i] = graph.Fold(name)
	}
	sources, quotes := evidenceLists(e.Evidence)
	props := map[string]any{
		"id":              e.ID,
		"name":            e.Name,
		"aliases":         append([]string{}, e.Aliases...),
		"kind":            e.Kind,
		"description":     e.Description,
		"date":            e.Date.String(),
		"order":           int64(e.Order),
		"language":        e.Language,
		"url":             e.URL,
		"text":            e.Text,
		"evidenceSources": sources,
		"evidenceQuotes":  quotes,
		propSortKey:       orderKey(graph.SortKey(e)),
		propFoldedName:    folded[0],
		propFoldedNames:   folded,
		propNamesText:     strings.Join(folded, namesSep),
	}
	for _, field := range e.Type.OrderFields() {
		props[positionProp(e.Type, field)] = positionKey(graph.PositionIn(e, field))
	}
	maps.Copy(props, degreeProps)
	return props
}

func relationProps(r *graph.Relation) map[string]any {
	sources, quotes := evidenceLists(r.Evidence)
	return map[string]any{"as": r.As, "evidenceSources": sources, "evidenceQuotes": quotes}
}

// evidenceLists stores evidence as two parallel lists: a property cannot
// hold a list of maps.
func evidenceLists(evidence []graph.Evidence) (sources, quotes []string) {
	sources, quotes = make([]string, len(evidence)), make([]string, len(evidence))
	for i, ev := range evidence {
		sources[i], quotes[i] = ev.Source, ev.Quote
	}
	return sources, quotes
}

// positionKey is a position as one string that orders as positions do:
// the sort key, then U+0000, then the id. No sort key holds U+0000 (Fold
// turns control characters into spaces), so where one sort key is a prefix
// of another, the separator puts the shorter first, as Go does.
func positionKey(p graph.Position) string { return orderKey(p.SortKey) + "\x00" + p.ID }

// orderKey is a sort key as stored and compared in Cypher. Go orders
// strings by bytes, which for UTF-8 is by code point, as Neo4j's range
// indexes do; but Cypher's comparisons and ORDER BY go by UTF-16 code units,
// which put U+E000–U+FFFF after the characters above U+FFFF. Neo4j would
// then page through an index in one order and compare cursors in another.
//
// orderKey writes U+FFFF before each character above U+FFFF, and U+FFFF
// itself as U+FFFF U+0001: every such character now sorts after all of the
// BMP in all three orders, and since the mapping keeps the order of single
// characters and no character's image is a prefix of another's, mapped keys
// compare as the keys do. Keys without these characters map to themselves.
//
// Ids are kept as they are: they are slugs, ASCII, where the orders agree.
func orderKey(sortKey string) string {
	if !strings.ContainsFunc(sortKey, func(r rune) bool { return r >= 0xFFFF }) {
		return sortKey
	}
	var b strings.Builder
	for _, r := range sortKey {
		switch {
		case r == 0xFFFF:
			b.WriteString("\uFFFF\u0001")
		case r > 0xFFFF:
			b.WriteRune(0xFFFF)
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
