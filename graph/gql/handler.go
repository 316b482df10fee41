package gql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql/fieldargs"
	"github.com/civicgraph/civicgraph/graph/gql/generated"
	"github.com/civicgraph/civicgraph/graph/gql/selections"
)

// Config tunes the GraphQL endpoint.
type Config struct {
	// Introspection lets clients such as GraphiQL read the schema.
	Introspection bool
	// Suggestions lets validation errors propose names ("Did you mean").
	Suggestions bool
	// Limits bound what one request may ask.
	Limits Limits
	// TokenLimit bounds the tokens of one query, so that parsing and
	// validation stay cheap whatever a client sends.
	TokenLimit int
	// Logger receives what clients are not shown: internal errors, panics.
	Logger *slog.Logger
}

// Error codes clients find in an error's extensions.code.
const (
	CodeBadUserInput = "BAD_USER_INPUT"
	CodeNotFound     = "NOT_FOUND"
	CodeUnavailable  = "UNAVAILABLE"
	CodeTimeout      = "TIMEOUT"
	CodeInternal     = "INTERNAL_SERVER_ERROR"
)

// NewHandler returns the GraphQL endpoint over store: GET, POST and OPTIONS
// only, with a parsed-query cache, automatic persisted queries, recovered
// panics and errors that never show internals. Its fields resolve without
// field middleware (see inorder.ResolveField): an extension added with Use
// may intercept operations, responses and root fields, not other fields.
func NewHandler(store graph.Store, cfg Config) *handler.Server {
	return newHandler(store, cfg, postTransport{})
}

// newHandler is NewHandler with the transport for POST requests given.
func newHandler(store graph.Store, cfg Config, post graphql.Transport) *handler.Server {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Store: store}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(post)
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(cfg.TokenLimit)
	srv.SetDisableSuggestion(!cfg.Suggestions)
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	} else {
		srv.Use(refuseIntrospection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.Use(limitsExtension{limits: cfg.Limits})
	plans := newPlanCache(planCacheSize)
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(selections.WithMemo(fieldargs.WithMemo(withLoader(ctx, store, plans, cfg.Limits.ResultNodes))))
	})
	if cfg.Limits.Errors > 0 {
		srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
			return truncateErrors(next(ctx), cfg.Limits.Errors)
		})
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(v), "path", graphql.GetPath(ctx).String(), "stack", string(debug.Stack()))
		return errors.New("panic") // presented as an internal error
	})
	srv.SetErrorPresenter(func(ctx context.Context, err error) *gqlerror.Error {
		return presentError(ctx, log, err)
	})
	return srv
}

// presentError turns an error into what the client sees: the domain's
// message and a stable code, or for anything unexpected a generic message,
// with the detail logged instead.
func presentError(ctx context.Context, log *slog.Logger, err error) *gqlerror.Error {
	if gqlErr, ok := errors.AsType[*gqlerror.Error](err); ok && gqlErr.Err == nil {
		return gqlErr // gqlgen's own: parse, validation and argument errors
	}
	presented := graphql.DefaultErrorPresenter(ctx, err)
	code, message := CodeInternal, "internal error"
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		code, message = CodeTimeout, "the request took longer than its deadline allows"
	case errors.Is(err, context.Canceled):
		code, message = CodeTimeout, "the request was cancelled"
	default:
		switch graph.ErrorCode(err) {
		case graph.EINVALID:
			code, message = CodeBadUserInput, graph.ErrorMessage(err)
		case graph.ENOTFOUND:
			code, message = CodeNotFound, graph.ErrorMessage(err)
		case graph.EUNAVAILABLE:
			code, message = CodeUnavailable, graph.ErrorMessage(err)
		case graph.ELIMIT:
			code, message = CodeLimitExceeded, graph.ErrorMessage(err)
		default:
			log.ErrorContext(ctx, "internal error", "path", presented.Path.String(), "error", err)
		}
	}
	return &gqlerror.Error{
		Message:    message,
		Path:       presented.Path,
		Locations:  presented.Locations,
		Extensions: map[string]any{"code": code},
	}
}

// truncateErrors keeps the first max errors of a response and says how many
// more there were, so that an answer full of errors stays small.
func truncateErrors(res *graphql.Response, max int) *graphql.Response {
	if res == nil || len(res.Errors) <= max {
		return res
	}
	more := len(res.Errors) - max
	res.Errors = append(res.Errors[:max:max], &gqlerror.Error{
		Message:    fmt.Sprintf("%d more errors not shown", more),
		Extensions: map[string]any{"code": CodeLimitExceeded},
	})
	return res
}

// CodeIntrospectionDisabled marks a schema query on a server that hides
// its schema.
const CodeIntrospectionDisabled = "INTROSPECTION_DISABLED"

// refuseIntrospection says plainly, before anything runs, that the schema
// is not served here; without it the query would fail deep inside with a
// message meant for developers.
type refuseIntrospection struct{}

func (refuseIntrospection) ExtensionName() string                          { return "RefuseIntrospection" }
func (refuseIntrospection) Validate(schema graphql.ExecutableSchema) error { return nil }

func (refuseIntrospection) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	for _, f := range graphql.CollectFields(op, op.Operation.SelectionSet, nil) {
		if f.Name == "__schema" || f.Name == "__type" {
			return &gqlerror.Error{
				Message:    "introspection is disabled on this server",
				Extensions: map[string]any{"code": CodeIntrospectionDisabled},
			}
		}
	}
	return nil
}
