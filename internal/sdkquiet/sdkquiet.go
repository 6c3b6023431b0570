// Package sdkquiet turns off the Alibaba Cloud SDK's and credentials
// library's own debug dumps before they read their switches.
//
// With DEBUG=sdk in the environment, the SDK prints every request URL to
// standard output, and an RPC request URL carries the SecurityToken; a
// SignatureDoesNotMatch error adds the string to sign, which carries it too.
// With DEBUG=credential, credentials-go prints the headers of its requests,
// the ECS metadata token among them. The provider logs each call through
// tflog instead, with secrets masked.
//
// The SDK reads DEBUG once, while its packages initialize. Go initializes
// packages in import-path order among those whose imports are ready (the
// language specification, "Package initialization"); this package imports
// only the standard library and its path sorts before
// github.com/aliyun/..., so it always runs first. Import it for its side
// effect from every package that imports the SDK.
package sdkquiet

import (
	"os"
	"strings"
)

func init() {
	Strip()
}

// Strip removes the "sdk" and "credential" switches from DEBUG and keeps
// every other one.
func Strip() {
	v, ok := os.LookupEnv("DEBUG")
	if !ok {
		return
	}
	var kept []string
	for _, part := range strings.Split(v, ",") {
		if part != "sdk" && part != "credential" {
			kept = append(kept, part)
		}
	}
	if len(kept) == 0 {
		_ = os.Unsetenv("DEBUG")
		return
	}
	_ = os.Setenv("DEBUG", strings.Join(kept, ","))
}
