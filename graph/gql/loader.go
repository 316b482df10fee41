package gql

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/civicgraph/civicgraph/graph"
)

// loader is the per-operation read cache that keeps the number of store
// calls bounded by the shape of a query, not the size of its answer.
//
// A resolver that reads entities (a root list, search, node, nodes) looks
// ahead at the selection below it and reads, in the same store call, every
// relationship field asked there at every depth, counts included; one that
// has entities in hand (a relationship read the look-ahead did not
// foresee, an analysis) looks ahead for them in one call of its own. The
// field resolvers below then find their answers in the cache. A field the
// look-ahead did not foresee is still answered, with a call of its own.
type loader struct {
	store graph.Store
	plans *planCache
	// resultLimit bounds the entities delivered to one response (0: none).
	resultLimit int
	delivered   atomic.Int64

	propsOnce sync.Once
	opProps   graph.Props // see props

	mu         sync.Mutex
	neighbours map[readKey]*answers[[]graph.Neighbour]
	counts     map[readKey]*answers[int] // for connections asked only their totalCount
	entities   map[string]*graph.Entity
}

// answers holds the answers of one relationship read by the id of the
// entity read from. The first read's map is kept as the store gave it,
// which is what a request usually has; a second read of the same key
// merges both into a map of our own.
type answers[T any] struct {
	byID  map[string]T
	owned bool
}

func (a *answers[T]) add(byID map[string]T) {
	if a.byID == nil {
		a.byID = byID
		return
	}
	if !a.owned {
		a.byID, a.owned = maps.Clone(a.byID), true
	}
	maps.Copy(a.byID, byID)
}

// addAnswers caches the answers of a read under key.
func addAnswers[T any](l *loader, cache map[readKey]*answers[T], key readKey, byID map[string]T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a := cache[key]
	if a == nil {
		a = &answers[T]{}
		cache[key] = a
	}
	a.add(byID)
}

// readKey names a relationship read: a field ("Person.roles"), its where
// argument in canonical JSON, and whether the neighbours carry the
// relations followed (a connection's edges show them; a list does not,
// and reading them costs).
type readKey struct {
	field, where string
	relations    bool
}

type loaderKey struct{}

func withLoader(ctx context.Context, store graph.Store, plans *planCache, resultLimit int) context.Context {
	return context.WithValue(ctx, loaderKey{}, &loader{
		store:       store,
		plans:       plans,
		resultLimit: resultLimit,
		neighbours:  map[readKey]*answers[[]graph.Neighbour]{},
		counts:      map[readKey]*answers[int]{},
		entities:    map[string]*graph.Entity{},
	})
}

func loaderFrom(ctx context.Context) *loader { return ctx.Value(loaderKey{}).(*loader) }

// deliver counts entities about to go into the response, and refuses them
// past the result limit.
func (l *loader) deliver(n int) error {
	total := l.delivered.Add(int64(n))
	if l.resultLimit > 0 && total > int64(l.resultLimit) {
		return graph.Errorf(graph.ELIMIT, "the answer holds more than %d entities; ask for fewer, or page with a connection's first and after", l.resultLimit)
	}
	return nil
}

// canonical encodes a where argument so that equal arguments, however they
// reached us (inline or through variables), give equal keys. encoding/json
// sorts map keys. No filter, the common case, is answered without it: it
// runs once per relationship field resolved.
func canonical(where map[string]any) string {
	if len(where) == 0 {
		return "" // nil and {} both filter nothing
	}
	b, err := json.Marshal(where)
	if err != nil {
		return "?" // never shared: such a key is read again
	}
	return string(b)
}

// related returns the neighbours of from along a relationship field that
// meet where, with the relations followed if relations.
func (l *loader) related(ctx context.Context, from *graph.Entity, field string, where map[string]any, relations bool) ([]graph.Neighbour, error) {
	return cached(ctx, l, l.neighbours, readKey{field: field, where: canonical(where), relations: relations}, from)
}

// count returns the number of neighbours of from along a relationship
// field that meet where, without reading them.
func (l *loader) count(ctx context.Context, from *graph.Entity, field string, where map[string]any) (int, error) {
	return cached(ctx, l, l.counts, readKey{field: field, where: canonical(where)}, from)
}

// cached returns from cache the answer of the current relationship field
// for from, under key, reading it first if the look-ahead did not.
func cached[T any](ctx context.Context, l *loader, cache map[readKey]*answers[T], key readKey, from *graph.Entity) (T, error) {
	if answer, ok := lookUp(l, cache, key, from.ID); ok {
		return answer, nil
	}
	if err := l.readUnforeseen(ctx, from); err != nil {
		var none T
		return none, err
	}
	answer, ok := lookUp(l, cache, key, from.ID)
	if !ok {
		return answer, fmt.Errorf("%s of %q was read but not cached", key.field, from.ID)
	}
	return answer, nil
}

// lookUp finds the answer of the read key from the entity with this id.
func lookUp[T any](l *loader, cache map[readKey]*answers[T], key readKey, id string) (T, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var answer T
	a, ok := cache[key]
	if ok {
		answer, ok = a.byID[id]
	}
	return answer, ok
}

// readUnforeseen reads the current field of from, and what its selection
// asks below it, in one Expand: the look-ahead did not read it (it saw no
// such field, or its read failed).
func (l *loader) readUnforeseen(ctx context.Context, from *graph.Entity) error {
	branch, read, err := planField(graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field, from.Type)
	if err != nil {
		return err
	}
	plan := readPlan{branches: []graph.Branch{branch}, reads: []plannedRead{read}}
	x, err := l.store.Expand(ctx, []string{from.ID}, plan.branches, l.props(ctx))
	if err != nil {
		return err
	}
	l.apply(ctx, plan, []*graph.Entity{from}, x.Reached)
	return nil
}

// entity returns the entity with this id, or nil if there is none.
func (l *loader) entity(ctx context.Context, id string) (*graph.Entity, error) {
	l.mu.Lock()
	e, ok := l.entities[id]
	l.mu.Unlock()
	if ok {
		return e, nil
	}
	found, err := l.store.Entities(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	l.remember(found...)
	return found[0], nil
}

func (l *loader) remember(es ...*graph.Entity) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range es {
		if e != nil {
			l.entities[e.ID] = e
		}
	}
}

// lookAhead reads every relationship field the current field's
// selection asks of entities, at every depth, in one Store.Expand, and
// then the counts and the sources of evidence it shows. Entities that sit
// deeper in the field's answer are looked ahead for at the end of the
// path of field names below (GroupCount's "node"). Failures are not
// reported here: the field that needs the data reads it again and reports
// the error at its own path.
func (l *loader) lookAhead(ctx context.Context, entities []*graph.Entity, below ...string) {
	if len(entities) == 0 {
		return
	}
	l.remember(entities...)
	var types typeSet
	for i, e := range entities {
		if i == 0 || e.Type != entities[i-1].Type {
			types = types.with(e.Type)
		}
	}
	plan, ok := l.planBelow(ctx, types, below)
	if !ok {
		return
	}
	if len(plan.branches) == 0 {
		l.apply(ctx, plan, entities, nil)
		return
	}
	ids := make([]string, len(entities))
	for i, e := range entities {
		ids[i] = e.ID
	}
	if x, err := l.store.Expand(ctx, ids, plan.branches, l.props(ctx)); err == nil {
		l.apply(ctx, plan, entities, x.Reached)
	}
}

// expand resolves ids to entities of any type, nil where there is none,
// and reads with them, in the same call, what the current field's
// selection asks of them.
func (l *loader) expand(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	plan, _ := l.planBelow(ctx, everyType, nil)
	x, err := l.store.Expand(ctx, ids, plan.branches, l.props(ctx))
	if err != nil {
		return nil, err
	}
	var present []*graph.Entity
	for _, e := range x.Entities {
		if e != nil {
			present = append(present, e)
		}
	}
	return x.Entities, l.deliverRead(ctx, plan, present, x.Reached)
}

// find runs q, reading in the same call what the current field's
// selection asks of the entities it finds. A list without a page reads
// one entity more than the response may still hold, which is enough to
// refuse it (see deliver): the store need not read, nor Neo4j collect,
// the rest.
func (l *loader) find(ctx context.Context, q graph.Query) (graph.Page, error) {
	if q.Limit() == 0 && l.resultLimit > 0 {
		q.First = max(l.resultLimit-int(l.delivered.Load()), 0) + 1
	}
	plan, _ := l.planBelow(ctx, typeSet(0).with(q.Type), nil)
	q.Props, q.Below = l.props(ctx), plan.branches
	page, err := l.store.Find(ctx, q)
	if err != nil {
		return graph.Page{}, err
	}
	return page, l.deliverRead(ctx, plan, page.Entities, page.Reached)
}

// deliverRead counts entities a field answers with and caches them, with
// what plan read from them.
func (l *loader) deliverRead(ctx context.Context, plan readPlan, entities []*graph.Entity, reached []graph.Reach) error {
	if err := l.deliver(len(entities)); err != nil {
		return err
	}
	l.remember(entities...)
	l.apply(ctx, plan, entities, reached)
	return nil
}

// planBelow plans the reads of the current field's selection, or of the
// fields at the end of the path below it, for entities of types; ok is
// false outside a field. Plans of selections that use no variables are
// kept in l.plans: they are the same for every request of the document.
func (l *loader) planBelow(ctx context.Context, types typeSet, below []string) (plan readPlan, ok bool) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return plan, false
	}
	key := planKey{field: fc.Field.Field, types: types, below: strings.Join(below, ".")}
	if plan, ok := l.plans.get(key); ok {
		return plan, true
	}
	op := graphql.GetOperationContext(ctx)
	fields := []graphql.CollectedField{fc.Field}
	for _, name := range below {
		var next []graphql.CollectedField
		for _, f := range fields {
			next = append(next, fieldsNamed(op, f.Selections, f.Definition.Type.Name(), name)...)
		}
		fields = next
	}
	for _, f := range fields {
		plan.add(planReads(op, f.Selections, f.Definition.Type.Name(), types.list()))
	}
	if !usesVariables(fc.Field.Selections, map[string]bool{}) {
		l.plans.add(key, plan)
	}
	return plan, true
}

// readPlan is what a selection asks of the entities at one depth of a
// look-ahead.
type readPlan struct {
	branches []graph.Branch // for Store.Expand and Query.Below
	reads    []plannedRead  // aligned with branches
	// sources holds the types whose evidence sources the selection shows.
	sources map[graph.EntityType]bool
}

// plannedRead says where a branch's answers go in the cache.
type plannedRead struct {
	field, where string
	relations    bool
	// count: a connection asked only its totalCount, which a Count
	// branch answers.
	count bool
	// relationSources: the selection shows the sources of the evidence of
	// the relations followed.
	relationSources bool
	below           readPlan
}

// showsEntities reports whether the selection planned can ask for
// entities it reached by id: the sources of their evidence, or the ends
// of relations, at any depth.
func (p readPlan) showsEntities() bool {
	if len(p.sources) > 0 {
		return true
	}
	for _, read := range p.reads {
		if read.relations || read.below.showsEntities() {
			return true
		}
	}
	return false
}

func (p *readPlan) add(q readPlan) {
	p.branches = append(p.branches, q.branches...)
	p.reads = append(p.reads, q.reads...)
	for typ := range q.sources {
		if p.sources == nil {
			p.sources = map[graph.EntityType]bool{}
		}
		p.sources[typ] = true
	}
}

// planReads plans what sel, a selection on typeName, asks of entities of
// types. A field whose where argument is invalid is left to its resolver,
// which reports it.
func planReads(op *graphql.OperationContext, sel ast.SelectionSet, typeName string, types []graph.EntityType) readPlan {
	var plan readPlan
	if strings.HasSuffix(typeName, "Connection") {
		// A page's entities sit at edges.node.
		for _, edges := range fieldsNamed(op, sel, typeName, "edges") {
			for _, node := range fieldsNamed(op, edges.Selections, edges.Definition.Type.Name(), "node") {
				plan.add(planReads(op, node.Selections, node.Definition.Type.Name(), types))
			}
		}
		return plan
	}
	for _, typ := range types {
		for _, f := range graphql.CollectFields(op, sel, []string{string(typ), "Node"}) {
			if f.Name == "evidence" {
				if selects(op, f.Selections, "Evidence", "source") {
					plan.add(readPlan{sources: map[graph.EntityType]bool{typ: true}})
				}
				continue
			}
			if branch, read, err := planField(op, f, typ); err == nil {
				plan.branches = append(plan.branches, branch)
				plan.reads = append(plan.reads, read)
			}
		}
	}
	return plan
}

// planField plans the read of f, a field of entities of type typ, and of
// what its selection asks below it. It returns EINTERNAL if f is no
// relationship field, and the error of an invalid where argument, which
// the look-ahead leaves to the field's resolver to report.
func planField(op *graphql.OperationContext, f graphql.CollectedField, typ graph.EntityType) (graph.Branch, plannedRead, error) {
	field := string(typ) + "." + strings.TrimSuffix(f.Name, "Connection")
	rel, ok := relationships[field]
	if !ok {
		return graph.Branch{}, plannedRead{}, graph.Errorf(graph.EINTERNAL, "%s is no relationship field", field)
	}
	where, _ := f.ArgumentMap(op.Variables)["where"].(map[string]any)
	cond, err := whereCond(rel.target, where)
	if err != nil {
		return graph.Branch{}, plannedRead{}, err
	}
	if countOnly(op, f) {
		return graph.Branch{From: typ, Path: rel.path, Where: cond, Count: true},
			plannedRead{field: field, where: canonical(where), count: true}, nil
	}
	below := planReads(op, f.Selections, f.Definition.Type.Name(), []graph.EntityType{rel.target})
	relations := asksRelations(op, f)
	return graph.Branch{From: typ, Path: rel.path, Where: cond, Relations: relations, Below: below.branches},
		plannedRead{
			field: field, where: canonical(where), relations: relations, below: below,
			relationSources: selects(op, f.Selections, f.Definition.Type.Name(), "edges", "relation", "evidence", "source"),
		}, nil
}

// apply caches what a read reached along plan from the entities at its
// depth, then reads the sources of evidence the plan shows.
func (l *loader) apply(ctx context.Context, plan readPlan, entities []*graph.Entity, reached []graph.Reach) {
	sources := map[string]bool{}
	l.cacheReached(plan, entities, reached, sources)
	l.readMissing(ctx, sources)
}

// cacheReached keeps the store's answers along plan: each read's map of
// neighbours (or counts) per entity. Entities are remembered by
// id, for relation ends and sources of evidence, only where the selection
// can ask for them: at both ends of relations it shows.
func (l *loader) cacheReached(plan readPlan, entities []*graph.Entity, reached []graph.Reach, sources map[string]bool) {
	for _, e := range entities {
		if plan.sources[e.Type] {
			addSources(sources, e.Evidence)
		}
	}
	for k, read := range plan.reads {
		key := readKey{field: read.field, where: read.where, relations: read.relations}
		if read.count {
			addAnswers(l, l.counts, key, reached[k].Counts)
			continue
		}
		addAnswers(l, l.neighbours, key, reached[k].Neighbours)
		if read.relations {
			l.remember(entities...)
		}
		var next []*graph.Entity
		if read.relations || read.relationSources || read.below.showsEntities() {
			next = reachedEntities(reached[k].Neighbours, read.relationSources, sources)
		}
		if read.relations {
			l.remember(next...)
		}
		l.cacheReached(read.below, next, reached[k].Below, sources)
	}
}

// reachedEntities returns the entities neighbours reach, each once, and
// adds the sources of the relations' evidence to sources if relationSources.
func reachedEntities(neighbours map[string][]graph.Neighbour, relationSources bool, sources map[string]bool) []*graph.Entity {
	var entities []*graph.Entity
	seen := map[string]bool{}
	for _, ns := range neighbours {
		for _, n := range ns {
			if relationSources && n.Relation != nil {
				addSources(sources, n.Relation.Evidence)
			}
			if !seen[n.Entity.ID] {
				seen[n.Entity.ID] = true
				entities = append(entities, n.Entity)
			}
		}
	}
	return entities
}

// readMissing reads the entities with these ids that are not cached yet,
// in one call.
func (l *loader) readMissing(ctx context.Context, ids map[string]bool) {
	var missing []string
	l.mu.Lock()
	for id := range ids {
		if _, ok := l.entities[id]; !ok {
			missing = append(missing, id)
		}
	}
	l.mu.Unlock()
	if len(missing) > 0 {
		if found, err := l.store.Entities(ctx, missing); err == nil {
			l.remember(found...)
		}
	}
}

// asksRelations reports whether f is a connection whose edges show the
// relations followed.
func asksRelations(op *graphql.OperationContext, f graphql.CollectedField) bool {
	return selects(op, f.Selections, f.Definition.Type.Name(), "edges", "relation")
}

// countOnly reports whether f is a connection asked for its totalCount
// alone, which a count answers without reading the entities.
func countOnly(op *graphql.OperationContext, f graphql.CollectedField) bool {
	typeName := f.Definition.Type.Name()
	return strings.HasSuffix(typeName, "Connection") &&
		!selects(op, f.Selections, typeName, "edges") && !selects(op, f.Selections, typeName, "pageInfo")
}

func fieldsNamed(op *graphql.OperationContext, sel ast.SelectionSet, typeName, name string) []graphql.CollectedField {
	var out []graphql.CollectedField
	for _, f := range graphql.CollectFields(op, sel, []string{typeName}) {
		if f.Name == name {
			out = append(out, f)
		}
	}
	return out
}

// selects reports whether sel, a selection on typeName, asks for the field
// at the end of the path of names.
func selects(op *graphql.OperationContext, sel ast.SelectionSet, typeName string, names ...string) bool {
	for _, f := range fieldsNamed(op, sel, typeName, names[0]) {
		if len(names) == 1 || selects(op, f.Selections, f.Definition.Type.Name(), names[1:]...) {
			return true
		}
	}
	return false
}

func addSources(sources map[string]bool, evidence []graph.Evidence) {
	for _, ev := range evidence {
		sources[ev.Source] = true
	}
}
