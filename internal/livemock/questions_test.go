package livemock

import (
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// TestQuestions: the mock counts exactly the requests whose answer a
// Behavior decides, and Changes names the behaviors that could have
// answered one of them otherwise.
func TestQuestions(t *testing.T) {
	h := newHarness(t, nil)
	describe := func() {
		h.expectOK(h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"}))
	}
	want := func(step string, q Questions) {
		t.Helper()
		if got := h.mock.Questions(); got != q {
			t.Fatalf("%s: questions %+v, want %+v", step, got, q)
		}
	}

	// Out-of-band changes, a first Set, a list of one: nothing to ask.
	h.mock.PutConfig(Config{DomainName: "demo.example.com", AppName: "x", PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	describe()
	set := setParams("live.example.com", "a", "o.example.net", "rtmp")
	set["PullAppName"] = "src"
	h.expectOK(h.call(lazypull.ActionSet, set))
	want("a first Set", Questions{})
	describe()
	want("a Describe after a write", Questions{ReadsAfterWrite: 1})

	// A Set that repeats every value, then one that leaves out a stored
	// PullAppName.
	h.expectOK(h.call(lazypull.ActionSet, set))
	want("a Set that leaves out nothing stored", Questions{ReadsAfterWrite: 1})
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp")))
	want("a Set that leaves out a stored value", Questions{ReadsAfterWrite: 1, Omitted: 1})

	// A list of two.
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "b", "o.example.net", "rtmp")))
	describe()
	want("a list of two", Questions{ReadsAfterWrite: 2, Omitted: 1, Order: 1})

	// Deletes of something and of nothing.
	h.expectOK(h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": "b"}))
	h.expectOK(h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": "b"}))
	want("a Delete of nothing", Questions{ReadsAfterWrite: 2, Omitted: 1, Order: 1, DeleteMissing: 1})

	// Host names in upper case, and several origins.
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "c", "Origin.example.net;b.example.net", "rtmp")))
	want("a Set of several origins in upper case", Questions{ReadsAfterWrite: 2, Omitted: 1, Order: 1, DeleteMissing: 1, UpperCase: 1, SeveralOrigins: 1})
	// The default mock does not know the domain in upper case: it
	// answers InvalidDomain.NotFound, a lower-casing one lists it.
	h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "Live.example.com"})
	want("a Describe of a domain in upper case", Questions{ReadsAfterWrite: 2, Omitted: 1, Order: 1, DeleteMissing: 1, UpperCase: 2, SeveralOrigins: 1})

	for name, b := range Variants {
		if b.Changes(Questions{}) {
			t.Errorf("%s: changes a run that asked nothing", name)
		}
	}
	for _, c := range []struct {
		q    Questions
		want []string
	}{
		{Questions{Omitted: 1}, []string{"keep-omitted", "all-alternatives"}},
		{Questions{DeleteMissing: 1}, []string{"delete-missing-fails", "all-alternatives"}},
		{Questions{Order: 1}, []string{"random-order", "all-alternatives"}},
		{Questions{ReadsAfterWrite: 1}, []string{"lagging-describe", "all-alternatives"}},
		{Questions{UpperCase: 1}, []string{"lower-case-hosts", "all-alternatives"}},
		{Questions{SeveralOrigins: 1}, nil},
	} {
		for name, b := range Variants {
			changes := false
			for _, w := range c.want {
				changes = changes || w == name
			}
			if got := b.Changes(c.q); got != changes {
				t.Errorf("%s.Changes(%+v) = %t, want %t", name, c.q, got, changes)
			}
		}
	}
	if !(Behavior{DescribeLag: time.Second}).Changes(Questions{}.Add(Questions{ReadsAfterWrite: 1})) {
		t.Error("Add lost a count")
	}
}
