package pluginlog

// The plugin libraries' logging is off unless TF_LOG or TF_LOG_PROVIDER
// asks for it.

import (
	"os"
	"testing"
)

func TestDiscardUnlessRequested(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		off     bool
		sdkWant string
	}{
		{"nothing requested", map[string]string{}, true, "OFF"},
		{"TF_LOG=off", map[string]string{"TF_LOG": "off"}, true, "OFF"},
		{"TF_LOG=debug", map[string]string{"TF_LOG": "debug"}, false, ""},
		{"TF_LOG_PROVIDER=trace", map[string]string{"TF_LOG_PROVIDER": "trace"}, false, ""},
		{"TF_LOG_PROVIDER=off wins over TF_LOG", map[string]string{"TF_LOG": "trace", "TF_LOG_PROVIDER": "off"}, true, "OFF"},
		{"an explicit SDK level is kept", map[string]string{"TF_LOG_SDK": "warn"}, true, "warn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, v := range append([]string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_ALICLOUD"}, sdkLevelVariables...) {
				t.Setenv(v, "")
				_ = os.Unsetenv(v)
			}
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			if got := DiscardUnlessRequested("alicloud"); got != c.off {
				t.Fatalf("DiscardUnlessRequested() = %v, want %v", got, c.off)
			}
			if got := os.Getenv("TF_LOG_SDK"); got != c.sdkWant {
				t.Errorf("TF_LOG_SDK = %q, want %q", got, c.sdkWant)
			}
			if c.off && os.Getenv("TF_LOG_PROVIDER_ALICLOUD") != "OFF" {
				t.Errorf("TF_LOG_PROVIDER_ALICLOUD = %q, want OFF", os.Getenv("TF_LOG_PROVIDER_ALICLOUD"))
			}
			if !c.off && os.Getenv("TF_LOG_SDK_FRAMEWORK") != "" {
				t.Errorf("logs were requested, yet TF_LOG_SDK_FRAMEWORK was set to %q", os.Getenv("TF_LOG_SDK_FRAMEWORK"))
			}
		})
	}
}
