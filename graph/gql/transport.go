package gql

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/civicgraph/civicgraph/graph/gql/answer"
)

// postTransport serves GraphQL over POST like gqlgen's transport.POST,
// except for how it writes an answer: the executor has marshalled the
// data already, and transport.POST encodes the whole response again with
// encoding/json, which validates and compacts the data once more, a tenth
// of a nested query's CPU. Here the data is written as it is.
//
// A body that is not a request, or an operation that fails before it runs
// (parse, validation, persisted-query errors), is handed to transport.POST
// whole, so that such errors and their HTTP statuses stay gqlgen's.
type postTransport struct {
	transport.POST
}

func (t postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.POST.Do(w, r, exec)
		return
	}
	replay := func() {
		r.Body = io.NopCloser(bytes.NewReader(body))
		t.POST.Do(w, r, exec)
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // as gqlgen decodes: integers stay exact
	if err := dec.Decode(params); err != nil {
		replay()
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	ctx := r.Context()
	op, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		replay()
		return
	}
	w.Header().Set("Content-Type", responseType(r.Header.Get("Accept")))
	ctx, release := answer.WithBuffer(ctx)
	defer release() // the data is written by then, and nothing keeps it
	respond, ctx := exec.DispatchOperation(ctx, op)
	writeResponse(w, respond(ctx))
}

// responseType picks the media type of an answer from the request's Accept
// header, as transport.POST does: JSON when nothing or anything is asked,
// otherwise the first of the two GraphQL-over-HTTP types listed, and the
// GraphQL response type when neither is.
func responseType(accept string) string {
	const plain, graphQL = "application/json", "application/graphql-response+json"
	if accept == "" {
		return plain
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", plain:
			return plain
		case graphQL:
			return graphQL
		}
	}
	return graphQL
}

// writeResponse writes res as encoding/json would, with its fields in the
// same order, but its data as the executor wrote it. The response goes in
// one write of known length: net/http then sends a large answer in two
// system calls and segments, where writing it in parts took three, and
// never in chunks.
func writeResponse(w http.ResponseWriter, res *graphql.Response) {
	if res == nil {
		res = &graphql.Response{}
	}
	out, giveBack := answer.Borrow()
	defer giveBack()
	out.WriteString(`{`)
	if len(res.Errors) > 0 {
		out.WriteString(`"errors":`)
		out.Write(mustMarshal(res.Errors))
		out.WriteString(`,`)
	}
	out.WriteString(`"data":`)
	if res.Data == nil {
		out.WriteString(`null`)
	} else {
		out.Write(res.Data)
	}
	// The fields after data, which a query's answer rarely has.
	if res.Label != "" || len(res.Path) > 0 || res.HasNext != nil || len(res.Extensions) > 0 {
		rest := mustMarshal(struct {
			Label      string         `json:"label,omitempty"`
			Path       ast.Path       `json:"path,omitempty"`
			HasNext    *bool          `json:"hasNext,omitempty"`
			Extensions map[string]any `json:"extensions,omitempty"`
		}{res.Label, res.Path, res.HasNext, res.Extensions})
		out.WriteString(`,`)
		out.Write(rest[1 : len(rest)-1])
	}
	out.WriteString(`}`)
	w.Header().Set("Content-Length", strconv.Itoa(out.Len()))
	// A failed write is a client gone; there is no one left to tell.
	_, _ = w.Write(out.Bytes())
	// The answer is whole: send it now rather than after the middlewares
	// above have logged and counted the request. With its length set it
	// goes in the one write it would have taken anyway.
	_ = http.NewResponseController(w).Flush()
}

// mustMarshal encodes v, made of types encoding/json always encodes.
func mustMarshal(v any) []byte {
	out, err := json.Marshal(v)
	if err != nil {
		panic(err) // recovered by the handler, reported as an internal error
	}
	return out
}
