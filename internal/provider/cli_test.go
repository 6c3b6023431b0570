package provider

// A Terraform CLI driven directly against this test process's provider,
// for what terraform-plugin-testing cannot do: kill a run half-way, pass
// flags such as -refresh=false, or run terraform query with
// -generate-config-out. The provider is served in this process and
// Terraform reattaches to it, as terraform-plugin-testing does.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/registry"
)

// cli is a working directory and a Terraform CLI whose commands reach the
// provider served by this test process.
type cli struct {
	t   *testing.T
	tf  string
	dir string
	env []string
}

// newCLI serves the provider in this process and returns a CLI in a fresh
// working directory that holds files (name to content). It needs TF_ACC
// and a Terraform CLI, like every acceptance test.
func newCLI(t *testing.T, files map[string]string) *cli {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run with TF_ACC=1")
	}
	tf, err := exec.LookPath(terraformPath())
	if err != nil {
		t.Fatalf("no Terraform CLI (%v): set TF_ACC_TERRAFORM_PATH", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	config := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		err := tf6server.Serve(registry.Address, func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, config, closed), tf6server.WithGoPluginLogger(hclog.NewNullLogger()), tf6server.WithLoggingSink(t))
		if err != nil {
			t.Errorf("serving the provider: %v", err)
		}
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-config:
	case <-time.After(30 * time.Second):
		t.Fatal("the provider server did not start")
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	reattach, err := json.Marshal(map[string]any{registry.Address: map[string]any{
		"Protocol": rc.Protocol, "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": true,
		"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rcFile := filepath.Join(dir, ".terraformrc")
	if err := os.WriteFile(rcFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c := &cli{t: t, tf: tf, dir: filepath.Join(dir, "work"), env: append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+string(reattach), "TF_CLI_CONFIG_FILE="+rcFile,
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_LOG=", "TF_INPUT=0")}
	if err := os.Mkdir(c.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	c.write(files)
	c.must("init", "-input=false", "-no-color")
	return c
}

// terraformPath is the Terraform CLI the acceptance tests run:
// TF_ACC_TERRAFORM_PATH, else terraform on the PATH.
func terraformPath() string {
	if tf := os.Getenv("TF_ACC_TERRAFORM_PATH"); tf != "" {
		return tf
	}
	return "terraform"
}

// skipOnOpenTofu skips a test of what OpenTofu does not have (terraform
// query), whatever its version number says.
func skipOnOpenTofu(t *testing.T) {
	t.Helper()
	if out, err := exec.Command(terraformPath(), "version").Output(); err == nil && strings.Contains(string(out), "OpenTofu") {
		t.Skip("OpenTofu has no terraform query")
	}
}

// terraformBlock pins the provider's full registry address, so that
// Terraform and OpenTofu alike reattach to the test's provider.
const terraformBlock = `
terraform {
  required_providers {
    alicloud = {
      source = "` + registry.Address + `"
    }
  }
}
`

// write adds or replaces files of the working directory.
func (c *cli) write(files map[string]string) {
	c.t.Helper()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(c.dir, name), []byte(content), 0o600); err != nil {
			c.t.Fatal(err)
		}
	}
}

// read returns a file of the working directory.
func (c *cli) read(name string) string {
	c.t.Helper()
	b, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

// command returns the command for args, not started.
func (c *cli) command(ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, c.tf, args...)
	cmd.Dir, cmd.Env = c.dir, c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

// run runs a command and returns its output and exit code.
func (c *cli) run(args ...string) (string, int) {
	c.t.Helper()
	cmd, out := c.command(context.Background(), args...)
	err := cmd.Run()
	code := 0
	if err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
		}
		code = exitErr.ExitCode()
	}
	return out.String(), code
}

// must runs a command that must succeed, and returns its output.
func (c *cli) must(args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// apply runs terraform apply -auto-approve with extra arguments.
func (c *cli) apply(extra ...string) string {
	c.t.Helper()
	return c.must(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, extra...)...)
}

// expectNoChanges runs a plan that must find nothing to do.
func (c *cli) expectNoChanges(extra ...string) {
	c.t.Helper()
	out, code := c.run(append([]string{"plan", "-detailed-exitcode", "-input=false", "-no-color"}, extra...)...)
	if code != 0 {
		c.t.Fatalf("the plan is not empty (exit code %d):\n%s", code, out)
	}
}

// requireVersion skips the test when the CLI is older than min.
func (c *cli) requireVersion(min string) {
	c.t.Helper()
	var v struct {
		Version string `json:"terraform_version"`
	}
	out := c.must("version", "-json")
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &v); err != nil {
		c.t.Fatalf("terraform version -json: %v\n%s", err, out)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		c.t.Fatalf("version %q: %v", v.Version, err)
	}
	if have.LessThan(version.Must(version.NewVersion(min))) {
		c.t.Skipf("needs Terraform %s or later; the CLI is %s", min, v.Version)
	}
}

func (c *cli) String() string { return fmt.Sprintf("%s in %s", c.tf, c.dir) }
