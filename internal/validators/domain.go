package validators

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	maxHostNameLen  = 253
	maxLabelLen     = 63
	domainNameHint  = "give a bare domain name such as live.example.com"
	domainNameRule  = "a DNS domain name such as live.example.com: two or more dot-separated labels of 1-63 letters, digits or hyphens (not starting or ending with a hyphen), at most 253 characters, without scheme, port, path, wildcard, trailing dot or IP address"
	domainNameRuleM = "a DNS domain name such as `live.example.com`: two or more dot-separated labels of 1-63 letters, digits or hyphens (not starting or ending with a hyphen), at most 253 characters, without scheme, port, path, wildcard, trailing dot or IP address"
)

// CheckDomainName reports whether s is a DNS host name acceptable as the
// DomainName of a Live API call: RFC 1123 labels (1-63 letters, digits or
// hyphens, not starting or ending with a hyphen), at least two labels, at most
// 253 characters, no trailing dot, and no scheme, port, path, whitespace,
// underscore, wildcard or IP address. It returns nil or a *ValidationError.
func CheckDomainName(s string) error {
	if reason := domainNameReason(s); reason != "" {
		return &ValidationError{
			Subject: "domain name " + quote(s),
			Reason:  reason,
			Hint:    domainNameHint,
		}
	}
	return nil
}

func domainNameReason(s string) string {
	if s == "" {
		return "it is empty"
	}
	if r := whitespaceReason(s); r != "" {
		return r
	}
	if r := urlPartsReason(s); r != "" {
		return r
	}
	if looksIPv6(s) {
		return "a domain name is required, not an IPv6 address"
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		return fmt.Sprintf("remove the port %s", quote(s[i:]))
	}
	return hostNameReason(s)
}

// whitespaceReason reports any Unicode white space in s.
func whitespaceReason(s string) string {
	i := strings.IndexFunc(s, unicode.IsSpace)
	if i < 0 {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return fmt.Sprintf("it contains white space (%q at byte %d)", r, i+1)
}

// urlPartsReason reports URL syntax that has no place in a host name: a
// scheme, user information, a path, a query string or a fragment.
func urlPartsReason(s string) string {
	if i := strings.Index(s, "://"); i >= 0 {
		return fmt.Sprintf("remove the scheme %s", quote(s[:i+3]))
	}
	if i := strings.IndexByte(s, '@'); i >= 0 {
		return fmt.Sprintf("remove the user information %s", quote(s[:i+1]))
	}
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		switch s[i] {
		case '/':
			return fmt.Sprintf("remove the path %s", quote(s[i:]))
		case '?':
			return fmt.Sprintf("remove the query string %s", quote(s[i:]))
		default:
			return fmt.Sprintf("remove the fragment %s", quote(s[i:]))
		}
	}
	return ""
}

// looksIPv6 reports whether s is (or is evidently meant to be) an IPv6
// address, bracketed or bare, with or without a port.
func looksIPv6(s string) bool {
	if strings.HasPrefix(s, "[") {
		return true
	}
	if strings.Count(s, ":") < 2 {
		return false
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Is6() {
		return true
	}
	// Malformed but evidently IPv6: hex digits and colons, with dots only in
	// an embedded IPv4 tail (so "1.2.3.4:80:90" is not taken for IPv6).
	addr, _, _ := strings.Cut(s, "%") // zone
	first, _, _ := strings.Cut(addr, ":")
	return !strings.Contains(first, ".") && strings.Trim(addr, "0123456789abcdefABCDEF:.") == ""
}

// hostNameReason checks s (no scheme, port or path) against the RFC 1123 host
// name rules and returns "" when it is valid.
func hostNameReason(s string) string {
	if s == "" {
		return "the host name is empty"
	}
	if strings.Contains(s, "*") {
		return `wildcards ("*") are not allowed`
	}
	if strings.HasSuffix(s, ".") {
		return "remove the trailing dot"
	}
	if strings.Contains(s, "_") {
		return `underscores ("_") are not allowed in host names`
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return fmt.Sprintf("it contains the invalid UTF-8 byte 0x%02x", c)
			}
			return fmt.Sprintf("it contains the non-ASCII character %q (write internationalized names in punycode, xn--...)", r)
		}
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.':
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("it contains the control character %q", rune(c))
		default:
			return fmt.Sprintf("it contains the character %q (host names may contain only letters, digits, hyphens and dots)", rune(c))
		}
		i++
	}
	if len(s) > maxHostNameLen {
		return fmt.Sprintf("it is %d characters long; a host name may have at most %d", len(s), maxHostNameLen)
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		switch {
		case l == "":
			return "it has an empty label (a leading dot or two dots in a row)"
		case len(l) > maxLabelLen:
			return fmt.Sprintf("the label %s is %d characters long; a label may have at most %d", quote(l), len(l), maxLabelLen)
		case l[0] == '-':
			return fmt.Sprintf("the label %s starts with a hyphen", quote(l))
		case l[len(l)-1] == '-':
			return fmt.Sprintf("the label %s ends with a hyphen", quote(l))
		}
	}
	if allDigitsAndDots(s) {
		return "a domain name is required, not an IP address"
	}
	if len(labels) < 2 {
		return "a single-label name is not a fully qualified domain name (at least two labels are required)"
	}
	if tld := labels[len(labels)-1]; allDigitsAndDots(tld) {
		return fmt.Sprintf("the top-level label %s is all digits", quote(tld))
	}
	return ""
}

func allDigitsAndDots(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.") == ""
}
