package liveapi

// The SDK's own DEBUG=sdk dump stays silent, proven in a child process.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	sdkutils "github.com/aliyun/alibaba-cloud-sdk-go/sdk/utils"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// Environment of the helper process of TestSDKDebugDumpStaysSilent.
const (
	helperEnv    = "LIVEAPI_SDKQUIET_HELPER"
	helperURLEnv = "LIVEAPI_SDKQUIET_URL"
)

// TestSDKDebugDumpStaysSilent runs real SDK calls with a security token in
// a fresh process started with DEBUG=sdk, the switch that makes the Alibaba
// Cloud SDK print every request URL (SecurityToken included) to standard
// output. The SDK reads the switch while its packages initialize, so only a
// new process can prove that internal/sdkquiet turns it off first.
func TestSDKDebugDumpStaysSilent(t *testing.T) {
	if os.Getenv(helperEnv) != "" {
		t.Skip("running as the helper process")
	}
	for _, tc := range []struct{ debug, kept string }{
		{"sdk", ""},
		{"http,sdk,tls", "http,tls"},
	} {
		t.Run("DEBUG="+tc.debug, func(t *testing.T) {
			m, url := newUnitMock(t, nil)
			m.InjectDelay(lazypull.ActionDelete, 1, 30*time.Second)
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSDKQuietCalls$", "-test.count=1", "-test.v")
			cmd.Env = append(os.Environ(), "DEBUG="+tc.debug, helperEnv+"=1", helperURLEnv+"="+url)
			out, err := cmd.CombinedOutput()
			text := string(out)
			if err != nil {
				t.Fatalf("helper process failed: %v\n%s", err, text)
			}

			// The helper really ran, really called with the token, and its
			// output is really captured.
			for _, want := range []string{
				"HELPER DEBUG=[" + tc.kept + "]",
				"HELPER calls done",
				"CONTROL-DUMP printed by the SDK's own debug printer",
				"--- PASS: TestHelperSDKQuietCalls",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("the helper's output lacks %q:\n%s", want, text)
				}
			}
			sent := 0
			for _, r := range m.Requests() {
				if r.Params["SecurityToken"] == unitToken {
					sent++
				}
			}
			echoed := m.Rejected(CodeSignatureMismatch)
			if sent < 5 || echoed != 1 || m.FaultsServed() != 1 {
				t.Errorf("%d requests carried the token, %d answers echoed the string to sign, %d delays served; want >= 5, 1 and 1", sent, echoed, m.FaultsServed())
			}

			// And the SDK printed nothing of them.
			assertNoSecret(t, "the helper's output", text)
			for _, dump := range []string{"> POST", "> GET", "< HTTP/1.1", "Retry Times", "Client StringToSign", "Server StringToSign", "AccessKeyId=", unitSecret} {
				if strings.Contains(text, dump) {
					t.Errorf("the SDK's debug dump is on: the output contains %q:\n%s", dump, text)
				}
			}
		})
	}
}

// TestHelperSDKQuietCalls is the helper process of
// TestSDKDebugDumpStaysSilent; on its own it does nothing.
func TestHelperSDKQuietCalls(t *testing.T) {
	url := os.Getenv(helperURLEnv)
	if os.Getenv(helperEnv) == "" || url == "" {
		t.Skip("helper process of TestSDKDebugDumpStaysSilent")
	}
	fmt.Printf("HELPER DEBUG=[%s]\n", os.Getenv("DEBUG"))
	ctx := context.Background()

	c := newUnitClient(t, url, nil)
	if err := c.Set(ctx, unitConfig(unitDomain, "app")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Fresh(ctx, unitDomain, "app"); err != nil {
		t.Fatal(err)
	}
	// An error answer, and one whose message carries the string to sign.
	if err := c.Set(ctx, unitConfig(unitCDN, "app")); err == nil {
		t.Fatal("Set on a CDN domain succeeded")
	}
	bad := newUnitClient(t, url, func(o *Options) {
		o.Credentials = staticSource{Credentials{AccessKeyID: unitKey, AccessKeySecret: "wrong-secret-value-5521", SecurityToken: unitToken}}
	})
	if err := bad.Delete(ctx, unitDomain, "app"); err == nil {
		t.Fatal("a wrong secret was accepted")
	}
	// A timed-out attempt (the parent delays the first Delete that passes
	// the signature check), which the SDK would dump with its URL.
	slow := newUnitClient(t, url, func(o *Options) { o.ReadTimeout = 200 * time.Millisecond; o.MaxRetries = -1 })
	if err := slow.Delete(ctx, unitDomain, "app"); err == nil {
		t.Fatal("the delayed Delete did not time out")
	}
	fmt.Println("HELPER calls done")

	// Control: the SDK's debug printer, switched on now, prints to the
	// output the parent captures. (Its packages switched theirs off at
	// initialization, when DEBUG no longer said "sdk".)
	t.Setenv("DEBUG", "sdk")
	sdkutils.Init("sdk")("CONTROL-DUMP printed by the SDK's own debug printer")
}
