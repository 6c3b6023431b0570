package validators

// Fuzz targets for the origin list and domain name checks: no panics,
// every rejection has a message of bounded length, and every accepted value
// keeps the rules.

import (
	"strings"
	"testing"
	"unicode"
)

func FuzzCheckOriginList(f *testing.F) {
	for _, s := range goodOriginLists {
		f.Add(s)
	}
	for _, tc := range badOriginLists {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckOriginList(s)
		if err != nil {
			msg := err.Error()
			if msg == "" {
				t.Fatalf("CheckOriginList(%q): empty error message", s)
			}
			if len(msg) > len(s)+300 {
				t.Fatalf("CheckOriginList(%q): message of %d bytes for %d bytes of input: %q", s, len(msg), len(s), msg)
			}
			return
		}
		entries := SplitOrigins(s)
		if strings.Join(entries, OriginSeparator) != s {
			t.Fatalf("CheckOriginList(%q) = nil but SplitOrigins does not rejoin to the input", s)
		}
		for i, e := range entries {
			switch {
			case e == "":
				t.Fatalf("CheckOriginList(%q) = nil with empty entry %d", s, i+1)
			case strings.ContainsFunc(e, unicode.IsSpace):
				t.Fatalf("CheckOriginList(%q) = nil with white space in entry %d", s, i+1)
			case strings.Contains(e, "://"):
				t.Fatalf("CheckOriginList(%q) = nil with a scheme in entry %d", s, i+1)
			case strings.Count(e, ":") > 1 || strings.ContainsAny(e, "[]/?#@_*"):
				t.Fatalf("CheckOriginList(%q) = nil with invalid entry %d %q", s, i+1, e)
			}
		}
	})
}

func FuzzCheckDomainName(f *testing.F) {
	for _, s := range []string{"live.example.com", "rtmp://x.y", "1.2.3.4", "a..b", "localhost", "a.b.", "[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckDomainName(s)
		if err != nil {
			if msg := err.Error(); msg == "" || len(msg) > len(s)+400 {
				t.Fatalf("CheckDomainName(%q): bad message %q", s, msg)
			}
			return
		}
		// Anything accepted as a domain name is also a valid one-entry origin list.
		if err := CheckOriginList(s); err != nil {
			t.Fatalf("CheckDomainName(%q) = nil but CheckOriginList = %v", s, err)
		}
	})
}
