package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

// configSpec describes a benchmark configuration: n lazy-pull
// configurations of kind k spread over domains, their applications named
// after prefix.
type configSpec struct {
	kind          kind
	n             int
	domains       []string
	prefix        string
	endpoint      string
	providerExtra string // provider arguments, each on its own line
	// updated gives every configuration a further origin, so that applying
	// it after the original updates all n in place.
	updated bool
}

// origins is the pull_domain_name of configuration i.
func origins(i int, updated bool) string {
	s := fmt.Sprintf("origin%d.example.net;203.0.113.%d:1935", i%7, 1+i%250)
	if updated {
		s += fmt.Sprintf(";%s%d.example.org", updatedOrigin, i%5)
	}
	return s
}

// updatedOrigin starts the host name of the origin that updated
// configurations add.
const updatedOrigin = "backup"

// writeConfig writes c as dir/main.tf.
func writeConfig(dir string, c configSpec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	k, n, domains, prefix, endpoint := c.kind, c.n, c.domains, c.prefix, c.endpoint
	var sb strings.Builder
	if k != kindData {
		if endpoint == "" {
			endpoint = "http://127.0.0.1:1"
		}
		fmt.Fprintf(&sb, `terraform {
  required_providers {
    alicloud = {
      source = "alicloud-live/alicloud"
    }
  }
}

provider "alicloud" {
  access_key = %q
  secret_key = %q
  region     = "cn-shanghai"
%s  endpoints {
    live = %q
  }
}
`, livemock.DemoAccessKeyID, livemock.DemoAccessKeySecret, c.providerExtra, endpoint)
	}
	protocols := []string{"rtmp", "httpflv", "hls"}
	for i := 0; i < n; i++ {
		attrs := [][2]string{
			{"domain_name", strconv.Quote(domains[i%len(domains)])},
			{"app_name", strconv.Quote(fmt.Sprintf("%s_app_%04d", prefix, i))},
			{"pull_domain_name", strconv.Quote(origins(i, c.updated))},
			{"pull_app_name", "null"},
			{"pull_protocol", strconv.Quote(protocols[i%len(protocols)])},
			{"transcode_lazy", "false"},
		}
		if i%4 == 1 {
			attrs[3][1] = strconv.Quote("origin_app")
		}
		if i%5 == 2 {
			attrs[5][1] = "true"
		}
		name := fmt.Sprintf("c%04d", i)
		if k == kindData {
			fmt.Fprintf(&sb, "\nresource \"terraform_data\" %q {\n  input = {\n", name)
			for _, a := range attrs {
				fmt.Fprintf(&sb, "    %-16s = %s\n", a[0], a[1])
			}
			sb.WriteString("  }\n}\n")
			continue
		}
		fmt.Fprintf(&sb, "\nresource \"alicloud_live_lazy_pull_config\" %q {\n", name)
		for _, a := range attrs {
			if a[1] == "null" || (a[0] == "transcode_lazy" && a[1] == "false") {
				continue // left unset, as a user would
			}
			fmt.Fprintf(&sb, "  %-16s = %s\n", a[0], a[1])
		}
		sb.WriteString("}\n")
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(sb.String()), 0o644)
}

// stateCount returns the number of resource instances in dir's local state.
func stateCount(dir string) (int, error) {
	data, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var st struct {
		Resources []struct {
			Mode      string            `json:"mode"`
			Instances []json.RawMessage `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return 0, fmt.Errorf("reading %s/terraform.tfstate: %w", dir, err)
	}
	n := 0
	for _, r := range st.Resources {
		if r.Mode == "managed" {
			n += len(r.Instances)
		}
	}
	return n, nil
}
