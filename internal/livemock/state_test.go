// Tests of the lazy-pull actions with the default behavior: Set's
// validation and upsert, Describe, Delete (ali_all_app included), their
// errors, out-of-band state, the request log and concurrent clients.

package livemock

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

func TestSetLiveLazyPullStreamInfoConfigValidation(t *testing.T) {
	h := newHarness(t, nil)
	full := func(mod func(p map[string]string)) map[string]string {
		p := setParams("live.example.com", "live", "origin.example.net", "rtmp")
		p["PullAppName"] = "src"
		p["TranscodeLazy"] = "yes"
		p["PullArgs"] = "k=v"
		mod(p)
		return p
	}
	cases := []struct {
		name   string
		params map[string]string
		status int
		code   string
	}{
		{"ok rtmp", full(func(p map[string]string) {}), 200, ""},
		{"ok httpflv", full(func(p map[string]string) { p["PullProtocol"] = "httpflv" }), 200, ""},
		{"ok hls no transcode", full(func(p map[string]string) { p["PullProtocol"] = "hls"; p["TranscodeLazy"] = "no" }), 200, ""},
		{"missing domain", full(func(p map[string]string) { delete(p, "DomainName") }), 400, "MissingDomainName"},
		{"empty domain", full(func(p map[string]string) { p["DomainName"] = "" }), 400, "MissingDomainName"},
		{"missing app", full(func(p map[string]string) { delete(p, "AppName") }), 400, "MissingParameter"},
		{"missing pull domain", full(func(p map[string]string) { delete(p, "PullDomainName") }), 400, "MissingParameter"},
		{"missing protocol", full(func(p map[string]string) { delete(p, "PullProtocol") }), 400, "MissingParameter"},
		{"flv is not a protocol", full(func(p map[string]string) { p["PullProtocol"] = "flv" }), 400, "InvalidParameter"},
		{"display form is not accepted", full(func(p map[string]string) { p["PullProtocol"] = "HTTP-FLV" }), 400, "InvalidParameter"},
		{"bad transcode", full(func(p map[string]string) { p["TranscodeLazy"] = "true" }), 400, "InvalidParameter"},
		{"non-live domain", full(func(p map[string]string) { p["DomainName"] = "cdn.example.com" }), 403, "IllegalOperation"},
		{"unknown domain", full(func(p map[string]string) { p["DomainName"] = "nope.example.com" }), 404, "InvalidDomain.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.t = t
			a := h.call(lazypull.ActionSet, tc.params)
			if tc.code == "" {
				h.expectOK(a)
				if a.Body["RequestId"] == "" {
					t.Fatalf("no RequestId: %s", a.Raw)
				}
				return
			}
			h.expectError(a, tc.status, tc.code)
		})
	}
	if n := len(h.mock.AllConfigs()); n != 1 {
		t.Fatalf("want exactly one stored config (upserts), got %d", n)
	}
	got, _ := h.mock.Config("live.example.com", "live")
	want := Config{DomainName: "live.example.com", AppName: "live", PullDomainName: "origin.example.net",
		PullAppName: "src", PullProtocol: "hls", TranscodeLazy: "no", PullArgs: "k=v"}
	if got != want {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
}

func TestUpsertDescribeDelete(t *testing.T) {
	h := newHarness(t, nil)
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "b", "o1.example.net", "rtmp")))
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o2.example.net;o3.example.net", "httpflv")))
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", lazypull.AllApps, "o4.example.net", "hls")))
	h.expectOK(h.call(lazypull.ActionSet, setParams("demo.example.com", "a", "o5.example.net", "rtmp")))

	// Upsert: TranscodeLazy defaults to "no", a second Set overwrites.
	if c, _ := h.mock.Config("live.example.com", "b"); c.TranscodeLazy != "no" {
		t.Fatalf("default TranscodeLazy = %q", c.TranscodeLazy)
	}
	up := setParams("live.example.com", "b", "new.example.net", "hls")
	up["TranscodeLazy"] = "yes"
	h.expectOK(h.call(lazypull.ActionSet, up))
	if c, _ := h.mock.Config("live.example.com", "b"); c.PullDomainName != "new.example.net" || c.PullProtocol != "hls" || c.TranscodeLazy != "yes" {
		t.Fatalf("upsert not applied: %+v", c)
	}

	// Describe without AppName: every config of the domain, sorted, display form.
	a := h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
	h.expectOK(a)
	list := describeList(t, a)
	var apps, protos []string
	for _, c := range list {
		apps = append(apps, c["AppName"].(string))
		protos = append(protos, c["PullProtocol"].(string))
		if c["DomainName"] != "live.example.com" {
			t.Fatalf("wrong domain in %v", c)
		}
		for _, f := range []string{"PullAppName", "TranscodeLazy", "PullArgs", "PullDomainName"} {
			if _, ok := c[f]; !ok {
				t.Fatalf("field %s missing in %v", f, c)
			}
		}
	}
	if !reflect.DeepEqual(apps, []string{"a", lazypull.AllApps, "b"}) || !reflect.DeepEqual(protos, []string{"HTTP-FLV", "HLS", "HLS"}) {
		t.Fatalf("apps %v protos %v", apps, protos)
	}

	// Describe with AppName: exact match only.
	a = h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com", "AppName": "a"})
	h.expectOK(a)
	if l := describeList(t, a); len(l) != 1 || l[0]["PullDomainName"] != "o2.example.net;o3.example.net" {
		t.Fatalf("filtered describe: %s", a.Raw)
	}
	a = h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com", "AppName": "zzz"})
	h.expectOK(a)
	if l := describeList(t, a); len(l) != 0 {
		t.Fatalf("want empty list: %s", a.Raw)
	}

	// Delete a single app; deleting it again still succeeds.
	h.expectOK(h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": "a"}))
	h.expectOK(h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": "a"}))
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("config a still present")
	}
	// ali_all_app removes every config of that domain only.
	h.expectOK(h.call(lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com", "AppName": lazypull.AllApps}))
	if n := len(h.mock.Configs("live.example.com")); n != 0 {
		t.Fatalf("%d configs left on live.example.com", n)
	}
	if n := len(h.mock.Configs("demo.example.com")); n != 1 {
		t.Fatalf("other domain touched: %d", n)
	}
	a = h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
	h.expectOK(a)
	if l := describeList(t, a); len(l) != 0 {
		t.Fatalf("want empty list: %s", a.Raw)
	}
}

func TestDescribeAndDeleteErrors(t *testing.T) {
	h := newHarness(t, nil)
	cases := []struct {
		action string
		params map[string]string
		status int
		code   string
	}{
		{lazypull.ActionDescribe, map[string]string{}, 400, "MissingDomainName"},
		{lazypull.ActionDescribe, map[string]string{"DomainName": "cdn.example.com"}, 403, "IllegalOperation"},
		{lazypull.ActionDescribe, map[string]string{"DomainName": "nope.example.com"}, 404, "InvalidDomain.NotFound"},
		{lazypull.ActionDelete, map[string]string{"AppName": "a"}, 400, "MissingDomainName"},
		{lazypull.ActionDelete, map[string]string{"DomainName": "live.example.com"}, 400, "MissingParameter"},
		{lazypull.ActionDelete, map[string]string{"DomainName": "cdn.example.com", "AppName": "a"}, 403, "IllegalOperation"},
		{lazypull.ActionDelete, map[string]string{"DomainName": "nope.example.com", "AppName": "a"}, 404, "InvalidDomain.NotFound"},
		{"DescribeLiveDomainDetail", map[string]string{"DomainName": "live.example.com"}, 404, "InvalidAction.NotFound"},
	}
	for _, tc := range cases {
		t.Run(tc.action+"/"+tc.code, func(t *testing.T) {
			h.t = t
			h.expectError(h.call(tc.action, tc.params), tc.status, tc.code)
		})
	}
	h.t = t
	p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
	p["Version"] = "2014-11-11"
	h.expectError(h.send(http.MethodPost, p, testSecret), 400, "InvalidVersion")
}

func TestOutOfBandState(t *testing.T) {
	m := New()
	m.PutConfig(Config{DomainName: "d", AppName: "z", PullProtocol: "rtmp"})
	m.PutConfig(Config{DomainName: "d", AppName: "a", PullProtocol: "hls"})
	m.PutConfig(Config{DomainName: "c", AppName: "m", PullProtocol: "hls"})
	all := m.AllConfigs()
	if len(all) != 3 || all[0].DomainName != "c" || all[1].AppName != "a" || all[2].AppName != "z" {
		t.Fatalf("AllConfigs order: %+v", all)
	}
	if cs := m.Configs("d"); len(cs) != 2 || cs[0].AppName != "a" {
		t.Fatalf("Configs: %+v", cs)
	}
	m.RemoveConfig("d", "a")
	if _, ok := m.Config("d", "a"); ok {
		t.Fatal("RemoveConfig failed")
	}
	if m.TotalCalls() != 0 || len(m.Requests()) != 0 {
		t.Fatal("out-of-band calls must not be recorded")
	}
}

func TestRequestLog(t *testing.T) {
	h := newHarness(t, nil)
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp")))
	h.expectError(h.call(lazypull.ActionSet, setParams("cdn.example.com", "a", "o.example.net", "rtmp")), 403, "IllegalOperation")
	h.expectOK(h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"}))

	reqs := h.mock.Requests()
	if len(reqs) != 3 || h.mock.TotalCalls() != 3 || h.mock.Calls(lazypull.ActionSet) != 2 || h.mock.Calls(lazypull.ActionDescribe) != 1 {
		t.Fatalf("counts: %d %d %d %d", len(reqs), h.mock.TotalCalls(), h.mock.Calls(lazypull.ActionSet), h.mock.Calls(lazypull.ActionDescribe))
	}
	if reqs[0].Action != lazypull.ActionSet || reqs[0].Status != 200 || reqs[0].Code != "" || reqs[0].AccessKeyID != testKeyID {
		t.Fatalf("first request: %+v", reqs[0])
	}
	if _, ok := reqs[0].Params["Signature"]; ok {
		t.Fatal("Signature must not be recorded")
	}
	if reqs[0].Params["PullDomainName"] != "o.example.net" || reqs[0].Params["SignatureType"] != "" {
		t.Fatalf("params: %v", reqs[0].Params)
	}
	if reqs[1].Status != 403 || reqs[1].Code != "IllegalOperation" || h.mock.Rejected("IllegalOperation") != 1 {
		t.Fatalf("second request: %+v", reqs[1])
	}
	reqs[0].Params["DomainName"] = "mutated"
	if h.mock.Requests()[0].Params["DomainName"] != "live.example.com" {
		t.Fatal("Requests must return a copy")
	}
	h.mock.ResetRequests()
	if h.mock.TotalCalls() != 0 || len(h.mock.Requests()) != 0 || h.mock.Rejected("IllegalOperation") != 0 || h.mock.Calls(lazypull.ActionSet) != 0 {
		t.Fatal("ResetRequests did not reset")
	}
	if len(h.mock.AllConfigs()) != 1 {
		t.Fatal("ResetRequests must keep state")
	}
}

func TestRequestLogIsBounded(t *testing.T) {
	h := newHarness(t, nil, WithMaxRecordedRequests(3))
	for i := 0; i < 5; i++ {
		h.call(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com", "AppName": string(rune('a' + i))})
	}
	reqs := h.mock.Requests()
	if len(reqs) != 3 || reqs[0].Params["AppName"] != "c" || reqs[2].Params["AppName"] != "e" || h.mock.TotalCalls() != 5 {
		t.Fatalf("bounded log: %d %+v", len(reqs), reqs)
	}
}

func TestConcurrentClients(t *testing.T) {
	h := newHarness(t, nil)
	const clients, per = 30, 5
	errs := make(chan string, clients*per*2)
	done := make(chan struct{})
	for c := 0; c < clients; c++ {
		go func(c int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < per; i++ {
				app := "app" + string(rune('a'+c%26)) + string(rune('0'+i))
				p := h.params(lazypull.ActionSet, setParams("live.example.com", app, "o.example.net", "rtmp"))
				v := SignedValues(http.MethodPost, p, testSecret)
				resp, err := h.ts.Client().Post(h.ts.URL+"/?"+v.Encode(), "application/x-www-form-urlencoded", nil)
				if err != nil {
					errs <- err.Error()
					continue
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- resp.Status
				}
			}
		}(c)
	}
	for c := 0; c < clients; c++ {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if h.mock.Calls(lazypull.ActionSet) != clients*per {
		t.Fatalf("calls = %d", h.mock.Calls(lazypull.ActionSet))
	}
}
