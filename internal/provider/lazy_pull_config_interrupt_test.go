package provider

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// TestAccLazyPullConfig_interruptDuringReadAfterFailedWrite: a create whose
// write loses its answer reads until Describe shows what the write did; on
// a service whose Describe lags a minute that takes until the settle bound
// (30 s) or the create timeout. Interrupted there (Ctrl-C, or a CI job's
// timeout sending SIGINT), terraform apply exits promptly instead of
// reading on.
func TestAccLazyPullConfig_interruptDuringReadAfterFailedWrite(t *testing.T) {
	t.Parallel()
	sameOnEveryVariant(t, "its mock pins its own answers")
	var wrote atomic.Bool
	reading := make(chan struct{})
	var once sync.Once
	watch := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Query().Get("Action") {
			case lazypull.ActionSet:
				wrote.Store(true)
			case lazypull.ActionDescribe:
				if wrote.Load() {
					once.Do(func() { close(reading) })
				}
			}
			h.ServeHTTP(w, r)
		})
	}
	m := newMockService(t, watch, livemock.WithBehavior(livemock.Behavior{DescribeLag: time.Minute}))
	mock := m.requireMock(t, "it needs a lost answer and a lagging Describe")
	mock.InjectDropAfterApply(lazypull.ActionSet, 1)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("  max_retries = 0") + resourceBlock(basicAttrs(m))})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, out := c.command(ctx, "apply", "-auto-approve", "-input=false", "-no-color")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-reading:
	case <-ctx.Done():
		t.Fatalf("the provider never read after its lost write:\n%s", out)
	}
	interrupted := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	took := time.Since(interrupted)
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		t.Fatalf("terraform apply did not fail after the interrupt (%v):\n%s", err, out)
	}
	// Before, the reads went on for the 30 s settle bound on a context
	// that no interrupt canceled.
	if took > 10*time.Second {
		t.Errorf("terraform apply exited %s after the interrupt, want within 10 s:\n%s", took.Round(time.Second), out)
	}
	t.Logf("terraform apply exited %s after the interrupt", took.Round(time.Millisecond))
	if !strings.Contains(out.String(), "Cannot Create Lazy-Pull Configuration") {
		t.Errorf("the apply does not say the create failed:\n%s", out)
	}
}
