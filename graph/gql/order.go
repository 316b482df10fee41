package gql

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql/model"
)

// Page sizes: `first` and `last` take 1 to maxPageSize; without either a
// connection gives the first maxPageSize.
const maxPageSize = 100

// orderFields maps the values of the order-field enums to the domain's
// fields. TITLE is the name of roles and talks; ORDER a talk's place in the
// agenda.
var orderFields = map[string]graph.OrderField{
	"NAME":  graph.OrderName,
	"TITLE": graph.OrderName,
	"ID":    graph.OrderID,
	"KIND":  graph.OrderKind,
	"DATE":  graph.OrderDate,
	"ORDER": graph.OrderAgenda,
}

// orderOf maps an orderBy argument to the domain's order; nil is the
// default order. The schema's enums let through only fields the type has.
func orderOf(arg *model.Order) graph.Order {
	if arg == nil {
		return graph.Order{}
	}
	return graph.Order{Field: orderFields[arg.Field], Desc: arg.Direction == "DESC"}
}

// fieldName is the enum value that names field for a list of typ.
func fieldName(typ graph.EntityType, field graph.OrderField) string {
	switch {
	case field == graph.OrderAgenda:
		return "ORDER"
	case field == graph.OrderName && (typ == graph.TypeRole || typ == graph.TypeTalk):
		return "TITLE"
	}
	return strings.ToUpper(string(field))
}

// sortNeighbours returns ns, which are in default order, in order o.
func sortNeighbours(ns []graph.Neighbour, typ graph.EntityType, o graph.Order) []graph.Neighbour {
	if o.On(typ) == typ.DefaultOrder() && !o.Desc {
		return ns
	}
	return graph.SortedNeighbours(ns, typ, o)
}

// paging holds a connection's first, after, last and before arguments.
type paging struct {
	first  *int
	after  *string
	last   *int
	before *string
}

// query checks the arguments and sets them on q, whose type and order are
// set.
func (p paging) query(q graph.Query) (graph.Query, error) {
	if p.first != nil && p.last != nil {
		return q, graph.Errorf(graph.EINVALID, "first and last cannot be given together: page forward with first and after, or backward with last and before")
	}
	for _, size := range []struct {
		name string
		arg  *int
		to   *int
	}{{"first", p.first, &q.First}, {"last", p.last, &q.Last}} {
		if size.arg == nil {
			continue
		}
		if *size.arg < 1 || *size.arg > maxPageSize {
			return q, graph.Errorf(graph.EINVALID, "%s must be between 1 and %d, got %d", size.name, maxPageSize, *size.arg)
		}
		*size.to = *size.arg
	}
	if p.first == nil && p.last == nil {
		q.First = maxPageSize
	}
	var err error
	if q.After, err = decodeCursor(q, "after", p.after); err != nil {
		return q, err
	}
	q.Before, err = decodeCursor(q, "before", p.before)
	return q, err
}

// Cursors are opaque to clients: the order field and a position in it,
// which stays meaningful while the graph changes.
func encodeCursor(e *graph.Entity, field graph.OrderField) string {
	pos := graph.PositionIn(e, field)
	b, _ := json.Marshal([3]string{string(field), pos.SortKey, pos.ID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads the cursor argument named arg (nil: none) for a page
// of q, whose order it must belong to.
func decodeCursor(q graph.Query, arg string, s *string) (*graph.Position, error) {
	if s == nil {
		return nil, nil
	}
	var parts []string
	b, err := base64.RawURLEncoding.DecodeString(*s)
	if err == nil {
		err = json.Unmarshal(b, &parts)
	}
	if err != nil || len(parts) != 3 || parts[2] == "" {
		return nil, graph.Errorf(graph.EINVALID, "%s: %q is not a cursor this API gave", arg, *s)
	}
	if field := q.Order.On(q.Type); parts[0] != string(field) {
		return nil, graph.Errorf(graph.EINVALID, "%s: the cursor comes from a list ordered by %s, not by %s; pass it with the orderBy it came with",
			arg, fieldName(q.Type, graph.OrderField(parts[0])), fieldName(q.Type, field))
	}
	return &graph.Position{SortKey: parts[1], ID: parts[2]}, nil
}

// newConnection makes the connection of a page of q: its edges, in order,
// with what info says of the rest.
func newConnection(q graph.Query, page []graph.Neighbour, info graph.Page) *model.Connection {
	conn := &model.Connection{
		TotalCount: info.Total,
		PageInfo:   model.PageInfo{HasNextPage: info.HasNext, HasPreviousPage: info.HasPrevious},
	}
	field := q.Order.On(q.Type)
	for _, n := range page {
		conn.Edges = append(conn.Edges, &model.Edge{Cursor: encodeCursor(n.Entity, field), Node: n.Entity, Relation: n.Relation})
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn
}
