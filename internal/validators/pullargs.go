package validators

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

const (
	pullArgsHint  = `give the back-to-origin parameters as the service shows them, such as "k=v", without white space`
	pullArgsRule  = `back-to-origin parameters such as "k=v", without white space or control characters; "" clears them`
	pullArgsRuleM = "back-to-origin parameters such as `k=v`, without white space or control characters; `\"\"` clears them"
)

// CheckPullArgs reports whether s can be sent as PullArgs. The API does not
// document a syntax beyond its example ("k=v"), so only what no query
// parameter can carry is refused: white space and control characters. The
// empty string is valid. It returns nil or a *ValidationError.
func CheckPullArgs(s string) error {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		var reason string
		switch {
		case r == utf8.RuneError && size == 1: // not U+FFFD itself, which is valid
			reason = fmt.Sprintf("it is not valid UTF-8 at byte %d", i+1)
		case unicode.IsSpace(r):
			reason = fmt.Sprintf("it contains white space (%q at byte %d)", r, i+1)
		case unicode.IsControl(r):
			reason = fmt.Sprintf("it contains the control character %q at byte %d", r, i+1)
		}
		if reason != "" {
			return &ValidationError{Subject: "pull args " + quote(s), Reason: reason, Hint: pullArgsHint}
		}
		i += size
	}
	return nil
}
