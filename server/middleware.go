package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, text+"\n")
}

// writeGraphQLError answers a request refused before GraphQL saw it, in the
// shape GraphQL clients read.
func writeGraphQLError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": message, "extensions": map[string]string{"code": code}}}})
}

// limitBody refuses bodies over max bytes with 413, before anything parses
// them. The GraphQL transport would read a body of any size.
func limitBody(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", tooLarge(max))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				writeGraphQLError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", tooLarge(max))
				return
			}
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", "the request body could not be read")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(max int64) string {
	return fmt.Sprintf("the request body is larger than the %d bytes this server accepts", max)
}

// withDeadline gives every request a deadline; the stores pass it on to
// the database.
func withDeadline(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requestRecord is what a request's log line says beyond HTTP: its id and
// the GraphQL operation it ran, which the operation observer fills in.
type requestRecord struct {
	id                 string
	operation, outcome string // empty when no operation ran
}

type requestRecordKey struct{}

// withRequestID tags each request with an id, echoed in X-Request-Id and
// written with its log line.
func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:])
		rec := &requestRecord{id: hex.EncodeToString(b[:])}
		w.Header().Set("X-Request-Id", rec.id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestRecordKey{}, rec)))
	})
}

// recordOf returns the record of the request ctx belongs to, nil outside
// one.
func recordOf(ctx context.Context) *requestRecord {
	rec, _ := ctx.Value(requestRecordKey{}).(*requestRecord)
	return rec
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection's writer, to
// flush an answer before the middlewares are done with it.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// accessLog writes one line per request, the GraphQL operation it ran
// included: one write per request, and everything about it in one place.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		status := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(status, r)
		attrs := make([]slog.Attr, 0, 7)
		rec := recordOf(r.Context())
		if rec != nil {
			attrs = append(attrs, slog.String("id", rec.id))
		}
		attrs = append(attrs, slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status.status), slog.Duration("duration", time.Since(start)))
		if rec != nil && rec.operation != "" {
			attrs = append(attrs, slog.String("operation", rec.operation), slog.String("outcome", rec.outcome))
		}
		log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}
