package validators

// Application names: what CheckAppName accepts and how it explains a
// rejection.

import (
	"strings"
	"testing"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func TestCheckAppName(t *testing.T) {
	good := []string{
		"ali_all_app",
		lazypull.AllApps,
		"live",
		"a",
		"App-1_x",
		"0",
		"-",
		"_",
		"UPPER",
		strings.Repeat("a", 255),
	}
	for _, s := range good {
		if err := CheckAppName(s); err != nil {
			t.Errorf("CheckAppName(%q) = %v, want nil", s, err)
		}
	}

	bad := []struct {
		in   string
		want string
	}{
		{"", "is empty"},
		{strings.Repeat("a", 256), "256 characters long; at most 255"},
		{"my app", "white space"},
		{" app", "white space"},
		{"app\t", "white space"},
		{"app\n", "white space"},
		{"a/b", `character '/'`},
		{"a.b", `character '.'`},
		{"app:1", `character ':'`},
		{"app*", `character '*'`},
		{"直播", "non-ASCII"},
		{"café", "non-ASCII"},
		{"app\x00", "control character"},
		{"app\xff", "invalid UTF-8"},
		{"a;b", `character ';'`},
	}
	for _, tc := range bad {
		err := CheckAppName(tc.in)
		if err == nil {
			t.Errorf("CheckAppName(%q) = nil, want error containing %q", tc.in, tc.want)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.want) {
			t.Errorf("CheckAppName(%q) = %q, want it to contain %q", tc.in, msg, tc.want)
		}
		if !strings.HasPrefix(msg, "app name "+quote(tc.in)+": ") {
			t.Errorf("CheckAppName(%q) = %q, want it to name the value", tc.in, msg)
		}
		if !strings.Contains(msg, "letters, digits") {
			t.Errorf("CheckAppName(%q) = %q, want it to say what is allowed", tc.in, msg)
		}
	}
}
