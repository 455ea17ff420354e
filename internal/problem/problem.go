// Package problem is the one error model of Parcours: a small closed set of
// kinds that the web adapter maps to status codes, with a French detail for
// the user and, for invalid input, a message per field or row.
package problem

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind is the class of a failure the user can act on.
type Kind int

// The kinds; anything else is an internal error.
const (
	Internal Kind = iota
	NotFound
	Invalid
	Conflict
	Forbidden
	Unauthorized
	TooMany
)

// Field is a message about one field (or one row and column) of the input.
type Field struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a failure of a known kind with a French detail.
type Error struct {
	Kind       Kind
	Detail     string
	Fields     []Field
	RetryAfter time.Duration // with TooMany
	Err        error         // the cause, for logs only
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Detail)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s : %s", f.Field, f.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of a kind with a French detail.
func New(k Kind, detail string) *Error { return &Error{Kind: k, Detail: detail} }

// InvalidFields returns an Invalid error with field messages.
func InvalidFields(detail string, fields ...Field) *Error {
	return &Error{Kind: Invalid, Detail: detail, Fields: fields}
}

// KindOf returns the kind of err, Internal when it carries none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Fields collects field messages while validating a form or a row.
type Fields []Field

// Add records a message about a field.
func (fs *Fields) Add(field, msg string) { *fs = append(*fs, Field{Field: field, Message: msg}) }

// Err returns an Invalid error holding the messages, or nil when there are
// none.
func (fs Fields) Err() error {
	if len(fs) == 0 {
		return nil
	}
	return InvalidFields("Certaines informations saisies ne sont pas valides.", fs...)
}

// For returns the message about a field, for a form to show beside it.
func (fs Fields) For(field string) string {
	for _, f := range fs {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}
