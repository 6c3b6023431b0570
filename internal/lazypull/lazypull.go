// Package lazypull holds the vocabulary of a triggered stream pulling
// ("lazy pull") configuration that is shared by the provider, its data source
// and the API client: the configuration itself, its import ID and the
// protocol names, and the API's action names.
package lazypull

import (
	"fmt"
	"slices"
	"strings"
)

// The API's actions for lazy-pull configurations, as requests name them and
// as the service counts them against its per-action rate limit, and the API
// version they belong to.
const (
	ActionSet      = "SetLiveLazyPullStreamInfoConfig"
	ActionDescribe = "DescribeLiveLazyPullStreamConfig"
	ActionDelete   = "DeleteLiveLazyPullStreamInfoConfig"
	APIVersion     = "2016-11-01"
)

// AllApps is the AppName wildcard: the configuration applies to every
// application of the domain, and deleting it removes the configurations of
// every application of the domain.
const AllApps = "ali_all_app"

// Config is one lazy-pull configuration, with the protocol in API form
// (rtmp, httpflv, hls) and TranscodeLazy as a bool.
type Config struct {
	DomainName     string
	AppName        string
	PullDomainName string
	PullAppName    string
	PullProtocol   string
	TranscodeLazy  bool
	PullArgs       string
}

// Protocols lists the values SetLiveLazyPullStreamInfoConfig accepts for
// PullProtocol, in API form.
var Protocols = []string{"rtmp", "httpflv", "hls"}

// protocolsByDisplay maps the display forms that
// DescribeLiveLazyPullStreamConfig returns to the API form Set takes.
var protocolsByDisplay = map[string]string{
	"rtmp":     "rtmp",
	"httpflv":  "httpflv",
	"http-flv": "httpflv",
	"flv":      "httpflv",
	"hls":      "hls",
}

// NormalizeProtocol maps a protocol as Describe returns it ("RTMP",
// "HTTP-FLV", "HLS", or already in API form) to the API form. The bool is
// false for a value it does not know; the value is then returned lower-cased
// so that a plan shows what the service holds.
func NormalizeProtocol(s string) (string, bool) {
	key := strings.ToLower(strings.TrimSpace(s))
	if p, ok := protocolsByDisplay[key]; ok {
		return p, true
	}
	return key, false
}

// FormatTranscodeLazy renders the bool as the API's "yes"/"no".
func FormatTranscodeLazy(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// ParseTranscodeLazy reads the API's "yes"/"no"; anything but "yes"
// (including the empty string, the API's default) is false.
func ParseTranscodeLazy(s string) bool {
	return strings.EqualFold(strings.TrimSpace(s), "yes")
}

// ID is the resource ID, "<domain_name>:<app_name>".
func ID(domain, app string) string {
	return domain + ":" + app
}

// ParseID splits an import ID of the form "<domain_name>:<app_name>".
// Neither a domain name nor an application name may contain ':', so exactly
// one separator is required.
func ParseID(id string) (domain, app string, err error) {
	parts := strings.Split(id, ":")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", "", fmt.Errorf("expected an ID of the form <domain_name>:<app_name>, e.g. live.example.com:live_app, got %q", id)
	}
	return parts[0], parts[1], nil
}

// SortByApp returns a copy of list sorted by AppName.
func SortByApp(list []Config) []Config {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b Config) int { return strings.Compare(a.AppName, b.AppName) })
	return out
}

// SameHosts reports whether two values of DomainName or PullDomainName name
// the same servers: host names compare case-insensitively (DNS ignores
// case, and a service may store them in its own case), everything else
// exactly, the order of the origins and their ports included.
func SameHosts(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Same reports whether a and b are the same configuration as the service
// means it: DomainName and PullDomainName as SameHosts compares them, every
// other field exactly.
func Same(a, b Config) bool {
	if !SameHosts(a.DomainName, b.DomainName) || !SameHosts(a.PullDomainName, b.PullDomainName) {
		return false
	}
	a.DomainName, a.PullDomainName = b.DomainName, b.PullDomainName
	return a == b
}
