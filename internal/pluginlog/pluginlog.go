// Package pluginlog keeps the plugin libraries from formatting log lines
// that Terraform throws away.
//
// terraform-plugin-go and terraform-plugin-framework log every RPC, every
// validator and every plan modifier at TRACE, render each line as JSON and
// write it to the plugin's stderr, where Terraform parses it again, whether
// or not anybody asked for logs. Terraform keeps a provider's log lines only
// when TF_LOG_PROVIDER (else TF_LOG) sets a level, so with neither set the
// lines cost CPU in both processes for nothing: a third of the provider's
// CPU time in a plan, as measured by the benchmark's CPU profiles.
package pluginlog

import (
	"os"
	"strings"
)

// The variables terraform-plugin-go and terraform-plugin-framework read for
// their own log levels; the provider's own logger reads
// TF_LOG_PROVIDER_<TYPE>.
var sdkLevelVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// DiscardUnlessRequested turns the provider's and the plugin libraries' logs
// off when Terraform would discard them: neither TF_LOG_PROVIDER nor TF_LOG
// sets a level (or either says "off"). Variables already set are left
// alone, and so is everything when logs were requested. providerType is the
// provider's type name ("alicloud"). It reports whether it turned logs off.
// Call it before serving.
func DiscardUnlessRequested(providerType string) bool {
	level := strings.TrimSpace(os.Getenv("TF_LOG_PROVIDER"))
	if level == "" {
		level = strings.TrimSpace(os.Getenv("TF_LOG"))
	}
	if level != "" && !strings.EqualFold(level, "off") {
		return false
	}
	names := append([]string{"TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(providerType, "-", "_"))}, sdkLevelVariables...)
	for _, name := range names {
		if _, set := os.LookupEnv(name); !set {
			_ = os.Setenv(name, "OFF")
		}
	}
	return true
}
