package validators

import (
	"fmt"
	"strings"
)

const (
	// OriginSeparator separates the origins of a PullDomainName value.
	OriginSeparator = ";"
	maxPort         = 65535
	originHint      = "give a host name or IPv4 address with an optional :port"
	originListRule  = `one or more origins separated by ";" without spaces, each a DNS host name (such as origin.example.com) or an IPv4 address, with an optional :port (1-65535), each listed once; IPv6 is not supported`
	originListRuleM = "one or more origins separated by `;` without spaces, each a DNS host name (such as `origin.example.com`) or an IPv4 address, with an optional `:port` (1-65535), each listed once; IPv6 is not supported"
)

// SplitOrigins splits an origin list on ";". It does no trimming or
// filtering: strings.Join(SplitOrigins(s), ";") == s.
func SplitOrigins(s string) []string {
	return strings.Split(s, OriginSeparator)
}

// CheckOriginList reports whether s is a valid PullDomainName value: one or
// more ";"-separated origins, each a DNS host name (rules as CheckDomainName)
// or a dotted-quad IPv4 address, with an optional ":port" (1-65535), no
// whitespace, no empty entries and no duplicates (host compared
// case-insensitively, same port or both without a port). IPv6 is rejected
// because the API does not support it. It returns nil or a *ValidationError
// naming the first offending entry and its 1-based position.
func CheckOriginList(s string) error {
	if s == "" {
		return &ValidationError{
			Subject: "origin list",
			Reason:  "it is empty",
			Hint:    "give at least one host name or IPv4 address with an optional :port",
		}
	}
	seen := make(map[string]int)
	entries := SplitOrigins(s)
	for i, e := range entries {
		n := i + 1
		if e == "" {
			return &ValidationError{
				Subject: fmt.Sprintf("origin %d (\"\")", n),
				Reason:  emptyEntryReason(n, len(entries)),
				Hint:    `remove the extra ";"`,
				Index:   n,
			}
		}
		key, reason := originReason(e)
		if reason == "" {
			if prev, dup := seen[key]; dup {
				reason := fmt.Sprintf("it duplicates origin %d (%s)", prev, quote(entries[prev-1]))
				if entries[prev-1] != e {
					reason += ", as host names are case-insensitive"
				}
				return &ValidationError{
					Subject: fmt.Sprintf("origin %d (%s)", n, quote(e)),
					Reason:  reason,
					Hint:    "list each origin once",
					Index:   n,
					Entry:   e,
				}
			}
			seen[key] = n
			continue
		}
		return &ValidationError{
			Subject: fmt.Sprintf("origin %d (%s)", n, quote(e)),
			Reason:  reason,
			Hint:    originHint,
			Index:   n,
			Entry:   e,
		}
	}
	return nil
}

// emptyEntryReason explains empty entry n of total (total >= 2).
func emptyEntryReason(n, total int) string {
	switch n {
	case 1:
		return `it is empty (a leading ";")`
	case total:
		return `it is empty (a trailing ";")`
	default:
		return `it is empty (a doubled ";")`
	}
}

// originReason checks one non-empty origin entry. It returns the
// de-duplication key (lower-cased host plus port) when the entry is valid,
// or a reason why it is not.
func originReason(e string) (key, reason string) {
	if r := whitespaceReason(e); r != "" {
		return "", r
	}
	if r := urlPartsReason(e); r != "" {
		return "", r
	}
	if looksIPv6(e) {
		return "", "IPv6 addresses are not supported by the API"
	}
	host, port, hasPort := strings.Cut(e, ":")
	if hasPort && strings.Contains(port, ":") {
		return "", `it has more than one ":"`
	}
	if host == "" {
		return "", fmt.Sprintf("the host is missing before %s", quote(":"+port))
	}
	if allDigitsAndDots(host) {
		if r := ipv4Reason(host); r != "" {
			return "", r
		}
	} else if r := hostNameReason(host); r != "" {
		return "", r
	}
	if hasPort {
		if r := portReason(port); r != "" {
			return "", r
		}
	}
	return strings.ToLower(host) + ":" + port, ""
}

// ipv4Reason checks a string of digits and dots as a dotted-quad IPv4 address.
func ipv4Reason(s string) string {
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return fmt.Sprintf("%s is not an IPv4 address: it needs four dot-separated numbers 0-255 (and a host name's last label cannot be all digits)", quote(s))
	}
	for _, p := range parts {
		switch {
		case p == "":
			return fmt.Sprintf("the IPv4 address %s has an empty part", quote(s))
		case len(p) > 1 && p[0] == '0':
			return fmt.Sprintf("the IPv4 address %s has the part %s with a leading zero", quote(s), quote(p))
		case len(p) > 3 || atoi(p) > 255:
			return fmt.Sprintf("the IPv4 address %s has the part %s, out of range 0-255", quote(s), quote(p))
		}
	}
	return ""
}

// portReason checks the text after ":" as a decimal port 1-65535 without
// sign or leading zeros.
func portReason(p string) string {
	switch {
	case p == "":
		return `the port after ":" is empty`
	case strings.Trim(p, "0123456789") != "":
		return fmt.Sprintf("the port %s is not a decimal number", quote(p))
	case p == "0":
		return `the port "0" is out of range 1-65535`
	case p[0] == '0':
		return fmt.Sprintf("the port %s has a leading zero", quote(p))
	case len(p) > 5 || atoi(p) > maxPort:
		return fmt.Sprintf("the port %s is out of range 1-65535", quote(p))
	}
	return ""
}

// atoi converts a short string of ASCII digits (at most 5) to an int.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
