package credentials

// credentials-go's own DEBUG=credential dump stays silent, proven in a
// child process: the library reads the switch while it initializes.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const debugHelperEnv = "CREDENTIALS_DEBUG_HELPER"

// TestDebugDumpStaysSilent gets ECS role credentials (a metadata token,
// then the role's secret and token) in a process started with
// DEBUG=credential, which makes credentials-go print its requests'
// headers, and searches the output for every secret handed out.
func TestDebugDumpStaysSilent(t *testing.T) {
	if os.Getenv(debugHelperEnv) != "" {
		t.Skip("running as the helper process")
	}
	w := newWorld(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperDebugCredentials$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "DEBUG=credential,http", debugHelperEnv+"="+w.proxy)
	out, err := cmd.CombinedOutput()
	text := string(out)
	if err != nil {
		t.Fatalf("helper process failed: %v\n%s", err, text)
	}
	if !strings.Contains(text, "HELPER DEBUG=[http] signed with STS.") {
		t.Fatalf("the helper did not get credentials:\n%s", text)
	}
	secrets := w.issuer.Secrets()
	if len(secrets) < 3 {
		t.Fatalf("only %d secrets were handed out", len(secrets))
	}
	for _, s := range secrets {
		if strings.Contains(text, s) {
			t.Errorf("the helper's output holds a secret:\n%s", text)
		}
	}
	if strings.Contains(strings.ToLower(text), "x-aliyun-ecs-metadata-token") {
		t.Errorf("credentials-go's debug dump is on:\n%s", text)
	}
}

// TestHelperDebugCredentials is the helper process of
// TestDebugDumpStaysSilent.
func TestHelperDebugCredentials(t *testing.T) {
	proxy := os.Getenv(debugHelperEnv)
	if proxy == "" {
		t.Skip("only as the helper of TestDebugDumpStaysSilent")
	}
	s := Settings{ECSRoleName: v("ecs-runner"), HTTP: HTTP{Proxy: func(*url.URL) string { return proxy }}}
	cr, err := Resolve(s).Source.Credentials(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("HELPER DEBUG=[%s] signed with %s\n", os.Getenv("DEBUG"), cr.AccessKeyID[:4])
}
