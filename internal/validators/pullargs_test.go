package validators

// Back-to-origin parameters: what CheckPullArgs accepts and how it explains
// a rejection.

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPullArgs(t *testing.T) {
	for _, ok := range []string{"", "k=v", "a=1&b=2", "k=\uFFFD", "名前=値"} {
		if err := CheckPullArgs(ok); err != nil {
			t.Errorf("CheckPullArgs(%q) = %v, want nil", ok, err)
		}
	}
	cases := []struct{ in, reason string }{
		{"k=v\xff", "it is not valid UTF-8 at byte 4"},
		{"k=v w", `it contains white space (' ' at byte 4)`},
		{"k=\u00a0v", `it contains white space ('\u00a0' at byte 3)`},
		{"k=\x01", `it contains the control character '\x01' at byte 3`},
	}
	for _, c := range cases {
		err := CheckPullArgs(c.in)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("CheckPullArgs(%q) = %v, want a *ValidationError", c.in, err)
			continue
		}
		if ve.Reason != c.reason || !strings.HasPrefix(ve.Subject, "pull args ") || ve.Hint != pullArgsHint {
			t.Errorf("CheckPullArgs(%q): subject %q, reason %q, hint %q; want reason %q", c.in, ve.Subject, ve.Reason, ve.Hint, c.reason)
		}
	}
}
