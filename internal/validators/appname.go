package validators

import (
	"fmt"
	"unicode/utf8"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

const (
	maxAppNameLen = 255
	appNameHint   = `use 1-255 letters, digits, "-" or "_" (` + lazypull.AllApps + ` means all applications)`
	appNameRule   = `1-255 characters, each a letter, digit, "-" or "_"; "` + lazypull.AllApps + `" means all applications of the domain`
	appNameRuleM  = "1-255 characters, each a letter, digit, `-` or `_`; `" + lazypull.AllApps + "` means all applications of the domain"
)

// CheckAppName reports whether s is a valid application name: 1-255
// characters, each an ASCII letter, digit, '-' or '_'. It returns nil or a
// *ValidationError.
func CheckAppName(s string) error {
	if reason := appNameReason(s); reason != "" {
		return &ValidationError{
			Subject: "app name " + quote(s),
			Reason:  reason,
			Hint:    appNameHint,
		}
	}
	return nil
}

func appNameReason(s string) string {
	if s == "" {
		return "it is empty"
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			i++
			continue
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return fmt.Sprintf("it contains the invalid UTF-8 byte 0x%02x at byte %d", c, i+1)
			}
			return fmt.Sprintf("it contains the non-ASCII character %q at byte %d", r, i+1)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			return fmt.Sprintf("it contains white space (%q at byte %d)", rune(c), i+1)
		case c < 0x20 || c == 0x7f:
			return fmt.Sprintf("it contains the control character %q at byte %d", rune(c), i+1)
		default:
			return fmt.Sprintf("it contains the character %q at byte %d", rune(c), i+1)
		}
	}
	if len(s) > maxAppNameLen {
		return fmt.Sprintf("it is %d characters long; at most %d are allowed", len(s), maxAppNameLen)
	}
	return ""
}
