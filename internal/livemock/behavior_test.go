// Tests of the Behavior switches, each against its default: what a Set
// does with an omitted optional parameter, how a Delete of a missing
// configuration is answered, the order of Describe's list, Describe lagging
// behind the writes; and the named variants and the text forms the flags of
// cmd/livemock use.

package livemock

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func TestOmittedParams(t *testing.T) {
	stored := Config{DomainName: "live.example.com", AppName: "a", PullDomainName: "o.example.net",
		PullAppName: "src", PullProtocol: "rtmp", TranscodeLazy: "yes", PullArgs: "k=v"}
	defaults := map[string]string{"PullAppName": "", "TranscodeLazy": "no", "PullArgs": ""}
	given := map[string]string{"PullAppName": "src2", "TranscodeLazy": "no", "PullArgs": "k=w"}
	field := func(c Config, name string) string {
		return map[string]string{"PullAppName": c.PullAppName, "TranscodeLazy": c.TranscodeLazy, "PullArgs": c.PullArgs}[name]
	}

	for _, mode := range []OmittedParams{OmittedClear, OmittedKeep} {
		for _, omitted := range []string{"PullAppName", "TranscodeLazy", "PullArgs"} {
			for _, how := range []string{"absent", "empty"} {
				t.Run(mode.String()+"/"+omitted+"/"+how, func(t *testing.T) {
					h := newHarness(t, nil, WithBehavior(Behavior{OmittedParams: mode}))
					h.mock.PutConfig(stored)
					p := setParams("live.example.com", "a", "new.example.net", "hls")
					for name, v := range given {
						p[name] = v
					}
					delete(p, omitted)
					if how == "empty" {
						p[omitted] = ""
					}
					h.expectOK(h.call(lazypull.ActionSet, p))

					got, _ := h.mock.Config("live.example.com", "a")
					want := defaults[omitted]
					if mode == OmittedKeep {
						want = field(stored, omitted)
					}
					if field(got, omitted) != want {
						t.Errorf("%s = %q, want %q", omitted, field(got, omitted), want)
					}
					// The parameters the request carries are written in
					// either mode.
					for name, v := range given {
						if name != omitted && field(got, name) != v {
							t.Errorf("%s = %q, want %q as given", name, field(got, name), v)
						}
					}
					if got.PullDomainName != "new.example.net" || got.PullProtocol != "hls" {
						t.Errorf("required parameters not written: %+v", got)
					}
				})
			}
		}
	}

	// A Set on a new (DomainName, AppName) gets the defaults in either mode.
	h := newHarness(t, nil, WithBehavior(Behavior{OmittedParams: OmittedKeep}))
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "fresh", "o.example.net", "rtmp")))
	got, _ := h.mock.Config("live.example.com", "fresh")
	if want := (Config{DomainName: "live.example.com", AppName: "fresh", PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"}); got != want {
		t.Errorf("new configuration %+v, want %+v", got, want)
	}
}

func TestDeleteMissing(t *testing.T) {
	del := func(h *harness, app string) answer {
		return h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": app})
	}

	t.Run("default succeeds", func(t *testing.T) {
		h := newHarness(t, nil)
		h.expectOK(del(h, "missing"))
		h.expectOK(del(h, lazypull.AllApps))
	})

	for _, dm := range []DeleteMissing{{Code: DefaultDeleteMissingCode}, {Code: "InvalidParameter.AppName", Status: 400}} {
		t.Run("fails with "+dm.String(), func(t *testing.T) {
			h := newHarness(t, nil, WithBehavior(Behavior{DeleteMissing: dm}))
			wantStatus := dm.Status
			if wantStatus == 0 {
				wantStatus = http.StatusNotFound
			}
			h.expectError(del(h, "missing"), wantStatus, dm.Code)
			// ali_all_app on a domain without any configuration.
			h.expectError(del(h, lazypull.AllApps), wantStatus, dm.Code)

			// An existing configuration is deleted; a second Delete fails.
			h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp")))
			h.expectOK(del(h, "a"))
			if _, ok := h.mock.Config("live.example.com", "a"); ok {
				t.Fatal("configuration a still present")
			}
			h.expectError(del(h, "a"), wantStatus, dm.Code)

			// ali_all_app succeeds while the domain has a configuration,
			// even without a wildcard entry.
			h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "b", "o.example.net", "rtmp")))
			h.expectOK(del(h, lazypull.AllApps))
			if n := len(h.mock.Configs("live.example.com")); n != 0 {
				t.Fatalf("%d configurations left", n)
			}
		})
	}
}

// describeApps returns the AppNames Describe lists for live.example.com, in
// order.
func describeApps(h *harness) []string {
	h.t.Helper()
	a := h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
	h.expectOK(a)
	var apps []string
	for _, c := range describeList(h.t, a) {
		apps = append(apps, c["AppName"].(string))
	}
	return apps
}

func TestListOrder(t *testing.T) {
	var want []string
	for i := 0; i < 10; i++ {
		want = append(want, "app"+string(rune('a'+i)))
	}
	setUp := func(order ListOrder) *harness {
		h := newHarness(t, nil, WithBehavior(Behavior{ListOrder: order}))
		for _, app := range want {
			h.mock.PutConfig(Config{DomainName: "live.example.com", AppName: app, PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
		}
		return h
	}

	sorted := setUp(ListSorted)
	for i := 0; i < 20; i++ {
		if got := describeApps(sorted); !slices.Equal(got, want) {
			t.Fatalf("sorted call %d: %v", i, got)
		}
	}

	random := setUp(ListRandom)
	orders := map[string]bool{}
	for i := 0; i < 20; i++ {
		got := describeApps(random)
		orders[strings.Join(got, ",")] = true
		if !slices.Equal(slices.Sorted(slices.Values(got)), want) {
			t.Fatalf("random call %d lists %v, want the same configurations as %v", i, got, want)
		}
	}
	if len(orders) < 2 {
		t.Fatalf("20 random-order calls listed the configurations in one order: %v", orders)
	}
}

func TestDescribeLag(t *testing.T) {
	const lag = 2 * time.Second
	clock := newFakeClock()
	h := newHarness(t, clock, WithBehavior(Behavior{DescribeLag: lag}))
	origin := func(app string) string {
		a := h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com", "AppName": app})
		h.expectOK(a)
		if l := describeList(t, a); len(l) == 1 {
			return l[0]["PullDomainName"].(string)
		}
		return ""
	}
	set := func(app, origin string) {
		h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", app, origin, "rtmp")))
	}
	del := func(app string) {
		h.expectOK(h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": app}))
	}

	// A new configuration: invisible until the lag has passed, though the
	// write applied at once.
	set("a", "o1.example.net")
	if _, ok := h.mock.Config("live.example.com", "a"); !ok {
		t.Fatal("the Set did not apply at once")
	}
	if got := describeApps(h); len(got) != 0 {
		t.Fatalf("new configuration visible at once: %v", got)
	}
	clock.Advance(lag - time.Millisecond)
	if got := origin("a"); got != "" {
		t.Fatalf("visible before the lag: %q", got)
	}
	clock.Advance(time.Millisecond)
	if got := origin("a"); got != "o1.example.net" {
		t.Fatalf("after the lag Describe shows %q, want o1.example.net", got)
	}

	// An overwrite: the previous version until the lag has passed.
	set("a", "o2.example.net")
	clock.Advance(time.Second)
	set("a", "o3.example.net")
	if got := origin("a"); got != "o1.example.net" {
		t.Fatalf("during the lag Describe shows %q, want o1.example.net", got)
	}
	clock.Advance(time.Second)
	if got := origin("a"); got != "o2.example.net" {
		t.Fatalf("after the first overwrite's lag Describe shows %q, want o2.example.net", got)
	}
	clock.Advance(time.Second)
	if got := origin("a"); got != "o3.example.net" {
		t.Fatalf("after the second overwrite's lag Describe shows %q, want o3.example.net", got)
	}

	// A Delete: still listed until the lag has passed.
	del("a")
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("the Delete did not apply at once")
	}
	clock.Advance(lag - time.Millisecond)
	if got := origin("a"); got != "o3.example.net" {
		t.Fatalf("deleted configuration gone before the lag: %q", got)
	}
	clock.Advance(time.Millisecond)
	if got := origin("a"); got != "" {
		t.Fatalf("deleted configuration still listed after the lag: %q", got)
	}

	// The ali_all_app Delete of every application.
	set("b", "o.example.net")
	set("c", "o.example.net")
	set(lazypull.AllApps, "o.example.net")
	clock.Advance(lag)
	del(lazypull.AllApps)
	if n := len(h.mock.Configs("live.example.com")); n != 0 {
		t.Fatalf("the ali_all_app Delete left %d configurations", n)
	}
	if got := describeApps(h); !slices.Equal(got, []string{lazypull.AllApps, "b", "c"}) {
		t.Fatalf("during the lag Describe lists %v", got)
	}
	clock.Advance(lag)
	if got := describeApps(h); len(got) != 0 {
		t.Fatalf("after the lag Describe lists %v", got)
	}

	// Out-of-band writes are visible at once; aged versions are pruned.
	h.mock.PutConfig(Config{DomainName: "live.example.com", AppName: "oob", PullDomainName: "p.example.net", PullProtocol: "hls"})
	if got := origin("oob"); got != "p.example.net" {
		t.Fatalf("PutConfig not visible at once: %q", got)
	}
	h.mock.mu.Lock()
	left := len(h.mock.history)
	h.mock.mu.Unlock()
	if left != 0 {
		t.Fatalf("%d keys keep a history after every write aged", left)
	}
}

func TestVariants(t *testing.T) {
	names := VariantNames()
	for _, want := range []string{"default", "keep-omitted", "delete-missing-fails", "random-order", "lagging-describe"} {
		if !slices.Contains(names, want) {
			t.Errorf("variant %q missing from %v", want, names)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("VariantNames not sorted: %v", names)
	}
	for _, n := range names {
		if b, err := ParseVariant(n); err != nil || b != Variants[n] {
			t.Errorf("ParseVariant(%q) = %v, %v", n, b, err)
		}
	}
	if Variants["default"] != (Behavior{}) {
		t.Errorf("the default variant is %v, want the zero Behavior", Variants["default"])
	}
	_, err := ParseVariant("nope")
	if err == nil || !strings.Contains(err.Error(), strings.Join(names, ", ")) {
		t.Errorf("ParseVariant(nope) error %v does not list the variants", err)
	}
}

func TestBehaviorText(t *testing.T) {
	b := Behavior{OmittedParams: OmittedKeep, DeleteMissing: DeleteMissing{Code: "X.NotFound", Status: 400}, ListOrder: ListRandom, DescribeLag: 1500 * time.Millisecond, StoredForm: StoredLowerCase}
	if got, want := b.String(), "omitted=keep delete-missing=X.NotFound:400 order=random describe-lag=1.5s stored-form=lower-case"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got, want := (Behavior{}).String(), "omitted=clear delete-missing=succeed order=sorted describe-lag=0s stored-form=as-sent"; got != want {
		t.Errorf("zero String() = %q, want %q", got, want)
	}

	var dm DeleteMissing
	for in, want := range map[string]DeleteMissing{
		"succeed":        {},
		"X.NotFound":     {Code: "X.NotFound", Status: 404},
		"X.NotFound:400": {Code: "X.NotFound", Status: 400},
	} {
		if err := dm.UnmarshalText([]byte(in)); err != nil || dm != want {
			t.Errorf("DeleteMissing %q = %+v, %v; want %+v", in, dm, err, want)
		}
	}
	for _, bad := range []string{"", ":404", "X:200", "X:abc", "X:404:1", "two words"} {
		if err := dm.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("DeleteMissing %q accepted", bad)
		}
	}
	var o OmittedParams
	if o.UnmarshalText([]byte("keep")) != nil || o != OmittedKeep || o.UnmarshalText([]byte("drop")) == nil {
		t.Error("OmittedParams text form")
	}
	var l ListOrder
	if l.UnmarshalText([]byte("random")) != nil || l != ListRandom || l.UnmarshalText([]byte("shuffled")) == nil {
		t.Error("ListOrder text form")
	}
	for _, f := range []StoredForm{StoredAsSent, StoredLowerCase, StoredFirstOrigin} {
		var got StoredForm
		if err := got.UnmarshalText([]byte(f.String())); err != nil || got != f {
			t.Errorf("StoredForm %q = %v, %v", f, got, err)
		}
	}
	var f StoredForm
	if f.UnmarshalText([]byte("upper-case")) == nil {
		t.Error("StoredForm upper-case accepted")
	}
}

func TestStoredForm(t *testing.T) {
	const sent = "Origin.Example.NET;backup.example.net:1935"
	for _, tc := range []struct {
		form            StoredForm
		domain, origins string
	}{
		{StoredAsSent, "", sent},
		{StoredLowerCase, "live.example.com", "origin.example.net;backup.example.net:1935"},
		{StoredFirstOrigin, "", "Origin.Example.NET"},
	} {
		t.Run(tc.form.String(), func(t *testing.T) {
			h := newHarness(t, nil, WithBehavior(Behavior{StoredForm: tc.form}))
			domain := "live.example.com"
			if tc.domain != "" {
				// A service that lower-cases host names looks domains up
				// in any case.
				domain = "Live.Example.COM"
			}
			h.expectOK(h.call(lazypull.ActionSet, setParams(domain, "a", sent, "rtmp")))
			got := describeList(t, h.call(lazypull.ActionDescribe, map[string]string{"DomainName": domain}))
			if len(got) != 1 || got[0]["PullDomainName"] != tc.origins || got[0]["DomainName"] != "live.example.com" {
				t.Fatalf("Describe = %v, want one configuration of live.example.com with PullDomainName %q", got, tc.origins)
			}
			if c, ok := h.mock.Config("live.example.com", "a"); !ok || c.PullDomainName != tc.origins {
				t.Errorf("Config = %+v, %v; want PullDomainName %q", c, ok, tc.origins)
			}
			h.expectOK(h.call(lazypull.ActionDelete, map[string]string{"DomainName": domain, "AppName": "a"}))
			if c, ok := h.mock.Config("live.example.com", "a"); ok {
				t.Errorf("Delete left %+v", c)
			}
		})
	}
}
