// Tests of InjectServerErrorFor: a fault aimed at one (DomainName, AppName)
// that every other request of the action passes by.

package livemock

import (
	"testing"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// TestInjectServerErrorFor proves a targeted fault hits only the requests of
// its (DomainName, AppName), is passed by every other request of the action,
// and leaves untargeted faults in their FIFO order.
func TestInjectServerErrorFor(t *testing.T) {
	h := newHarness(t, nil)
	h.mock.InjectServerErrorFor(lazypull.ActionSet, "live.example.com", "bad", 2, 502)

	// Other applications and domains are not affected.
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "good", "o.example.net", "rtmp")))
	h.expectOK(h.call(lazypull.ActionSet, setParams("demo.example.com", "bad", "o.example.net", "rtmp")))
	if n := h.mock.PendingFaults(lazypull.ActionSet); n != 2 || h.mock.FaultsServed() != 0 {
		t.Fatalf("pending %d served %d after unmatched requests, want 2 and 0", n, h.mock.FaultsServed())
	}

	for i := 0; i < 2; i++ {
		h.expectError(h.call(lazypull.ActionSet, setParams("live.example.com", "bad", "o.example.net", "rtmp")), 502, "InternalError")
	}
	if _, ok := h.mock.Config("live.example.com", "bad"); ok {
		t.Fatal("a request answered with a fault was applied")
	}
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "bad", "o.example.net", "rtmp")))
	if h.mock.FaultsServed() != 2 || h.mock.PendingFaults(lazypull.ActionSet) != 0 {
		t.Fatalf("served %d pending %d, want 2 and 0", h.mock.FaultsServed(), h.mock.PendingFaults(lazypull.ActionSet))
	}

	// An untargeted fault queued behind a targeted one is served to the next
	// request that the targeted one does not match.
	h.mock.InjectServerErrorFor(lazypull.ActionSet, "", "only_this", 1, 500)
	h.mock.InjectServerError(lazypull.ActionSet, 1, 503)
	h.expectError(h.call(lazypull.ActionSet, setParams("live.example.com", "other", "o.example.net", "rtmp")), 503, "ServiceUnavailable")
	h.expectError(h.call(lazypull.ActionSet, setParams("demo.example.com", "only_this", "o.example.net", "rtmp")), 500, "InternalError")
	h.expectOK(h.call(lazypull.ActionSet, setParams("demo.example.com", "only_this", "o.example.net", "rtmp")))
	if h.mock.PendingFaults(lazypull.ActionSet) != 0 {
		t.Fatalf("%d faults left", h.mock.PendingFaults(lazypull.ActionSet))
	}
}
