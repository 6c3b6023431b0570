package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestExportMatchesTerraform compares the export with what a Terraform CLI
// exports for the same provider build: TF_NEWEST_CLI when set, else
// TF_ACC_TERRAFORM_PATH. Every section the CLI writes must be equal; a CLI
// older than 1.14 (1.12) leaves out the list resource (identity) schemas,
// the only sections the export may have on top.
func TestExportMatchesTerraform(t *testing.T) {
	cli := os.Getenv("TF_NEWEST_CLI")
	if cli == "" {
		cli = os.Getenv("TF_ACC_TERRAFORM_PATH")
	}
	if cli == "" {
		t.Skip("set TF_NEWEST_CLI or TF_ACC_TERRAFORM_PATH to compare with a Terraform CLI's export")
	}
	const key = "registry.terraform.io/hashicorp/alicloud"
	dir := t.TempDir()
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	// The provider built from this tree, under key, through a dev_overrides
	// CLI configuration.
	var stderr strings.Builder
	devProvider := exec.Command(filepath.Join(root, "internal", "tools", "dev-provider.sh"), dir, key)
	devProvider.Stderr = &stderr
	out, err := devProvider.Output()
	if err != nil {
		t.Fatalf("dev-provider.sh: %v\n%s", err, stderr.String())
	}
	rc := strings.TrimSuffix(string(out), "\n")
	write(t, filepath.Join(dir, "main.tf"), "provider \"alicloud\" {}\n")
	cmd := exec.Command(cli, "providers", "schema", "-json")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	fromCLI, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s providers schema -json: %v", cli, err)
	}
	mine, err := export(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}

	var want, got map[string]any
	if err := json.Unmarshal(fromCLI, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(mine, &got); err != nil {
		t.Fatal(err)
	}
	wantP := want["provider_schemas"].(map[string]any)[key].(map[string]any)
	gotP := got["provider_schemas"].(map[string]any)[key].(map[string]any)
	for section, w := range wantP {
		if !reflect.DeepEqual(gotP[section], w) {
			t.Errorf("section %s differs from %s's export", section, cli)
		}
	}
	for section := range gotP {
		if _, ok := wantP[section]; !ok {
			switch section {
			case "list_resource_schemas", "resource_identity_schemas":
				t.Logf("%s does not export %s; not compared", cli, section)
			default:
				t.Errorf("section %s is not in %s's export", section, cli)
			}
		}
	}
	if want["format_version"] != got["format_version"] {
		t.Errorf("format_version %v, %s writes %v", got["format_version"], cli, want["format_version"])
	}
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
