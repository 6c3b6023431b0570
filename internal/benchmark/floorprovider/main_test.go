// Tests that the floor's schemas match the real provider's: the provider
// schema, the resource schema (but the timeouts block) and the identity
// schema, as Terraform receives them, and the resource's defaults and plan
// modifiers, which the protocol does not carry.
package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	realprovider "github.com/alicloud-live/terraform-provider-alicloud/internal/provider"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/registry"
)

const resourceType = registry.TypeName + "_live_lazy_pull_config"

// schemas returns what Terraform receives from p: its schemas and its
// resources' identity schemas.
func schemas(t *testing.T, p func() provider.Provider) (*tfprotov6.GetProviderSchemaResponse, *tfprotov6.GetResourceIdentitySchemasResponse) {
	t.Helper()
	server, err := providerserver.NewProtocol6WithError(p())()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range append(s.Diagnostics, ids.Diagnostics...) {
		t.Fatalf("%s: %s", d.Summary, d.Detail)
	}
	return s, ids
}

// shape lists a block's attributes and nested blocks, one line each, with
// everything Terraform checks configurations and plans against and nothing
// it only shows (descriptions). Blocks named in skip are left out.
func shape(prefix string, b *tfprotov6.SchemaBlock, skip ...string) []string {
	var out []string
	for _, a := range b.Attributes {
		out = append(out, fmt.Sprintf("%s%s: %s required=%t optional=%t computed=%t sensitive=%t write_only=%t nested=%t",
			prefix, a.Name, a.Type, a.Required, a.Optional, a.Computed, a.Sensitive, a.WriteOnly, a.NestedType != nil))
	}
	for _, nb := range b.BlockTypes {
		if slices.Contains(skip, nb.TypeName) {
			continue
		}
		out = append(out, fmt.Sprintf("%s%s: block %s min=%d max=%d", prefix, nb.TypeName, nb.Nesting, nb.MinItems, nb.MaxItems))
		out = append(out, shape(prefix+nb.TypeName+".", nb.Block)...)
	}
	slices.Sort(out)
	return out
}

func floor() provider.Provider { return floorProvider{} }

func sameLines(t *testing.T, what string, floor, real []string) {
	t.Helper()
	if !slices.Equal(floor, real) {
		t.Errorf("the floor's %s differs from the real provider's:\nfloor:\n  %s\nreal:\n  %s", what,
			strings.Join(floor, "\n  "), strings.Join(real, "\n  "))
	}
}

func TestProviderSchemaMatches(t *testing.T) {
	f, _ := schemas(t, floor)
	r, _ := schemas(t, realprovider.New("test"))
	sameLines(t, "provider schema", shape("", f.Provider.Block), shape("", r.Provider.Block))
}

func TestResourceSchemaMatches(t *testing.T) {
	f, _ := schemas(t, floor)
	r, _ := schemas(t, realprovider.New("test"))
	if f.ResourceSchemas[resourceType] == nil || r.ResourceSchemas[resourceType] == nil {
		t.Fatalf("%s missing: floor %v, real %v", resourceType, f.ResourceSchemas[resourceType] != nil, r.ResourceSchemas[resourceType] != nil)
	}
	if fv, rv := f.ResourceSchemas[resourceType].Version, r.ResourceSchemas[resourceType].Version; fv != rv {
		t.Errorf("schema version: floor %d, real %d", fv, rv)
	}
	sameLines(t, "resource schema", shape("", f.ResourceSchemas[resourceType].Block),
		shape("", r.ResourceSchemas[resourceType].Block, "timeouts"))
}

func TestIdentitySchemaMatches(t *testing.T) {
	_, f := schemas(t, floor)
	_, r := schemas(t, realprovider.New("test"))
	lines := func(s *tfprotov6.ResourceIdentitySchema) []string {
		if s == nil {
			return []string{"no identity schema"}
		}
		out := []string{fmt.Sprintf("version %d", s.Version)}
		for _, a := range s.IdentityAttributes {
			out = append(out, fmt.Sprintf("%s: %s required_for_import=%t optional_for_import=%t", a.Name, a.Type, a.RequiredForImport, a.OptionalForImport))
		}
		slices.Sort(out[1:])
		return out
	}
	sameLines(t, "identity schema", lines(f.IdentitySchemas[resourceType]), lines(r.IdentitySchemas[resourceType]))
}

// TestPlanModifiersAndDefaultsMatch compares what shapes a plan but does
// not travel in the protocol: each attribute's plan modifiers and default.
func TestPlanModifiersAndDefaultsMatch(t *testing.T) {
	ctx := context.Background()
	get := func(r resource.Resource) schema.Schema {
		var resp resource.SchemaResponse
		r.Schema(ctx, resource.SchemaRequest{}, &resp)
		return resp.Schema
	}
	describe := func(a schema.Attribute) string {
		var mods []string
		var def string
		switch a := a.(type) {
		case schema.StringAttribute:
			for _, m := range a.PlanModifiers {
				mods = append(mods, m.Description(ctx))
			}
			if a.Default != nil {
				def = a.Default.Description(ctx)
			}
		case schema.BoolAttribute:
			for _, m := range a.PlanModifiers {
				mods = append(mods, m.Description(ctx))
			}
			if a.Default != nil {
				def = a.Default.Description(ctx)
			}
		default:
			return fmt.Sprintf("an attribute of type %T, which this test does not know", a)
		}
		return fmt.Sprintf("plan modifiers %q, default %q", mods, def)
	}
	f, r := get(lazyPullConfig{}), get(realprovider.NewLazyPullConfigResource())
	for name, ra := range r.Attributes {
		fa, ok := f.Attributes[name]
		if !ok {
			t.Errorf("%s: missing from the floor", name)
			continue
		}
		if fd, rd := describe(fa), describe(ra); fd != rd {
			t.Errorf("%s: floor has %s, real %s", name, fd, rd)
		}
	}
	for name := range f.Attributes {
		if _, ok := r.Attributes[name]; !ok {
			t.Errorf("%s: the floor has it, the real resource does not", name)
		}
	}
}
