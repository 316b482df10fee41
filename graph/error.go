package graph

import (
	"errors"
	"fmt"
)

// Error codes. The edges (GraphQL, HTTP, the loader's command line) translate
// them for their users in one place each.
const (
	ENOTFOUND    = "not_found"   // no entity has the id asked for
	EINVALID     = "invalid"     // the request or the data breaks a rule; the message says which
	EUNAVAILABLE = "unavailable" // the store cannot be reached now; trying later may work
	ELIMIT       = "limit"       // the request asks for more than the service allows
	EINTERNAL    = "internal"    // a bug or an unexpected failure; details go to the log only
)

// Error is an error a user can act on: a code and a message meant for them.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, and a
// generic message for any other error, so internals never reach users.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Message
	}
	return "internal error"
}
