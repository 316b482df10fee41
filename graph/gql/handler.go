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
	"github.com/civicgraph/civicgraph/graph/gql/generated"
)

// Config tunes the GraphQL endpoint.
type Config struct {
	// Introspection lets clients such as GraphiQL read the schema.
	Introspection bool
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
// panics and errors that never show internals.
func NewHandler(store graph.Store, cfg Config) *handler.Server {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{Store: store}}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(cfg.TokenLimit)
	if cfg.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](1000)})
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoader(ctx, store))
	})
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
