package validators

// Domain names: what CheckDomainName accepts and how it explains a
// rejection, and the truncation of quoted values.

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckDomainName(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	// 4 labels of 63 + 3 dots = 255 > 253; 3 labels of 63 + "b.com" fits.
	long := strings.Join([]string{label63, label63, label63, label63}, ".")
	max := strings.Join([]string{label63, label63, label63, strings.Repeat("b", 57), "com"}, ".")
	if len(max) != 253 {
		t.Fatalf("test setup: len(max) = %d", len(max))
	}

	good := []string{
		"example.com",
		"live.example.com",
		"a.b",
		"A.Example.COM",
		"xn--fsqu00a.example.com",
		"a-b.example-1.com",
		"123.example.com",
		"1.2.3.a",
		label63 + ".com",
		max,
	}
	for _, s := range good {
		if err := CheckDomainName(s); err != nil {
			t.Errorf("CheckDomainName(%q) = %v, want nil", s, err)
		}
	}

	bad := []struct {
		in   string
		want string // substring of the error message
	}{
		{"", "is empty"},
		{"example", "single-label"},
		{"localhost", "single-label"},
		{"example.com.", "trailing dot"},
		{"rtmp://live.example.com", `remove the scheme "rtmp://"`},
		{"http://live.example.com", `remove the scheme "http://"`},
		{"live.example.com:1935", `remove the port ":1935"`},
		{"live.example.com/app", `remove the path "/app"`},
		{"live.example.com?x=1", "query string"},
		{"live example.com", "white space"},
		{" live.example.com", "white space"},
		{"live.example.com\n", "white space"},
		{"live_1.example.com", "underscore"},
		{"*.example.com", "wildcard"},
		{"1.2.3.4", "not an IP address"},
		{"10.0.0.1", "not an IP address"},
		{"::1", "IPv6"},
		{"[::1]", "IPv6"},
		{"2001:db8::1", "IPv6"},
		{"a..example.com", "empty label"},
		{".example.com", "empty label"},
		{"-a.example.com", "starts with a hyphen"},
		{"a-.example.com", "ends with a hyphen"},
		{strings.Repeat("a", 64) + ".com", "at most 63"},
		{long, "at most 253"},
		{"example.123", "all digits"},
		{"直播.example.com", "non-ASCII"},
		{"a\x00.example.com", "control character"},
		{"a\xff.example.com", "invalid UTF-8"},
		{"a!.example.com", `character '!'`},
		{"user@example.com", "user information"},
	}
	for _, tc := range bad {
		err := CheckDomainName(tc.in)
		if err == nil {
			t.Errorf("CheckDomainName(%q) = nil, want error containing %q", tc.in, tc.want)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) {
			t.Errorf("CheckDomainName(%q) = %q, want it to contain %q", tc.in, msg, tc.want)
		}
		if !strings.HasPrefix(msg, "domain name "+quote(tc.in)+": ") {
			t.Errorf("CheckDomainName(%q) = %q, want it to name the value", tc.in, msg)
		}
		if !strings.Contains(msg, "live.example.com") {
			t.Errorf("CheckDomainName(%q) = %q, want it to say what is allowed", tc.in, msg)
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Reason == "" || ve.Index != 0 {
			t.Errorf("CheckDomainName(%q): error %#v is not a well-formed *ValidationError", tc.in, err)
		}
	}
}

func TestQuoteTruncates(t *testing.T) {
	for _, s := range []string{"", "abc", strings.Repeat("x", 500), strings.Repeat("\xff", 300), strings.Repeat("直", 100)} {
		q := quote(s)
		if len(q) > maxQuoted+3 {
			t.Errorf("quote(%d bytes) is %d bytes long", len(s), len(q))
		}
		if len(s) < 10 && q != `"`+s+`"` {
			t.Errorf("quote(%q) = %s", s, q)
		}
	}
}
