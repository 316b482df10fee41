package neo4jstore

import (
	"slices"
	"strconv"
	"strings"

	"github.com/civicgraph/civicgraph/graph"
)

// compiler turns conditions and paths into Cypher. Values only ever go into
// params; the text holds nothing but our own identifiers (variables,
// property names, labels and relationship types checked against the
// domain's lists).
type compiler struct {
	params map[string]any
	n      int // parameters and variables made so far
	// scan says the condition is tested on every node of a type: related
	// may then answer some and none filters from lists, made once by the
	// CALL subqueries in sets, which go before the statement's MATCH.
	scan    bool
	sets    []string
	setVars []string // the variables sets bind
}

func newCompiler(params map[string]any) *compiler { return &compiler{params: params} }

func (c *compiler) param(v any) string {
	name := "p" + strconv.Itoa(c.n)
	c.n++
	c.params[name] = v
	return "$" + name
}

// newVar returns a variable name not used elsewhere in the statement:
// subqueries may not redeclare their enclosing query's variables.
func (c *compiler) newVar() string {
	name := "v" + strconv.Itoa(c.n)
	c.n++
	return name
}

// where returns " WHERE expr" for the condition on v, or "" when cond is
// nil.
func (c *compiler) where(v string, cond graph.Cond) (string, error) {
	if cond == nil {
		return "", nil
	}
	expr, err := c.cond(v, cond)
	if err != nil {
		return "", err
	}
	return " WHERE " + expr, nil
}

// cond returns a Cypher boolean expression that holds when the node bound
// to v meets cond. It is never null: every property it reads is stored on
// every node, and every parameter is a string or a list of strings.
func (c *compiler) cond(v string, cond graph.Cond) (string, error) {
	switch cond := cond.(type) {
	case nil:
		return "true", nil
	case graph.And:
		return c.join(v, cond, " AND ", "true")
	case graph.Or:
		return c.join(v, cond, " OR ", "false")
	case graph.Not:
		expr, err := c.cond(v, cond.Cond)
		return "NOT (" + expr + ")", err
	case graph.Match:
		return c.match(v, cond), nil
	case graph.Related:
		return c.related(v, cond)
	}
	return "", graph.Errorf(graph.EINVALID, "unknown condition %T", cond)
}

// join combines conditions with op; empty is what an empty list means.
func (c *compiler) join(v string, conds []graph.Cond, op, empty string) (string, error) {
	if len(conds) == 0 {
		return empty, nil
	}
	parts := make([]string, len(conds))
	for i, sub := range conds {
		expr, err := c.cond(v, sub)
		if err != nil {
			return "", err
		}
		parts[i] = expr
	}
	return "(" + strings.Join(parts, op) + ")", nil
}

func (c *compiler) match(v string, m graph.Match) string {
	values := m.Values
	if m.Field == graph.FieldName || m.Field == graph.FieldNames {
		values = make([]string, len(m.Values))
		for i, s := range m.Values {
			values[i] = graph.Fold(s)
		}
	}
	switch m.Field {
	case graph.FieldID:
		return c.compare(v+".id", m.Op, values)
	case graph.FieldKind:
		return c.compare(v+".kind", m.Op, values)
	case graph.FieldName:
		return c.compare(v+"."+propFoldedName, m.Op, values)
	}
	if m.Op == graph.OpContains {
		// Same meaning as on each name (see namesSep), and a text index
		// serves it.
		return c.compare(v+"."+propNamesText, m.Op, values)
	}
	x := c.newVar()
	return "any(" + x + " IN " + v + "." + propFoldedNames + " WHERE " + c.compare(x, m.Op, values) + ")"
}

func (c *compiler) compare(expr string, op graph.Op, values []string) string {
	switch op {
	case graph.OpIn:
		// Never a nil slice: the driver would send null, and NOT (x IN
		// null) is null, not true.
		return expr + " IN " + c.param(append([]string{}, values...))
	case graph.OpContains:
		return expr + " CONTAINS " + c.param(values[0])
	case graph.OpStartsWith:
		return expr + " STARTS WITH " + c.param(values[0])
	case graph.OpEndsWith:
		return expr + " ENDS WITH " + c.param(values[0])
	}
	return expr + " = " + c.param(values[0])
}

// related compiles a quantified relationship filter into a subquery over
// the distinct nodes reached along the path.
func (c *compiler) related(v string, r graph.Related) (string, error) {
	if r.Quant == graph.Some || r.Quant == graph.None {
		set, ok, err := c.set(r)
		switch {
		case err != nil:
			return "", err
		case ok && r.Quant == graph.None:
			return "NOT " + v + " IN " + set, nil
		case ok:
			return v + " IN " + set, nil
		}
	}
	body, end, err := c.path(v, r.Path, "")
	if err != nil {
		return "", err
	}
	switch r.Quant {
	case graph.All:
		if r.Where == nil {
			return "true", nil
		}
		expr, err := c.cond(end, r.Where)
		if err != nil {
			return "", err
		}
		return "NOT EXISTS { " + body + " WHERE NOT (" + expr + ") }", nil
	case graph.Some, graph.None, graph.Single:
		where, err := c.where(end, r.Where)
		if err != nil {
			return "", err
		}
		switch r.Quant {
		case graph.Some:
			return "EXISTS { " + body + where + " }", nil
		case graph.None:
			return "NOT EXISTS { " + body + where + " }", nil
		}
		return "COUNT { " + body + where + " RETURN DISTINCT " + end + " } = 1", nil
	}
	return "", graph.Errorf(graph.EINVALID, "unknown quantifier %q", r.Quant)
}

// set returns, in a scan, a variable bound before the statement's MATCH
// to the list of the nodes from which r's path reaches a node meeting
// r.Where, when ids decide r.Where (see ends); ok is false otherwise.
//
// A subquery in the statement's WHERE runs once per node scanned, walking
// from each: for the headline question that is every municipality's
// units, people, talks and practices. The set is one walk back from the
// ids, as the memstore's scan does, and the filter a list membership.
func (c *compiler) set(r graph.Related) (set string, ok bool, err error) {
	if !c.scan {
		return "", false, nil
	}
	body, start, ok, err := c.reaching(r)
	if !ok || err != nil {
		return "", ok, err
	}
	set = c.newVar()
	c.sets = append(c.sets, "CALL () { "+body+" RETURN collect(DISTINCT "+start+") AS "+set+" } ")
	c.setVars = append(c.setVars, set)
	return set, true, nil
}

// reaching returns MATCH clauses that bind the nodes from which r's path
// reaches a node meeting r.Where, and the variable they end in, when ids
// decide r.Where (see graph.DecidedByIDs); ok is false otherwise.
func (c *compiler) reaching(r graph.Related) (body, start string, ok bool, err error) {
	ids, paths, ok := graph.DecidedByIDs(r.Where)
	if !ok {
		return "", "", false, nil
	}
	// The unique constraint, and so the index, is on the label every
	// node has.
	start = c.newVar()
	body = "MATCH (" + start + ":" + entityLabel + ") WHERE " + c.match(start, ids)
	for _, p := range append(paths, r.Path) {
		back, end, err := c.back(start, p)
		if err != nil {
			return "", "", false, err
		}
		body, start = body+back, end
	}
	return body, start, true, nil
}

// back returns clauses that bind, from the nodes bound to end, the distinct
// nodes from which p reaches them, and the variable they end in. It takes
// p's steps backwards, last first, each its own MATCH as in path: from the
// nodes a step reaches, of its target type, along its relations the other
// way, to nodes of the type the step before reaches (any type for the
// first step).
func (c *compiler) back(end string, p graph.Path) (string, string, error) {
	var b strings.Builder
	at := end
	for i := len(p) - 1; i >= 0; i-- {
		step := p[i]
		step.Dir = step.Dir.Reverse()
		rel, err := pattern(step, "")
		if err != nil {
			return "", "", err
		}
		label, err := labelOf(step.Target)
		if err != nil {
			return "", "", err
		}
		from := "" // bound by the step after, with this label, but for the ends
		if i == len(p)-1 {
			from = label
		}
		to := ""
		if i > 0 {
			if to, err = labelOf(p[i-1].Target); err != nil {
				return "", "", err
			}
		}
		next := c.newVar()
		b.WriteString(" WITH DISTINCT " + at + " " + follow(at, from, rel, label, step.Repeat, next, to))
		at = next
	}
	return b.String(), at, nil
}

// path returns MATCH clauses that bind, from the node bound to start, the
// nodes reached along p, and the variable they end in. Each step is its own
// MATCH, with the frontier made distinct between steps as the memstore
// does: within one MATCH Cypher never uses a relationship twice, which
// would drop a node reached back along the relation just followed.
//
// A Repeat step is a quantified path pattern whose every node, the start
// included, has the step's label: zero hops reach the start itself when it
// is of that type. relVar, if not empty, names the relationship of a
// single plain step.
func (c *compiler) path(start string, p graph.Path, relVar string) (string, string, error) {
	if len(p) == 0 {
		// The memstore's meaning: an empty path reaches the start.
		return "MATCH (" + start + ")", start, nil
	}
	var b strings.Builder
	prev := start
	for i, step := range p {
		rel, err := pattern(step, relVar)
		if err != nil {
			return "", "", err
		}
		label, err := labelOf(step.Target)
		if err != nil {
			return "", "", err
		}
		if i > 0 {
			b.WriteString(" WITH DISTINCT " + prev + " ")
		}
		next := c.newVar()
		if step.Repeat {
			b.WriteString(follow(prev, label, rel, label, true, next, ""))
		} else {
			b.WriteString(follow(prev, "", rel, label, false, next, label))
		}
		prev = next
	}
	return b.String(), prev, nil
}

// pattern returns the relationship pattern of step, naming the relationship
// relVar if not empty, with its type and direction checked against the
// domain's lists.
func pattern(step graph.Step, relVar string) (string, error) {
	if !slices.Contains(graph.RelTypes(), step.Rel) {
		return "", graph.Errorf(graph.EINVALID, "unknown relation type %q", step.Rel)
	}
	switch step.Dir {
	case graph.Out:
		return "-[" + relVar + ":" + string(step.Rel) + "]->", nil
	case graph.In:
		return "<-[" + relVar + ":" + string(step.Rel) + "]-", nil
	}
	return "", graph.Errorf(graph.EINVALID, "unknown direction %q", step.Dir)
}

// labelOf returns the label pattern of type t, "" for any type.
func labelOf(t graph.EntityType) (string, error) {
	switch {
	case t == "":
		return "", nil
	case !t.Valid():
		return "", graph.Errorf(graph.EINVALID, "unknown entity type %q", t)
	}
	return ":" + string(t), nil
}

// follow returns a MATCH clause that follows rel from the node bound to
// from, with label fromLabel, to a node it binds to to, with label toLabel:
// one relationship, or with repeat any number, every node on the way
// labelled label.
func follow(from, fromLabel, rel, label string, repeat bool, to, toLabel string) string {
	if repeat {
		return "MATCH (" + from + fromLabel + ") (()" + rel + "(" + label + "))* (" + to + toLabel + ")"
	}
	return "MATCH (" + from + fromLabel + ")" + rel + "(" + to + toLabel + ")"
}

// findCypher returns Find's statements: the page, read in the order
// q.ScanDesc says, between its cursors, with one entity more than asked,
// each projected to q.Props with the answers of q.Below from it (see
// branches); and the count of every match. Both take the
// same parameters.
func findCypher(q graph.Query) (find, count string, params map[string]any, err error) {
	if err := q.Validate(); err != nil {
		return "", "", nil, err
	}
	low, high := q.Bounds() // on the stored position
	prop := "n." + positionProp(q.Type, q.Order.On(q.Type))
	// Always a lower bound, even "": one range on one indexed property is
	// what the planner reads from the index in order, either way.
	params = map[string]any{"low": ""}
	if low != nil {
		params["low"] = positionKey(*low)
	}
	if high != nil {
		params["high"] = positionKey(*high)
	}
	between := func(low string) string {
		if high == nil {
			return prop + " > " + low
		}
		return prop + " > " + low + " AND " + prop + " < $high"
	}
	var expr, cond string // the condition, and " AND " it, if any
	c := newCompiler(params)
	c.scan = true // both statements test the condition on every node of the type
	if q.Where != nil {
		if expr, err = c.cond("n", q.Where); err != nil {
			return "", "", nil, err
		}
		cond = " AND " + expr
	}
	sets := strings.Join(c.sets, "")
	match := "MATCH (n:" + string(q.Type) + ") WHERE "
	order := " ORDER BY " + prop
	if q.ScanDesc() {
		order += " DESC"
	}
	limit := q.Limit()
	if limit > 0 {
		params["limit"] = int64(limit) + 1
	}
	if limit > 0 && limit <= textLedPageMax && textLed(q.Where) {
		// The planner answers a text condition from the text index: every
		// match, then sorted for the page's few. A common text is found
		// sooner in order, testing each node: the first subquery reads up
		// to scanBeforeText nodes a row asked that way, and the text index
		// is asked only when they held fewer matches than the page. The
		// UNWIND makes the index's MATCH depend on that, so that the
		// planner runs it only then.
		params["scan"] = int64(scanBeforeText * (limit + 1))
		scope := strings.Join(append([]string{"early"}, c.setVars...), ", ")
		find = sets + "CALL (" + strings.Join(c.setVars, ", ") + ") { " + match + between("$low") + " WITH n" + order +
			" LIMIT $scan WITH n WHERE " + expr + " WITH n" + order + " LIMIT $limit RETURN collect(n) AS early } " +
			"CALL (" + scope + ") { WITH early WHERE size(early) = $limit UNWIND early AS n RETURN n UNION ALL " +
			"UNWIND CASE WHEN size(early) < $limit THEN [$low] ELSE [] END AS low " +
			match + between("low") + cond + " WITH n" + order + " LIMIT $limit RETURN n } WITH n" + order
	} else {
		find = sets + match + between("$low") + cond + " WITH n" + order
		if limit > 0 {
			find += " LIMIT $limit"
		}
	}
	find += " "
	below := "[]"
	if len(q.Below) > 0 {
		c.scan = false // the branches read from each row's n, not in the scan
		if below, err = c.branches("n", q.Type, q.Below, q.Props); err != nil {
			return "", "", nil, err
		}
		// Rows keep no order through subqueries: it is asked again.
		find += "WITH n, " + below + " AS below" + order + " "
		below = "below"
	}
	// One row (see oneRow), the page in order: collect keeps the order of
	// the rows it is given.
	find += "RETURN collect([" + projection("n", q.Props, q.Type) + ", " + below + "]) AS page"
	return find, sets + match + "true" + cond + " RETURN count(n) AS total", params, nil
}

// withTotal returns one statement of Find's two: find's one row, with the
// total of count.
func withTotal(find, count string) string {
	return "CALL () { " + count + " } CALL () { " + find + " } RETURN total, page"
}

// scanBeforeText is how many nodes in order a page with a text condition
// reads, for each row it asks, before it asks the text index. Names sort
// by their first word, so a text found in later words is spread evenly
// and one in first words is bunched: 50 finds the page for a text in one
// name in 30 or so, spread (6% of 260,762 people: 55-62 ms -> 8 ms), and
// costs a text the index would answer at once about 3 ms (M) to 9 ms (L).
const scanBeforeText = 50

// textLedPageMax is the longest page read in order before the text index:
// pages as the API serves them. A longer read, such as a list bounded by
// the size of a response, asks the text index at once.
const textLedPageMax = 100

// textLed reports whether the planner would read cond's matches from a
// text index: cond is, or has as a conjunct, a CONTAINS or ENDS WITH on the
// folded name or names, the substring searches whose matches may be many.
func textLed(cond graph.Cond) bool {
	switch cond := cond.(type) {
	case graph.Match:
		return (cond.Op == graph.OpContains && (cond.Field == graph.FieldName || cond.Field == graph.FieldNames)) ||
			(cond.Op == graph.OpEndsWith && cond.Field == graph.FieldName)
	case graph.And:
		return slices.ContainsFunc(cond, textLed)
	}
	return false
}

// neighboursCypher returns Neighbours' statement: one row (see oneRow)
// whose "answers" hold, for each id, [i, found, rels]: its index i, the
// distinct nodes reached along path that meet where, in default order,
// and for a Single path each neighbour's relationship (else null).
func neighboursCypher(ids []string, path graph.Path, where graph.Cond) (string, map[string]any, error) {
	return reachCypher(ids, path, where, false)
}

// neighbourCountsCypher returns NeighbourCounts' statement: one row whose
// "answers" hold, for each id, its index i and the number of the nodes
// Neighbours would list.
func neighbourCountsCypher(ids []string, path graph.Path, where graph.Cond) (string, map[string]any, error) {
	return reachCypher(ids, path, where, true)
}

// reachCypher builds the statement of neighboursCypher, or with count that
// of neighbourCountsCypher: the same walk, counted in the database.
func reachCypher(ids []string, path graph.Path, where graph.Cond, count bool) (string, map[string]any, error) {
	if err := graph.Validate(where); err != nil {
		return "", nil, err
	}
	params := map[string]any{"ids": ids}
	c := newCompiler(params)
	// OPTIONAL MATCH keeps a row for a missing id, whose subquery then
	// finds nothing; the aggregation in the subquery gives every row one
	// list or count, empty or not.
	matchIDs := "UNWIND range(0, size($ids) - 1) AS i OPTIONAL MATCH (n:" + entityLabel + " {id: $ids[i]}) "
	if count {
		found, err := c.count("n", "", graph.Branch{Path: path, Where: where})
		return matchIDs + "RETURN collect([i, " + found + "]) AS answers", params, err
	}
	relVar := ""
	if path.Single() {
		relVar = "r"
	}
	body, end, err := c.path("n", path, relVar)
	if err != nil {
		return "", nil, err
	}
	filter, err := c.where(end, where)
	if err != nil {
		return "", nil, err
	}
	distinct, inner, rels := " WITH DISTINCT "+end, " ORDER BY "+end+"."+propPosition+" RETURN collect("+projection(end, 0, endType(path))+") AS found", "null"
	if relVar != "" {
		// A neighbour reached along several relationships of the type
		// counts once, with one of them.
		distinct = " WITH " + end + ", head(collect(r)) AS r"
		inner += ", collect(r) AS rels"
		rels = "rels"
	}
	return matchIDs + "CALL (n) { " + body + filter + distinct + inner + " } RETURN collect([i, found, " + rels + "]) AS answers", params, nil
}
