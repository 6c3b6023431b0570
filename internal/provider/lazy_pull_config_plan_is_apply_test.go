package provider

// Every plan is what its apply does, with the configurations and commands
// people use every day: values known only at apply, -replace, taint, a
// renamed for_each key, a shifted count list, moved and removed blocks,
// -target, -refresh-only, a change of timeouts only, the plans Terraform
// makes again during apply, and the errors of imports.

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// lazyPullBlock renders alicloud_live_lazy_pull_config.<name> with body
// lines as they are, for configurations that the attribute map of
// namedResourceBlock cannot express (count, for_each, references).
func lazyPullBlock(name string, lines ...string) string {
	return fmt.Sprintf("resource \"alicloud_live_lazy_pull_config\" %q {\n  %s\n}\n", name, strings.Join(lines, "\n  "))
}

// tellsApplyTimePlansApart reports whether the CLI's plans during apply
// differ from its plans: Terraform 1.9 and later allow deferrals in them.
// OpenTofu and older Terraform versions do not.
func tellsApplyTimePlansApart() bool {
	if out, err := exec.Command(terraformPath(), "version").Output(); err != nil || strings.Contains(string(out), "OpenTofu") {
		return false
	}
	out, err := exec.Command(terraformPath(), "version", "-json").Output()
	if err != nil || !strings.Contains(string(out), "{") {
		return false
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if json.Unmarshal(out[strings.Index(string(out), "{"):], &v) != nil {
		return false
	}
	have, err := version.NewVersion(v.Version)
	return err == nil && !have.LessThan(version.Must(version.NewVersion("1.9.0")))
}

// without fails the test when out holds any of the phrases.
func without(t *testing.T, what, out string, phrases ...string) {
	t.Helper()
	for _, p := range phrases {
		if strings.Contains(out, p) {
			t.Errorf("%s says %q:\n%s", what, p, out)
		}
	}
}

// calls returns the mock's Set and Delete counts since the last reset, and
// resets them.
func calls(mock *livemock.Server) (sets, deletes int) {
	sets, deletes = mock.Calls(lazypull.ActionSet), mock.Calls(lazypull.ActionDelete)
	mock.ResetRequests()
	return sets, deletes
}

// adoptionWords are what the provider says when a create meets a
// configuration on the service that it did not write.
var adoptionWords = []string{"Apply Will Adopt", "Adopted an Existing", "Two Resources Manage", "Already Exists", "Left in Place"}

// TestAccLazyPullConfig_valuesKnownAtApply: pull_app_name and pull_args
// fed from terraform_data, whose output is known only at apply and turns
// out null, "" or a value. Whenever the value may unset an attribute the
// API cannot unset in place, the plan replaces, and apply does what the
// plan showed (no "inconsistent final plan"); the next plan is empty.
func TestAccLazyPullConfig_valuesKnownAtApply(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it counts writes")
	base := []string{
		fmt.Sprintf("domain_name = %q", m.domain), fmt.Sprintf("app_name = %q", m.app("live_app")),
		`pull_domain_name = "origin1.example.net"`, `pull_protocol = "rtmp"`,
	}
	// step renders the configuration with pull_app_name and pull_args set
	// to the expressions given, and terraform_data.<step> from input.
	step := func(name, input, appName, args string) map[string]string {
		lines := append([]string{}, base...)
		if appName != "" {
			lines = append(lines, "pull_app_name = "+appName)
		}
		if args != "" {
			lines = append(lines, "pull_args = "+args)
		}
		data := ""
		if name != "" {
			data = fmt.Sprintf("resource \"terraform_data\" %q {\n  input = %s\n}\n", name, input)
		}
		return map[string]string{"main.tf": terraformBlock + m.providerBlock("") + data + lazyPullBlock("test", lines...)}
	}
	c := newCLI(t, step("", "", `"originapp"`, `"a=1"`))
	c.apply()
	cases := []struct {
		name, input, appName, args string
		replace                    bool
		want                       livemock.Config
	}{
		// terraform_data plans a null input's output as null: the
		// condition on its id is what stays unknown until apply.
		{"app_null", `"x"`, `terraform_data.app_null.id == "" ? terraform_data.app_null.output : null`, `"a=1"`, true, livemock.Config{PullArgs: "a=1"}},
		{"app_back", "", `"originapp"`, `"a=1"`, false, livemock.Config{PullAppName: "originapp", PullArgs: "a=1"}},
		{"args_empty", `""`, `"originapp"`, "terraform_data.args_empty.output", true, livemock.Config{PullAppName: "originapp"}},
		{"args_back", "", `"originapp"`, `"a=1"`, false, livemock.Config{PullAppName: "originapp", PullArgs: "a=1"}},
		{"both_values", `"v2"`, "terraform_data.both_values.output", `"b=${terraform_data.both_values.output}"`, true, livemock.Config{PullAppName: "v2", PullArgs: "b=v2"}},
	}
	for _, s := range cases {
		name := s.name
		if s.input == "" {
			name = ""
		}
		c.write(step(name, s.input, s.appName, s.args))
		plan := c.must("plan", "-input=false", "-no-color")
		if replaces := strings.Contains(plan, "must be replaced"); replaces != s.replace {
			t.Fatalf("%s: the plan replaces: %v, want %v:\n%s", s.name, replaces, s.replace, plan)
		}
		out := c.apply()
		without(t, s.name+" apply", out, "inconsistent final plan")
		want := s.want
		want.DomainName, want.AppName, want.PullDomainName, want.PullProtocol, want.TranscodeLazy = m.domain, m.app("live_app"), "origin1.example.net", "rtmp", "no"
		if got, ok := mock.Config(m.domain, m.app("live_app")); !ok || got != want {
			t.Fatalf("%s: the service holds %+v (%v), want %+v", s.name, got, ok, want)
		}
		c.expectNoChanges()
	}
}

// TestAccLazyPullConfig_replaceFlag: terraform apply -replace recreates
// the configuration (one Delete, one Set), with no claim of two resources
// and no adoption, alone and with a change of pull_domain_name.
func TestAccLazyPullConfig_replaceFlag(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it counts writes")
	files := func(origin string) map[string]string {
		return map[string]string{"main.tf": terraformBlock + m.providerBlock("") + resourceBlock(with(basicAttrs(m), "pull_domain_name", q(origin)))}
	}
	c := newCLI(t, files("origin1.example.net"))
	c.apply()
	for _, origin := range []string{"origin1.example.net", "origin2.example.net"} {
		c.write(files(origin))
		calls(mock)
		out := c.apply("-replace=" + res)
		without(t, "apply -replace", out, adoptionWords...)
		if !strings.Contains(out, "1 added, 0 changed, 1 destroyed") {
			t.Fatalf("apply -replace:\n%s", out)
		}
		if sets, deletes := calls(mock); sets != 1 || deletes != 1 {
			t.Errorf("apply -replace with %s: %d Set and %d Delete calls, want 1 and 1", origin, sets, deletes)
		}
		if got, _ := mock.Config(m.domain, m.app("live_app")); got.PullDomainName != origin {
			t.Errorf("the service holds %+v, want pull_domain_name %q", got, origin)
		}
		c.expectNoChanges()
	}
}

// TestAccLazyPullConfig_taint: a tainted resource is planned and applied
// as the replacement it is, with no warning that apply adopts the
// configuration it destroys and creates again; also when domain_name is
// spelled in a case other than the one a service stores.
func TestAccLazyPullConfig_taint(t *testing.T) {
	t.Parallel()
	preCheck(t)
	for name, service := range map[string]struct {
		new         func(*testing.T) *testService
		domainCased bool
	}{
		"as written": {newService, false},
		"domain in another case, service stores lower case": {func(t *testing.T) *testService {
			return newServiceBehaving(t, livemock.Behavior{StoredForm: livemock.StoredLowerCase})
		}, true},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := service.new(t)
			mock := m.requireMock(t, "it counts writes")
			attrs := basicAttrs(m)
			if service.domainCased {
				attrs["domain_name"] = q(strings.ToUpper(m.domain[:1]) + m.domain[1:])
			}
			c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("") + resourceBlock(attrs)})
			c.apply()
			c.must("taint", "-no-color", res)
			plan := c.must("plan", "-input=false", "-no-color", "-out=tainted.tfplan")
			without(t, "the plan of a tainted resource", plan, adoptionWords...)
			if !regexp.MustCompile(`is tainted, so (it )?must be replaced`).MatchString(plan) {
				t.Fatalf("plan:\n%s", plan)
			}
			calls(mock)
			out := c.must("apply", "-input=false", "-no-color", "tainted.tfplan")
			without(t, "the apply of a tainted resource", out, adoptionWords...)
			if sets, deletes := calls(mock); sets != 1 || deletes != 1 {
				t.Errorf("%d Set and %d Delete calls, want 1 and 1", sets, deletes)
			}
			c.expectNoChanges()
		})
	}
}

// TestAccLazyPullConfig_renamedKey: a for_each key renamed with no other
// change keeps the configuration; renamed while its value changes, the
// plan cannot order the old key's destroy before the new key's create, so
// it refuses before writing anything and names the moved block that makes
// it an update; with that block it is one write.
func TestAccLazyPullConfig_renamedKey(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it counts writes")
	files := func(key, origin, extra string) map[string]string {
		return map[string]string{"main.tf": terraformBlock + m.providerBlock("") + extra + lazyPullBlock("keyed",
			fmt.Sprintf("for_each = { %s = %q }", key, origin),
			fmt.Sprintf("domain_name = %q", m.domain), fmt.Sprintf("app_name = %q", m.app("live_app")),
			"pull_domain_name = each.value", `pull_protocol = "rtmp"`)}
	}
	c := newCLI(t, files("old", "one.example.net", ""))
	c.apply()

	// Renamed, nothing else changed.
	c.write(files("mid", "one.example.net", ""))
	calls(mock)
	c.apply()
	if got, ok := mock.Config(m.domain, m.app("live_app")); !ok || got.PullDomainName != "one.example.net" {
		t.Fatalf("after renaming the key the service holds %+v (%v)", got, ok)
	}
	c.expectNoChanges()

	// Renamed while the value changes.
	c.write(files("new", "two.example.net", ""))
	calls(mock)
	out, code := c.run("plan", "-input=false", "-no-color")
	if code == 0 || !regexp.MustCompile(`(?s)Lazy-Pull Configuration Already Exists.*add\s+a\s+moved\s+block.*moved\s+\{\s+from = <old resource address>`).MatchString(out) {
		t.Fatalf("the plan of a renamed key with a change (exit %d) does not name the moved block:\n%s", code, out)
	}
	without(t, "the refusal", out, "create_before_destroy")
	if sets, deletes := calls(mock); sets+deletes != 0 {
		t.Fatalf("the refused plan wrote: %d Set and %d Delete calls", sets, deletes)
	}
	c.write(files("new", "two.example.net", "moved {\n  from = alicloud_live_lazy_pull_config.keyed[\"mid\"]\n  to   = alicloud_live_lazy_pull_config.keyed[\"new\"]\n}\n"))
	c.apply()
	if sets, deletes := calls(mock); sets != 1 || deletes != 0 {
		t.Errorf("with a moved block: %d Set and %d Delete calls, want 1 and 0", sets, deletes)
	}
	c.expectNoChanges()
}

// TestAccLazyPullConfig_timeoutsOnly: a change of timeouts alone saves the
// new state and writes nothing.
func TestAccLazyPullConfig_timeoutsOnly(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it counts writes")
	files := func(timeout string) map[string]string {
		return map[string]string{"main.tf": terraformBlock + m.providerBlock("") + resourceBlock(with(basicAttrs(m), "timeouts", timeout))}
	}
	c := newCLI(t, files(`update = "5m"`))
	c.apply()
	c.write(files(`update = "7m"`))
	calls(mock)
	if out := c.apply(); !strings.Contains(out, "0 added, 1 changed, 0 destroyed") {
		t.Fatalf("apply:\n%s", out)
	}
	if sets, deletes := calls(mock); sets != 0 || deletes != 0 {
		t.Errorf("a change of timeouts only: %d Set and %d Delete calls, want none", sets, deletes)
	}
	c.expectNoChanges()
}

// TestAccLazyPullConfig_moveChecksTheNewKey: moving a configuration whose
// pull_args is unset to an application that the service already holds
// identically (pull_args aside) warns that apply adopts it, rather than
// reporting the old object's pull_args as a difference.
func TestAccLazyPullConfig_moveChecksTheNewKey(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it puts configurations out of band")
	files := func(app string) map[string]string {
		return map[string]string{"main.tf": terraformBlock + m.providerBlock("") + resourceBlock(with(basicAttrs(m), "app_name", q(app)))}
	}
	c := newCLI(t, files("first"))
	c.apply()
	held, _ := mock.Config(m.domain, "first")
	held.PullArgs = "k=v"
	mock.PutConfig(held)
	c.apply() // refresh records pull_args
	other := held
	other.AppName, other.PullArgs = "second", ""
	mock.PutConfig(other)
	c.write(files("second"))
	out := c.must("plan", "-input=false", "-no-color")
	if !strings.Contains(out, "Apply Will Adopt an Existing Lazy-Pull Configuration") {
		t.Fatalf("the plan does not say it adopts the identical configuration:\n%s", out)
	}
	without(t, "the plan", out, "the service holds")
}

// TestAccLazyPullConfig_applyTimePlansQuiet: the warnings of a plan are
// not repeated by the plan Terraform makes again during apply; apply says
// what it did. Terraform tells its apply-time plans apart from 1.9 on (it
// allows deferrals there); OpenTofu and older versions do not, and repeat
// the plan's warning of an adoption.
func TestAccLazyPullConfig_applyTimePlansQuiet(t *testing.T) {
	t.Parallel()
	preCheck(t)
	if !tellsApplyTimePlansApart() {
		t.Skip("the CLI plans again during apply as it plans, so the provider cannot tell the two apart")
	}
	m := newService(t)
	mock := m.requireMock(t, "it puts a configuration out of band")
	mock.PutConfig(livemock.Config{DomainName: m.domain, AppName: "live_app", PullDomainName: basicWant.PullDomainName, PullProtocol: basicWant.PullProtocol, TranscodeLazy: "no"})
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("") + resourceBlock(basicAttrs(m))})
	c.requireVersion("1.9.0")
	plan := c.must("plan", "-input=false", "-no-color", "-out=adopt.tfplan")
	if !strings.Contains(plan, "Apply Will Adopt an Existing Lazy-Pull Configuration") {
		t.Fatalf("plan:\n%s", plan)
	}
	out := c.must("apply", "-input=false", "-no-color", "adopt.tfplan")
	if !strings.Contains(out, "Adopted an Existing Lazy-Pull Configuration") {
		t.Fatalf("apply does not say it adopted the configuration:\n%s", out)
	}
	without(t, "apply", out, "Apply Will Adopt")
	c.expectNoChanges()
}

// TestAccLazyPullConfig_importCauses: importing from a domain that is not
// in the account names the API's code and RequestId.
func TestAccLazyPullConfig_importCauses(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	files := func(imp string) map[string]string {
		return map[string]string{"main.tf": terraformBlock + m.providerBlock("") + imp + resourceBlock(basicAttrs(m))}
	}
	c := newCLI(t, files(fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", res, "missing.example.com:"+m.app("live_app"))))
	out, code := c.run("plan", "-input=false", "-no-color")
	if code == 0 || !regexp.MustCompile(`(?s)Cannot Import Lazy-Pull Configuration.*not in this Alibaba Cloud account.*InvalidDomain\.NotFound.*RequestId:\s+\S+`).MatchString(out) {
		t.Fatalf("import from a domain not in the account (exit %d):\n%s", code, out)
	}
	without(t, "the import error", out, "non-existent remote object")
}

// TestAccLazyPullConfig_importIdentityError: an invalid identity in an
// import block is called an identity and shown in identity form, not as
// the string ID.
func TestAccLazyPullConfig_importIdentityError(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("") + resourceBlock(basicAttrs(m))})
	c.requireVersion("1.12.0")
	c.write(map[string]string{"import.tf": fmt.Sprintf("import {\n  to = %s\n  identity = {\n    domain_name = %q\n    app_name    = \"no/slash\"\n  }\n}\n", res, m.domain)})
	out, code := c.run("plan", "-input=false", "-no-color")
	if code == 0 || !regexp.MustCompile(`(?s)Invalid Import Identity.*identity = \{`).MatchString(out) {
		t.Fatalf("import of an invalid identity (exit %d):\n%s", code, out)
	}
	without(t, "the identity import error", out, "Unexpected Format of ID", "<domain_name>:<app_name>")
}

// TestAccLazyPullConfig_everydayCommands: what people do every day plans
// and applies as it should, with the writes it needs and no more: a
// shifted count list, count to for_each with moved blocks, a resource
// renamed with a moved block, -target, -refresh-only, removed with
// destroy = false and an import block to take it back.
func TestAccLazyPullConfig_everydayCommands(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it counts writes")
	c := newCLI(t, nil)
	c.requireVersion("1.7.0") // removed blocks
	main := func(body string) {
		t.Helper()
		c.write(map[string]string{"main.tf": terraformBlock + m.providerBlock("") + body})
	}
	apps := func(names ...string) string {
		var b strings.Builder
		for _, n := range names {
			fmt.Fprintf(&b, "{ app = %q, origin = %q },", n, n+".example.net")
		}
		return fmt.Sprintf("locals {\n  apps = [%s]\n}\n", b.String())
	}
	counted := lazyPullBlock("counted", "count = length(local.apps)", fmt.Sprintf("domain_name = %q", m.domain),
		"app_name = local.apps[count.index].app", "pull_domain_name = local.apps[count.index].origin", `pull_protocol = "rtmp"`)
	holds := func(step string, names ...string) {
		t.Helper()
		want := map[string]livemock.Config{}
		for _, n := range names {
			want[lazypull.ID(m.domain, n)] = livemock.Config{DomainName: m.domain, AppName: n, PullDomainName: n + ".example.net", PullProtocol: "rtmp", TranscodeLazy: "no"}
		}
		if err := checkMockHolds(m, want); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	writes := func(step string, wantSets, wantDeletes int) {
		t.Helper()
		if sets, deletes := calls(mock); sets != wantSets || deletes != wantDeletes {
			t.Errorf("%s: %d Set and %d Delete calls, want %d and %d", step, sets, deletes, wantSets, wantDeletes)
		}
	}

	main(apps("a", "b", "c") + counted)
	c.apply()
	holds("create", "a", "b", "c")
	calls(mock)

	// A shifted count list: every instance takes the next one's values.
	main(apps("b", "c") + counted)
	out := c.apply()
	without(t, "the shifted list", out, "Already Exists", "Two Resources Manage")
	holds("shifted list", "b", "c")
	c.expectNoChanges()
	calls(mock)

	// count to for_each, with moved blocks: no write.
	keyed := lazyPullBlock("keyed", "for_each = { for a in local.apps : a.app => a }", fmt.Sprintf("domain_name = %q", m.domain),
		"app_name = each.value.app", "pull_domain_name = each.value.origin", `pull_protocol = "rtmp"`)
	main(apps("b", "c") + keyed + "moved {\n  from = alicloud_live_lazy_pull_config.counted[0]\n  to   = alicloud_live_lazy_pull_config.keyed[\"b\"]\n}\n" +
		"moved {\n  from = alicloud_live_lazy_pull_config.counted[1]\n  to   = alicloud_live_lazy_pull_config.keyed[\"c\"]\n}\n")
	out = c.apply()
	without(t, "count to for_each", out, adoptionWords...)
	writes("count to for_each with moved blocks", 0, 0)
	holds("count to for_each", "b", "c")

	// A resource renamed with a moved block: no write.
	renamed := strings.Replace(keyed, `"keyed"`, `"renamed"`, 1)
	main(apps("b", "c") + renamed + "moved {\n  from = alicloud_live_lazy_pull_config.keyed\n  to   = alicloud_live_lazy_pull_config.renamed\n}\n")
	c.apply()
	writes("a moved resource", 0, 0)
	c.expectNoChanges()

	// -target: only the targeted change is made.
	changed := strings.Replace(renamed, "pull_protocol = \"rtmp\"", "pull_protocol = each.key == \"b\" ? \"hls\" : \"httpflv\"", 1)
	main(apps("b", "c") + changed)
	c.apply(`-target=alicloud_live_lazy_pull_config.renamed["b"]`)
	writes("-target", 1, 0)
	if got, _ := mock.Config(m.domain, "c"); got.PullProtocol != "rtmp" {
		t.Errorf("-target changed the configuration it did not target: %+v", got)
	}
	c.apply()
	calls(mock)

	// -refresh-only records a change made out of band, and writes nothing.
	held, _ := mock.Config(m.domain, "b")
	held.PullArgs = "k=v"
	mock.PutConfig(held)
	c.apply("-refresh-only")
	writes("-refresh-only", 0, 0)
	c.expectNoChanges()

	// removed with destroy = false leaves the configuration on the
	// service; an import block takes it back, with no write.
	main(apps("b", "c") + "removed {\n  from = alicloud_live_lazy_pull_config.renamed\n  lifecycle {\n    destroy = false\n  }\n}\n")
	c.apply()
	writes("removed with destroy = false", 0, 0)
	if err := checkMockHolds(m, map[string]livemock.Config{}); err == nil {
		t.Fatal("removed with destroy = false deleted the configurations")
	}
	imports := ""
	for _, app := range []string{"b", "c"} {
		imports += fmt.Sprintf("import {\n  to = alicloud_live_lazy_pull_config.renamed[%q]\n  id = %q\n}\n", app, lazypull.ID(m.domain, app))
	}
	main(apps("b", "c") + changed + imports)
	out = c.apply()
	without(t, "the import", out, adoptionWords...)
	writes("import", 0, 0)
	c.expectNoChanges()
}

// TestAccLazyPullConfig_unknownKeysForEach: domain_name and
// pull_domain_name known only at apply, over for_each, plan and apply as
// creates, and the next plan is empty.
func TestAccLazyPullConfig_unknownKeysForEach(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	domain2 := m.requireDomain2(t)
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("") + fmt.Sprintf(`
resource "terraform_data" "where" {
  for_each = { one = %q, two = %q }
  input    = each.value
}
`, m.domain, domain2) + lazyPullBlock("keyed", "for_each = terraform_data.where",
		"domain_name = each.value.output", fmt.Sprintf(`app_name = { one = %q, two = %q }[each.key]`, m.app("app_one"), m.app("app_two")),
		`pull_domain_name = "${each.key}.example.net"`, `pull_protocol = "rtmp"`)})
	out := c.apply()
	if !strings.Contains(out, "4 added, 0 changed, 0 destroyed") {
		t.Fatalf("apply:\n%s", out)
	}
	without(t, "apply", out, adoptionWords...)
	for key, domain := range map[string]string{"one": m.domain, "two": domain2} {
		app := m.app("app_" + key)
		if _, ok, err := m.awaitConfig(domain, app, func(_ livemock.Config, ok bool) bool { return ok }); !ok || err != nil {
			t.Errorf("the service has no configuration for %s (%v)", lazypull.ID(domain, app), err)
		}
	}
	c.expectNoChanges()
	c.must("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := m.checkEmpty(nil); err != nil {
		t.Error(err)
	}
}

// TestAccLazyPullConfig_secondResourceForManagedConfiguration: a new
// resource for a configuration that another resource of the state manages
// is refused at plan, however the two plans interleave, and nothing is
// written.
func TestAccLazyPullConfig_secondResourceForManagedConfiguration(t *testing.T) {
	t.Parallel()
	preCheck(t)
	m := newService(t)
	mock := m.requireMock(t, "it counts writes")
	c := newCLI(t, map[string]string{"main.tf": terraformBlock + m.providerBlock("") + namedResourceBlock("one", basicAttrs(m))})
	c.apply()
	c.write(map[string]string{"main.tf": terraformBlock + m.providerBlock("") + namedResourceBlock("one", basicAttrs(m)) + namedResourceBlock("two", basicAttrs(m))})
	calls(mock)
	for i := 0; i < 3; i++ {
		out, code := c.run("apply", "-auto-approve", "-input=false", "-no-color")
		if code == 0 || !strings.Contains(out, "Two Resources Manage One Lazy-Pull Configuration") {
			t.Fatalf("a second resource for a managed configuration (exit %d):\n%s", code, out)
		}
	}
	if sets, deletes := calls(mock); sets+deletes != 0 {
		t.Errorf("the refused plans wrote: %d Set and %d Delete calls", sets, deletes)
	}
}

// TestModifyPlanAtApplyIsQuiet: the plan Terraform makes again during
// apply (deferrals allowed) neither calls the API nor repeats the plan's
// warnings, and still claims the configuration.
func TestModifyPlanAtApplyIsQuiet(t *testing.T) {
	m := newService(t)
	mock := m.requireMock(t, "it counts calls")
	mock.PutConfig(livemock.Config{DomainName: testDomain, AppName: lazypull.AllApps, PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	data := &providerData{client: m.apiClient(t), claimed: map[string]bool{}}
	p := newPlanner(t, data)
	plan := planValue(t, p.s.Schema, map[string]tftypes.Value{
		"domain_name":      tftypes.NewValue(tftypes.String, testDomain),
		"app_name":         tftypes.NewValue(tftypes.String, lazypull.AllApps),
		"pull_domain_name": tftypes.NewValue(tftypes.String, "o.example.net"),
		"pull_protocol":    tftypes.NewValue(tftypes.String, "rtmp"),
		"transcode_lazy":   tftypes.NewValue(tftypes.Bool, false),
		"pull_args":        tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"id":               tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	})
	req := fwresource.ModifyPlanRequest{
		Plan:               tfsdk.Plan{Schema: p.s.Schema, Raw: plan},
		State:              tfsdk.State{Schema: p.s.Schema, Raw: p.null},
		ClientCapabilities: fwresource.ModifyPlanClientCapabilities{DeferralAllowed: true},
	}
	resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
	p.r.ModifyPlan(context.Background(), req, &resp)
	if len(resp.Diagnostics) != 0 {
		t.Errorf("the apply-time plan said:\n%s", diagText(resp))
	}
	if n := mock.TotalCalls(); n != 0 {
		t.Errorf("the apply-time plan made %d calls", n)
	}
	if data.claim(lazypull.ID(testDomain, lazypull.AllApps)) {
		t.Error("the apply-time plan did not claim the configuration")
	}
	// The same plan outside apply warns twice: the wildcard, and adoption.
	p = newPlanner(t, &providerData{client: m.apiClient(t), claimed: map[string]bool{}})
	req.ClientCapabilities.DeferralAllowed = false
	resp = fwresource.ModifyPlanResponse{Plan: req.Plan}
	p.r.ModifyPlan(context.Background(), req, &resp)
	if resp.Diagnostics.WarningsCount() != 2 {
		t.Errorf("the plan outside apply said:\n%s", diagText(resp))
	}
}
