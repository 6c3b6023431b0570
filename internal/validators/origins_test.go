package validators

// Origin lists: what CheckOriginList accepts and how it explains a
// rejection, and how SplitOrigins splits.

import (
	"errors"
	"strings"
	"testing"
)

var goodOriginLists = []string{
	"a.example.com",
	"a.example.com:1935",
	"a.example.com:1935;10.0.0.1:80",
	"1.2.3.4",
	"0.0.0.0",
	"255.255.255.255:65535",
	"xn--fsqu00a.example.com",
	"a.example.net;b.example.net",
	"a.example.com;a.example.com:1935",      // different port: not a duplicate
	"a.example.com:1935;a.example.com:1936", // different port: not a duplicate
	"A.Example.COM:1",
	"origin-1.example.com;1.2.3.a",
	"1.2.3.4;1.2.3.5;1.2.3.6;1.2.3.7;1.2.3.8;1.2.3.9;1.2.3.10;1.2.3.11;1.2.3.12;1.2.3.13;1.2.3.14;1.2.3.15;1.2.3.16;1.2.3.17;1.2.3.18;1.2.3.19;1.2.3.20;1.2.3.21", // no count limit
}

type badOriginCase struct {
	in    string
	index int    // expected 1-based position (0: the list as a whole)
	want  string // substring of the error message
}

var badOriginLists = []badOriginCase{
	{"", 0, "origin list: it is empty"},
	{"a.example.com;;b.example.com", 2, `it is empty (a doubled ";"); remove the extra ";"`},
	{";a.example.com", 1, `a leading ";"`},
	{"a.example.com;", 2, `a trailing ";"`},
	{";", 1, `a leading ";"`},
	{"a.example.com; b.example.com", 2, "white space"},
	{"a.example.com ", 1, "white space"},
	{"a.example.com\tb.example.com", 1, "white space"},
	{"a.example.com\n", 1, "white space"},
	{"a.example.com;b.example.com\r\n", 2, "white space"},
	{"a.example.com;rtmp://a.example.com", 2, `origin 2 ("rtmp://a.example.com"): remove the scheme "rtmp://"; give a host name or IPv4 address with an optional :port`},
	{"http://a.example.com", 1, `remove the scheme "http://"`},
	{"a.example.com/live", 1, `remove the path "/live"`},
	{"a.example.com?x=1", 1, `remove the query string "?x=1"`},
	{"a.example.com#x", 1, "fragment"},
	{"u@a.example.com", 1, `remove the user information "u@"`},
	{"[::1]:1935", 1, "IPv6 addresses are not supported by the API"},
	{"[::1]", 1, "IPv6"},
	{"::1", 1, "IPv6"},
	{"a.example.com;2001:db8::1", 2, "IPv6"},
	{"fe80::1%eth0", 1, "IPv6"},
	{"a.example.com;A.EXAMPLE.COM", 2, `it duplicates origin 1 ("a.example.com"), as host names are case-insensitive; list each origin once`},
	{"a.example.com:1935;b.example.com;a.example.com:1935", 3, "duplicates origin 1"},
	{"1.2.3.4;1.2.3.4", 2, "duplicates origin 1"},
	{"a.example.com:0", 1, `port "0" is out of range 1-65535`},
	{":1935", 1, "host is missing"},
	{"a.example.com:65536", 1, `port "65536" is out of range`},
	{"a.example.com:99999999999999999999", 1, "out of range"},
	{"a.example.com:-1", 1, `port "-1" is not a decimal number`},
	{"a.example.com:+1", 1, "not a decimal number"},
	{"a.example.com:0x50", 1, "not a decimal number"},
	{"a.example.com:01935", 1, "leading zero"},
	{"a.example.com:", 1, "port after \":\" is empty"},
	{"a.example.com:19 35", 1, "white space"},
	{"a.example.com:1935:1936", 1, `more than one ":"`},
	{"1.2.3.4:80:90", 1, `more than one ":"`},
	{"a..example.com", 1, "empty label"},
	{".a.example.com", 1, "empty label"},
	{"-a.example.com", 1, "starts with a hyphen"},
	{"a-.example.com", 1, "ends with a hyphen"},
	{"a.example.com.", 1, "trailing dot"},
	{"a.example.com.:1935", 1, "trailing dot"},
	{"256.1.1.1", 1, `part "256", out of range 0-255`},
	{"1.2.3.999", 1, "out of range 0-255"},
	{"010.0.0.1", 1, "leading zero"},
	{"1.2.3", 1, "four dot-separated numbers"},
	{"1.2.3.4.5", 1, "four dot-separated numbers"},
	{"1..3.4", 1, "empty part"},
	{"1234", 1, "four dot-separated numbers"},
	{"localhost", 1, "single-label"},
	{"localhost:1935", 1, "single-label"},
	{"*.example.com", 1, "wildcard"},
	{"a_b.example.com", 1, "underscore"},
	{"直播.example.com", 1, "punycode"},
	{"a.example.com;b.example.com,c.example.com", 2, `character ','`},
	{strings.Repeat("a", 64) + ".example.com", 1, "at most 63"},
	{"example.123", 1, "all digits"},
}

func TestCheckOriginList(t *testing.T) {
	for _, s := range goodOriginLists {
		if err := CheckOriginList(s); err != nil {
			t.Errorf("CheckOriginList(%q) = %v, want nil", s, err)
		}
	}
	for _, tc := range badOriginLists {
		err := CheckOriginList(tc.in)
		if err == nil {
			t.Errorf("CheckOriginList(%q) = nil, want error containing %q", tc.in, tc.want)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) {
			t.Errorf("CheckOriginList(%q) = %q, want it to contain %q", tc.in, msg, tc.want)
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("CheckOriginList(%q): %T is not a *ValidationError", tc.in, err)
			continue
		}
		if ve.Index != tc.index {
			t.Errorf("CheckOriginList(%q): Index = %d, want %d (%s)", tc.in, ve.Index, tc.index, msg)
		}
		if tc.index > 0 {
			entry := SplitOrigins(tc.in)[tc.index-1]
			prefix := "origin " + itoa(tc.index) + " (" + quote(entry) + "): "
			if !strings.HasPrefix(msg, prefix) {
				t.Errorf("CheckOriginList(%q) = %q, want prefix %q", tc.in, msg, prefix)
			}
			if ve.Entry != entry {
				t.Errorf("CheckOriginList(%q): Entry = %q, want %q", tc.in, ve.Entry, entry)
			}
		}
	}
}

func TestSplitOrigins(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", []string{""}},
		{"a", []string{"a"}},
		{"a;b", []string{"a", "b"}},
		{";a; b;", []string{"", "a", " b", ""}},
	} {
		got := SplitOrigins(tc.in)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("SplitOrigins(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
