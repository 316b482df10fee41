package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// layoutVersion numbers the set of properties entityProps derives (sort
// keys, positions, folded names, degrees). Bump it when that set changes: a graph
// written under an older number lacks the new properties, and its nodes
// would silently drop out of the filters and orders that read them, so
// EnsureSchema derives them again.
const layoutVersion = 3

// layoutLabel marks the one node that records the layout of the stored
// graph. It has no relationships and is no Entity, so no read meets it.
const layoutLabel = "CivicgraphLayout"

const (
	readLayout  = "OPTIONAL MATCH (l:" + layoutLabel + ") WITH l LIMIT 1 RETURN coalesce(l.version, 0) AS version, COUNT { (:" + entityLabel + ") } AS entities"
	writeLayout = "MERGE (l:" + layoutLabel + ") SET l.version = $version"
	// The unique id index pages through the entities in id order; each
	// comes with its relationships' steps, for its degrees.
	entityBatch = "MATCH (n:" + entityLabel + ") WHERE n.id > $after WITH n ORDER BY n.id LIMIT $limit " +
		"RETURN n, [(n)-[r]->(m:" + entityLabel + ") | [type(r), 'out', labels(m)]] + [(n)<-[r]-(m:" + entityLabel + ") | [type(r), 'in', labels(m)]] AS steps"
	rewriteBatch = "UNWIND $rows AS row MATCH (n:" + entityLabel + " {id: row.id}) SET n += row"
)

// upgradeLayout derives again the properties of every entity if the graph
// was written under an older layout, batch by batch in write transactions
// of their own (a large graph does not fit one), and then records the
// current layout. Each batch is idempotent, so an interrupted upgrade is
// finished by the next start.
func (s *Store) upgradeLayout(ctx context.Context) error {
	type state struct{ version, entities int64 }
	st, err := read(ctx, s, readLayout, nil, func(res neo4j.ResultWithContext) (state, error) {
		record, err := res.Single(ctx)
		if err != nil {
			return state{}, err
		}
		version, _, err := neo4j.GetRecordValue[int64](record, "version")
		if err != nil {
			return state{}, err
		}
		entities, _, err := neo4j.GetRecordValue[int64](record, "entities")
		return state{version, entities}, err
	})
	if err != nil {
		return s.fail(ctx, "read layout", err)
	}
	if st.version >= layoutVersion {
		return nil
	}
	after := ""
	for st.entities > 0 {
		var last string
		err := s.write(ctx, func(tx neo4j.ManagedTransaction) error {
			res, err := s.run(ctx, tx, entityBatch, map[string]any{"after": after, "limit": int64(s.cfg.BatchSize)})
			if err != nil {
				return err
			}
			var rows []map[string]any
			for res.Next(ctx) {
				node, _, err := neo4j.GetRecordValue[neo4j.Node](res.Record(), "n")
				if err != nil {
					return err
				}
				e, err := entityOf(node)
				if err != nil {
					return err
				}
				steps, _, err := neo4j.GetRecordValue[[]any](res.Record(), "steps")
				if err != nil {
					return err
				}
				d, err := storedDegrees(e.ID, steps)
				if err != nil {
					return err
				}
				rows = append(rows, entityProps(e, d[e.ID]))
				last = e.ID
			}
			if err := res.Err(); err != nil || len(rows) == 0 {
				return err
			}
			_, err = s.exec(ctx, tx, rewriteBatch, map[string]any{"rows": rows})
			return err
		})
		if err != nil {
			return s.fail(ctx, "upgrade layout", err)
		}
		if last == "" {
			break
		}
		after = last
	}
	err = s.write(ctx, func(tx neo4j.ManagedTransaction) error {
		_, err := s.exec(ctx, tx, writeLayout, map[string]any{"version": int64(layoutVersion)})
		return err
	})
	return s.fail(ctx, "record layout", err)
}
