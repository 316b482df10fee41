package neo4jstore

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

// Labels, relationship types and property names are Cypher identifiers,
// which cannot be parameters: they only ever come from here and from
// graph.EntityTypes and graph.RelTypes, never from a request.
const entityLabel = "Entity"

// Node properties beyond those of graph.Entity.
const (
	propSortKey     = "sortKey"     // orderKey(graph.SortKey(e))
	propPosition    = "position"    // positionKey(graph.PositionOf(e)): default order in one string; see positionProp
	propFoldedName  = "foldedName"  // graph.Fold(e.Name)
	propFoldedNames = "foldedNames" // folded name, then folded aliases
	propNamesText   = "namesText"   // foldedNames joined by namesSep, for an indexed CONTAINS
	propLoad        = "load"        // the Replace that last wrote the node or relationship
)

// namesSep joins folded names into namesText. graph.Fold turns every
// whitespace and control character into a plain space, so no folded name or
// folded query value contains it, and a CONTAINS on the joined text holds
// exactly when it holds on one of the names.
const namesSep = "\n"

// positionProp names the property that holds, as one string, an entity's
// position in the order by field: "position" for its type's default order,
// "positionKind" and so on for the others. Each has a range index that
// Find reads in order, either way.
func positionProp(t graph.EntityType, field graph.OrderField) string {
	if field == t.DefaultOrder() {
		return propPosition
	}
	return propPosition + strings.ToUpper(string(field[:1])) + string(field[1:])
}

// rule is one constraint or index EnsureSchema makes.
type rule struct {
	name   string
	create string
}

// schema lists the constraint and indexes: the unique id every lookup
// starts from, and the id of staged nodes; for each type, a position per order that Find seeks past
// and reads in order, kind for its filters, and text indexes on the folded name and
// names for search.
func schema() []rule {
	out := []rule{{"civicgraph_entity_id",
		"CREATE CONSTRAINT civicgraph_entity_id IF NOT EXISTS FOR (n:" + entityLabel + ") REQUIRE n.id IS UNIQUE"},
		// A staged load joins its relations by id.
		{"civicgraph_staged_id", "CREATE INDEX civicgraph_staged_id IF NOT EXISTS FOR (n:" + stagedLabel + ") ON (n.id)"}}
	for _, t := range graph.EntityTypes() {
		prefix := "civicgraph_" + strings.ToLower(string(t)) + "_"
		add := func(suffix, kind, props string) {
			name := prefix + suffix
			out = append(out, rule{name, "CREATE " + kind + "INDEX " + name + " IF NOT EXISTS FOR (n:" + string(t) + ") ON (" + props + ")"})
		}
		for _, field := range t.OrderFields() {
			prop := positionProp(t, field)
			add(strings.ToLower(prop), "", "n."+prop)
		}
		if t.Kinds() != nil {
			add("kind", "", "n.kind")
		}
		add("name", "TEXT ", "n."+propFoldedName)
		add("names", "TEXT ", "n."+propNamesText)
	}
	return out
}

// EnsureSchema creates the constraint and indexes the store relies on, if
// they are missing, and waits until they are online; then it brings a graph
// written under an older layout up to date (see layoutVersion). It is
// idempotent and costs two statements when all is there.
func (s *Store) EnsureSchema(ctx context.Context) error {
	existing, err := read(ctx, s, "SHOW INDEXES YIELD name RETURN name", nil, func(res neo4j.ResultWithContext) ([]string, error) {
		records, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		names := make([]string, len(records))
		for i, r := range records {
			if names[i], _, err = neo4j.GetRecordValue[string](r, "name"); err != nil {
				return nil, err
			}
		}
		return names, nil
	})
	if err != nil {
		return s.fail(ctx, "read schema", err)
	}
	created := false
	for _, ix := range schema() {
		if slices.Contains(existing, ix.name) {
			continue
		}
		// Each rule in its own transaction: another process starting at
		// the same time may create the same rule first, which is fine.
		err := s.write(ctx, func(tx neo4j.ManagedTransaction) error {
			_, err := s.exec(ctx, tx, ix.create, nil)
			return err
		})
		if err != nil && !alreadyExists(err) {
			return s.fail(ctx, "create "+ix.name, err)
		}
		created = true
	}
	if created {
		// Not a read transaction: populating indexes over a large graph
		// can take longer than TxTimeout.
		err = s.write(ctx, func(tx neo4j.ManagedTransaction) error {
			_, err := s.exec(ctx, tx, "CALL db.awaitIndexes(300)", nil)
			return err
		})
		if err != nil {
			return s.fail(ctx, "await indexes", err)
		}
	}
	return s.upgradeLayout(ctx)
}

// write runs work in one managed write transaction.
func (s *Store) write(ctx context.Context, work func(tx neo4j.ManagedTransaction) error) error {
	session := s.session(ctx, neo4j.AccessModeWrite)
	defer session.Close(context.WithoutCancel(ctx))
	_, err := neo4j.ExecuteWrite(ctx, session, func(tx neo4j.ManagedTransaction) (struct{}, error) {
		return struct{}{}, work(tx)
	})
	return err
}

func alreadyExists(err error) bool {
	var neoErr *neo4j.Neo4jError
	return errors.As(err, &neoErr) && strings.Contains(neoErr.Code, "AlreadyExists")
}
