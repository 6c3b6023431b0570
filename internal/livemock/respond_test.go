// Tests of the answers' encoding: JSON and XML bodies, error bodies, and
// request IDs.

package livemock

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

var requestIDRE = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

func decodeXML(t *testing.T, raw string) xmlDoc {
	t.Helper()
	var d xmlDoc
	if err := xml.Unmarshal([]byte(raw), &d); err != nil {
		t.Fatalf("bad XML %q: %v", raw, err)
	}
	return d
}

func TestFormats(t *testing.T) {
	h := newHarness(t, nil)
	h.mock.PutConfig(Config{DomainName: "live.example.com", AppName: "a", PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})

	for _, format := range []string{"", "XML", "xml", "json", "JSON"} {
		t.Run("format="+format, func(t *testing.T) {
			h.t = t
			p := h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "live.example.com"})
			if format == "" {
				delete(p, "Format")
			} else {
				p["Format"] = format
			}
			ok := h.send(http.MethodPost, p, testSecret)
			p = h.params(lazypull.ActionDescribe, map[string]string{"DomainName": "nope.example.com", "Format": p["Format"]})
			if format == "" {
				delete(p, "Format")
			}
			bad := h.send(http.MethodPost, p, testSecret)
			if ok.Status != 200 || bad.Status != 404 {
				t.Fatalf("statuses %d %d", ok.Status, bad.Status)
			}
			if strings.EqualFold(format, "json") {
				if ct := ok.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Fatalf("content type %q", ct)
				}
				if !requestIDRE.MatchString(ok.Body["RequestId"].(string)) {
					t.Fatalf("request id %v", ok.Body["RequestId"])
				}
				if l := describeList(t, ok); len(l) != 1 || l[0]["PullProtocol"] != "RTMP" {
					t.Fatalf("body %s", ok.Raw)
				}
				if bad.code() != "InvalidDomain.NotFound" || bad.Body["HostId"] != "live.aliyuncs.com" || bad.Body["Recommend"] == "" {
					t.Fatalf("error body %s", bad.Raw)
				}
				return
			}
			for _, a := range []answer{ok, bad} {
				if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/xml") {
					t.Fatalf("content type %q", ct)
				}
			}
			d := decodeXML(t, ok.Raw)
			if d.XMLName.Local != lazypull.ActionDescribe+"Response" {
				t.Fatalf("root %q", d.XMLName.Local)
			}
			rid, _ := d.child("RequestId")
			if !requestIDRE.MatchString(rid.Text) {
				t.Fatalf("request id %q", rid.Text)
			}
			list, _ := d.child("LiveLazyPullConfigList")
			cfg, found := list.child("LiveLazyPullConfig")
			proto, _ := cfg.child("PullProtocol")
			if !found || proto.Text != "RTMP" {
				t.Fatalf("xml body %s", ok.Raw)
			}
			e := decodeXML(t, bad.Raw)
			code, _ := e.child("Code")
			host, _ := e.child("HostId")
			msg, _ := e.child("Message")
			if e.XMLName.Local != "Error" || code.Text != "InvalidDomain.NotFound" || host.Text != "live.aliyuncs.com" || msg.Text == "" {
				t.Fatalf("xml error %s", bad.Raw)
			}
		})
	}
}

func TestFreshRequestIDs(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := newRequestID()
		if !requestIDRE.MatchString(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
}

func TestSetResponseXML(t *testing.T) {
	h := newHarness(t, nil)
	p := h.params(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp"))
	p["Format"] = "XML"
	a := h.send(http.MethodPost, p, testSecret)
	h.expectOK(a)
	if d := decodeXML(t, a.Raw); d.XMLName.Local != lazypull.ActionSet+"Response" || !strings.HasPrefix(a.Raw, "<?xml") {
		t.Fatalf("body %s", a.Raw)
	}
}
