package graph

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"strings"
)

// OrderField is what a list of entities is sorted by. Ties go by the
// type's default order, then by id, so every order is total and a page
// boundary never splits equal values unpredictably.
type OrderField string

const (
	OrderID     OrderField = "id"
	OrderName   OrderField = "name"   // folded name: a role's or talk's title
	OrderKind   OrderField = "kind"   // types with kinds
	OrderDate   OrderField = "date"   // events; undated ones first
	OrderAgenda OrderField = "agenda" // talks: place in the agenda, then title
)

// DefaultOrder is the field t's lists are sorted by unless asked otherwise:
// talks by their place in the agenda, everything else by name.
func (t EntityType) DefaultOrder() OrderField {
	if t == TypeTalk {
		return OrderAgenda
	}
	return OrderName
}

// DefaultOrderProps are the properties t's default order compares
// (besides the id), or for t "" those of any type's: a store that sorts
// entities it read itself must read them.
func (t EntityType) DefaultOrderProps() Props {
	if t == "" || t.DefaultOrder() == OrderAgenda {
		return PropOrder | PropName
	}
	return PropName
}

// OrderFields lists the fields entities of type t can be sorted by, the
// default first.
func (t EntityType) OrderFields() []OrderField {
	fields := []OrderField{t.DefaultOrder()}
	if t == TypeTalk {
		fields = append(fields, OrderName)
	}
	fields = append(fields, OrderID)
	if t.Kinds() != nil {
		fields = append(fields, OrderKind)
	}
	if t == TypeEvent {
		fields = append(fields, OrderDate)
	}
	return fields
}

// Order sorts a list by Field (empty: the type's default), ascending unless
// Desc. Descending is the exact reverse, ties included.
type Order struct {
	Field OrderField
	Desc  bool
}

// On returns o's field for entities of type t.
func (o Order) On(t EntityType) OrderField {
	if o.Field == "" {
		return t.DefaultOrder()
	}
	return o.Field
}

// Compare returns -1, 0 or +1 as position a comes before, with or after b
// in o.
func (o Order) Compare(a, b Position) int {
	if o.Desc {
		return b.Compare(a)
	}
	return a.Compare(b)
}

// Before reports whether position a comes before b in o.
func (o Order) Before(a, b Position) bool { return o.Compare(a, b) < 0 }

// Sorted returns items, each holding an entity of type t, in order o; for
// t "" (any type), each entity's own type gives the default. It leaves
// items as they are, and returns them when there are fewer than two.
func Sorted[T any](items []T, t EntityType, o Order, entity func(T) *Entity) []T {
	if len(items) < 2 {
		return items
	}
	type keyed struct {
		item T
		pos  Position
	}
	list := make([]keyed, len(items))
	for i, item := range items {
		e := entity(item)
		list[i] = keyed{item, PositionIn(e, o.On(cmp.Or(t, e.Type)))}
	}
	slices.SortFunc(list, func(a, b keyed) int { return o.Compare(a.pos, b.pos) })
	out := make([]T, len(list))
	for i, k := range list {
		out[i] = k.item
	}
	return out
}

// SortedNeighbours returns ns, whose entities are of type t, in order o
// (see Sorted).
func SortedNeighbours(ns []Neighbour, t EntityType, o Order) []Neighbour {
	return Sorted(ns, t, o, func(n Neighbour) *Entity { return n.Entity })
}

// SortValue is e's first sort key for field: strings compare as the
// values do.
func SortValue(e *Entity, field OrderField) string {
	switch field {
	case OrderName:
		return Fold(e.Name)
	case OrderAgenda:
		return agendaKey(e.Order, e.Name)
	case OrderKind:
		return e.Kind + tieSep + SortKey(e)
	case OrderDate:
		if e.Date.IsZero() {
			return ""
		}
		return fmt.Sprintf("%04d-%02d-%02d", e.Date.Year, e.Date.Month, e.Date.Day) + tieSep + SortKey(e)
	}
	return "" // OrderID: the id alone decides
}

// agendaKey is a talk's sort key: its place in the agenda as fmt's "%06d"
// writes it, a space, and its folded title. Stores sort talks they read
// by it, which made fmt a third of the cost of a nested read's sorting.
func agendaKey(order int, title string) string {
	if order < 0 || order >= 1e6 {
		return fmt.Sprintf("%06d %s", order, Fold(title))
	}
	folded := Fold(title)
	var b strings.Builder
	b.Grow(7 + len(folded))
	for unit := 100000; unit > 0; unit /= 10 {
		b.WriteByte(byte('0' + order/unit%10))
	}
	b.WriteByte(' ')
	b.WriteString(folded)
	return b.String()
}

// tieSep joins a sort value to the default key that breaks its ties. Fold
// turns control characters into spaces and kinds are upper-case words, so
// it sorts below every character of what it joins: (a, b) compares as the
// joined strings do.
const tieSep = "\x01"

// SortKey is e's first key in its type's default order.
func SortKey(e *Entity) string { return SortValue(e, e.Type.DefaultOrder()) }

// PositionIn returns the position of e in the order by field.
func PositionIn(e *Entity, field OrderField) Position {
	return Position{SortKey: SortValue(e, field), ID: e.ID}
}

// Validate checks q's parts a caller could get wrong.
func (q Query) Validate() error {
	if !q.Type.Valid() {
		return Errorf(EINVALID, "unknown entity type %q", q.Type)
	}
	if q.Order.Field != "" && !slices.Contains(q.Type.OrderFields(), q.Order.Field) {
		return Errorf(EINVALID, "%s cannot be ordered by %q", q.Type, q.Order.Field)
	}
	if q.First < 0 || q.Last < 0 {
		return Errorf(EINVALID, "page sizes cannot be negative")
	}
	if q.First > 0 && q.Last > 0 {
		return Errorf(EINVALID, "first and last cannot be given together")
	}
	if err := ValidateBranches(q.Below); err != nil {
		return err
	}
	return Validate(q.Where)
}

// Backward reports whether q pages from the end: with Last.
func (q Query) Backward() bool { return q.Last > 0 }

// Limit is the number of entities q asks for at most (0: all).
func (q Query) Limit() int { return max(q.First, q.Last) }

// ScanDesc reports whether q's page is read in descending order of
// position: the order's direction, turned round when paging backward.
func (q Query) ScanDesc() bool { return q.Order.Desc != q.Backward() }

// Bounds returns q's cursors as bounds in ascending order of position: in
// a descending order After is the upper one.
func (q Query) Bounds() (low, high *Position) {
	if q.Order.Desc {
		return q.Before, q.After
	}
	return q.After, q.Before
}

// Within reports whether p lies strictly between q.After and q.Before.
func (q Query) Within(p Position) bool {
	return (q.After == nil || q.Order.Before(*q.After, p)) && (q.Before == nil || q.Order.Before(p, *q.Before))
}

// Window returns q's page of matches, which come in the order q reads them
// (see ScanDesc): those Within its cursors, at most Limit of them, put in
// q.Order. more says whether other matches lie beyond the page in the
// direction of paging.
func Window[T any](q Query, matches iter.Seq[T], position func(T) Position) (page []T, more bool) {
	limit := q.Limit()
	for m := range matches {
		if !q.Within(position(m)) {
			continue
		}
		if limit > 0 && len(page) == limit {
			more = true
			break
		}
		page = append(page, m)
	}
	if q.Backward() {
		slices.Reverse(page)
	}
	return page, more
}

// SetMore records on p that more matches lie beyond it, on the side q
// pages towards.
func (p *Page) SetMore(q Query, more bool) {
	if q.Backward() {
		p.HasPrevious = more
	} else {
		p.HasNext = more
	}
}

// Scan yields list's elements from the first, or from the last if
// reversed: how a list in one order is read to page through it the other
// way.
func Scan[T any](list []T, reversed bool) iter.Seq[T] {
	if !reversed {
		return slices.Values(list)
	}
	return func(yield func(T) bool) {
		for _, v := range slices.Backward(list) {
			if !yield(v) {
				return
			}
		}
	}
}
