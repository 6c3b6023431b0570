// Package validators holds the plan-time validation rules of the
// alicloud_live_lazy_pull_config resource: pure Check* functions that return
// a descriptive error, and terraform-plugin-framework validator.String
// implementations built on them.
package validators

import (
	"strconv"
	"unicode/utf8"
)

// ValidationError is the error type returned by every Check* function of this
// package. Its Error() text reads "<Subject>: <Reason>; <Hint>", for example
//
//	origin 2 ("rtmp://a.example.com"): remove the scheme "rtmp://"; give a host name or IPv4 address with an optional :port
type ValidationError struct {
	// Subject names the offending value, e.g. `domain name "x"` or `origin 2 ("x")`.
	Subject string
	// Reason says what is wrong, e.g. `remove the scheme "rtmp://"`.
	Reason string
	// Hint says what to give instead, e.g. "give a bare domain name such as live.example.com".
	Hint string
	// Index is the 1-based position of the offending entry of an origin list;
	// 0 when the error concerns the value as a whole.
	Index int
	// Entry is the offending origin-list entry (only when Index > 0).
	Entry string
}

func (e *ValidationError) Error() string {
	msg := e.Subject + ": " + e.Reason
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// maxQuoted bounds the length of a quoted value inside an error message, so a
// pathological input cannot produce a huge message.
const maxQuoted = 72

// quote returns s in Go double-quoted form, truncated (with a trailing "...")
// when the quoted form would be longer than maxQuoted bytes.
func quote(s string) string {
	q := strconv.Quote(s)
	if len(q) <= maxQuoted {
		return q
	}
	budget := maxQuoted - 2 - 3 // quotes and "..."
	used, end := 0, 0
	for end < len(s) {
		_, size := utf8.DecodeRuneInString(s[end:])
		w := len(strconv.Quote(s[end:end+size])) - 2
		if used+w > budget {
			break
		}
		used += w
		end += size
	}
	return strconv.Quote(s[:end]) + "..."
}
