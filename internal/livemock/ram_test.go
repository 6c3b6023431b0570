// Tests of DenyAction and AllowAction: RAM permission denials answered
// after the signature checks, until allowed again.

package livemock

import (
	"testing"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func TestDenyAction(t *testing.T) {
	h := newHarness(t, nil)
	set := func() answer {
		return h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp"))
	}
	h.mock.DenyAction(lazypull.ActionSet, "Forbidden.RAM")
	h.mock.InjectServerError(lazypull.ActionSet, 1, 500)

	for i := 0; i < 2; i++ {
		a := set()
		h.expectError(a, 403, "Forbidden.RAM")
		if a.Body["Message"] != "User not authorized to operate on the specified resource, or this API doesn't support RAM." {
			t.Fatalf("message %q", a.Body["Message"])
		}
	}
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("a denied request was applied")
	}
	// Signature checks come first; other actions are not denied; a denied
	// request leaves queued faults alone.
	p := h.params(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp"))
	h.expectError(h.send("POST", p, "wrong-secret"), 400, "SignatureDoesNotMatch")
	h.expectOK(h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"}))
	if h.mock.PendingFaults(lazypull.ActionSet) != 1 {
		t.Fatal("a denied request consumed a queued fault")
	}

	h.mock.DenyAction(lazypull.ActionSet, "NoPermission")
	a := set()
	h.expectError(a, 403, "NoPermission")
	if a.Body["Message"] != "You are not authorized to do this action. You should be authorized by RAM." {
		t.Fatalf("message %q", a.Body["Message"])
	}

	h.mock.AllowAction(lazypull.ActionSet)
	h.expectError(set(), 500, "InternalError")
	h.expectOK(set())
	if h.mock.Rejected("Forbidden.RAM") != 2 || h.mock.Rejected("NoPermission") != 1 {
		t.Fatalf("rejections %v", h.mock.RejectedByCode())
	}

	// An empty code denies with Forbidden.RAM.
	h.mock.DenyAction(lazypull.ActionDelete, "")
	h.expectError(h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": "a"}), 403, "Forbidden.RAM")
}
