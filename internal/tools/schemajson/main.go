// Command schemajson prints the provider's schema in the JSON format of
// `terraform providers schema -json`, for tfplugindocs --providers-schema.
//
// It asks the provider built from this tree for its schemas in-process, over
// the plugin protocol, instead of through a Terraform CLI. What a CLI
// exports depends on its version: Terraform before 1.12 leaves out the
// resource identity schemas, before 1.14 the list resource schemas, and
// tfplugindocs renders neither the identity import section nor the list
// resource page without them. Exported here, the schema, and so docs/,
// depend only on the tree, and `make docs` needs no CLI at all.
//
// Usage: go run ./internal/tools/schemajson [-key PROVIDER_KEY] >schema.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/provider"
)

// The JSON types below follow Terraform's jsonprovider package (format
// version 1.0), field for field, with the same omitempty rules.

type providerSchemas struct {
	FormatVersion string                     `json:"format_version"`
	Schemas       map[string]*providerSchema `json:"provider_schemas"`
}

type providerSchema struct {
	Provider                *schema                    `json:"provider,omitempty"`
	ResourceSchemas         map[string]*schema         `json:"resource_schemas,omitempty"`
	DataSourceSchemas       map[string]*schema         `json:"data_source_schemas,omitempty"`
	ListResourceSchemas     map[string]*schema         `json:"list_resource_schemas,omitempty"`
	ResourceIdentitySchemas map[string]*identitySchema `json:"resource_identity_schemas,omitempty"`
}

type schema struct {
	Version int64  `json:"version"`
	Block   *block `json:"block,omitempty"`
}

type block struct {
	Attributes      map[string]*attribute `json:"attributes,omitempty"`
	BlockTypes      map[string]*blockType `json:"block_types,omitempty"`
	Description     string                `json:"description,omitempty"`
	DescriptionKind string                `json:"description_kind,omitempty"`
	Deprecated      bool                  `json:"deprecated,omitempty"`
}

type attribute struct {
	AttributeType       json.RawMessage `json:"type,omitempty"`
	AttributeNestedType *nestedType     `json:"nested_type,omitempty"`
	Description         string          `json:"description,omitempty"`
	DescriptionKind     string          `json:"description_kind,omitempty"`
	Deprecated          bool            `json:"deprecated,omitempty"`
	Required            bool            `json:"required,omitempty"`
	Optional            bool            `json:"optional,omitempty"`
	Computed            bool            `json:"computed,omitempty"`
	Sensitive           bool            `json:"sensitive,omitempty"`
	WriteOnly           bool            `json:"write_only,omitempty"`
}

type nestedType struct {
	Attributes  map[string]*attribute `json:"attributes,omitempty"`
	NestingMode string                `json:"nesting_mode,omitempty"`
}

type blockType struct {
	NestingMode string `json:"nesting_mode,omitempty"`
	Block       *block `json:"block,omitempty"`
	MinItems    int64  `json:"min_items,omitempty"`
	MaxItems    int64  `json:"max_items,omitempty"`
}

type identitySchema struct {
	Version    int64                         `json:"version"`
	Attributes map[string]*identityAttribute `json:"attributes,omitempty"`
}

type identityAttribute struct {
	IdentityType      json.RawMessage `json:"type,omitempty"`
	Description       string          `json:"description,omitempty"`
	RequiredForImport bool            `json:"required_for_import,omitempty"`
	OptionalForImport bool            `json:"optional_for_import,omitempty"`
}

func main() {
	key := flag.String("key", "registry.terraform.io/hashicorp/alicloud", "the provider key the schema is listed under")
	flag.Parse()
	out, err := export(context.Background(), *key)
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemajson:", err)
		os.Exit(1)
	}
	os.Stdout.Write(append(out, '\n'))
}

func export(ctx context.Context, key string) ([]byte, error) {
	server := providerserver.NewProtocol6(provider.New("docs")())()
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnostics(resp.Diagnostics); err != nil {
		return nil, err
	}
	if len(resp.Functions) > 0 || len(resp.EphemeralResourceSchemas) > 0 || len(resp.ActionSchemas) > 0 || len(resp.StateStoreSchemas) > 0 {
		return nil, fmt.Errorf("the provider has functions, ephemeral resources, actions or state stores, which this exporter does not convert yet")
	}
	ids, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, err
	}
	if err := diagnostics(ids.Diagnostics); err != nil {
		return nil, err
	}

	p := &providerSchema{
		Provider:            convertSchema(resp.Provider),
		ResourceSchemas:     convertSchemas(resp.ResourceSchemas),
		DataSourceSchemas:   convertSchemas(resp.DataSourceSchemas),
		ListResourceSchemas: convertSchemas(resp.ListResourceSchemas),
	}
	if len(ids.IdentitySchemas) > 0 {
		p.ResourceIdentitySchemas = map[string]*identitySchema{}
		for name, s := range ids.IdentitySchemas {
			is := &identitySchema{Version: s.Version, Attributes: map[string]*identityAttribute{}}
			for _, a := range s.IdentityAttributes {
				is.Attributes[a.Name] = &identityAttribute{
					IdentityType:      typeJSON(a.Type),
					Description:       a.Description,
					RequiredForImport: a.RequiredForImport,
					OptionalForImport: a.OptionalForImport,
				}
			}
			p.ResourceIdentitySchemas[name] = is
		}
	}
	return json.Marshal(providerSchemas{FormatVersion: "1.0", Schemas: map[string]*providerSchema{key: p}})
}

func diagnostics(diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s: %s", d.Summary, d.Detail)
		}
	}
	return nil
}

func convertSchemas(in map[string]*tfprotov6.Schema) map[string]*schema {
	if len(in) == 0 {
		return nil
	}
	out := make(map[string]*schema, len(in))
	for name, s := range in {
		out[name] = convertSchema(s)
	}
	return out
}

func convertSchema(s *tfprotov6.Schema) *schema {
	if s == nil {
		return nil
	}
	return &schema{Version: s.Version, Block: convertBlock(s.Block)}
}

func convertBlock(b *tfprotov6.SchemaBlock) *block {
	if b == nil {
		return &block{}
	}
	out := &block{
		Description:     b.Description,
		DescriptionKind: kind(b.DescriptionKind),
		Deprecated:      b.Deprecated,
	}
	if len(b.Attributes) > 0 {
		out.Attributes = map[string]*attribute{}
		for _, a := range b.Attributes {
			out.Attributes[a.Name] = convertAttribute(a)
		}
	}
	if len(b.BlockTypes) > 0 {
		out.BlockTypes = map[string]*blockType{}
		for _, nb := range b.BlockTypes {
			out.BlockTypes[nb.TypeName] = &blockType{
				NestingMode: blockNesting(nb.Nesting),
				Block:       convertBlock(nb.Block),
				MinItems:    nb.MinItems,
				MaxItems:    nb.MaxItems,
			}
		}
	}
	return out
}

func convertAttribute(a *tfprotov6.SchemaAttribute) *attribute {
	out := &attribute{
		Description:     a.Description,
		DescriptionKind: kind(a.DescriptionKind),
		Deprecated:      a.Deprecated,
		Required:        a.Required,
		Optional:        a.Optional,
		Computed:        a.Computed,
		Sensitive:       a.Sensitive,
		WriteOnly:       a.WriteOnly,
	}
	if a.NestedType != nil {
		nt := &nestedType{NestingMode: objectNesting(a.NestedType.Nesting), Attributes: map[string]*attribute{}}
		for _, na := range a.NestedType.Attributes {
			nt.Attributes[na.Name] = convertAttribute(na)
		}
		out.AttributeNestedType = nt
	} else {
		out.AttributeType = typeJSON(a.Type)
	}
	return out
}

// typeJSON is the type in cty's JSON form ("string", ["list","string"], ...),
// which tftypes writes too.
func typeJSON(t interface{ MarshalJSON() ([]byte, error) }) json.RawMessage {
	if t == nil {
		return nil
	}
	b, err := t.MarshalJSON()
	if err != nil {
		panic(err)
	}
	return b
}

func kind(k tfprotov6.StringKind) string {
	if k == tfprotov6.StringKindMarkdown {
		return "markdown"
	}
	return "plain"
}

func blockNesting(n tfprotov6.SchemaNestedBlockNestingMode) string {
	switch n {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return "single"
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return "list"
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return "set"
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return "map"
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return "group"
	}
	panic(fmt.Sprintf("unknown block nesting mode %v", n))
}

func objectNesting(n tfprotov6.SchemaObjectNestingMode) string {
	switch n {
	case tfprotov6.SchemaObjectNestingModeSingle:
		return "single"
	case tfprotov6.SchemaObjectNestingModeList:
		return "list"
	case tfprotov6.SchemaObjectNestingModeSet:
		return "set"
	case tfprotov6.SchemaObjectNestingModeMap:
		return "map"
	}
	panic(fmt.Sprintf("unknown attribute nesting mode %v", n))
}
