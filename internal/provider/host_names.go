package provider

// The string type of domain_name and pull_domain_name: host names, which
// DNS compares without regard to case. A service may store them in its own
// case; semantic equality keeps the spelling of the configuration when the
// service holds the same host names, so that no plan shows a difference.

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

var (
	_ basetypes.StringTypable                    = hostNamesType{}
	_ basetypes.StringValuableWithSemanticEquals = hostNamesValue{}
)

// hostNamesType is the type of hostNamesValue.
type hostNamesType struct {
	basetypes.StringType
}

// String implements attr.Type.
func (t hostNamesType) String() string { return "hostNamesType" }

// Equal implements attr.Type.
func (t hostNamesType) Equal(o attr.Type) bool {
	other, ok := o.(hostNamesType)
	return ok && t.StringType.Equal(other.StringType)
}

// ValueType implements attr.Type.
func (t hostNamesType) ValueType(context.Context) attr.Value { return hostNamesValue{} }

// ValueFromString implements basetypes.StringTypable.
func (t hostNamesType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return hostNamesValue{StringValue: in}, nil
}

// ValueFromTerraform implements attr.Type.
func (t hostNamesType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return hostNamesValue{StringValue: s}, nil
}

// hostNamesValue is a domain name or a ';'-separated list of origins whose
// host names compare case-insensitively (lazypull.SameHosts).
type hostNamesValue struct {
	basetypes.StringValue
}

func hostNames(s string) hostNamesValue {
	return hostNamesValue{StringValue: basetypes.NewStringValue(s)}
}

// Type implements attr.Value.
func (v hostNamesValue) Type(context.Context) attr.Type { return hostNamesType{} }

// Equal implements attr.Value: the exact value, as Terraform compares.
func (v hostNamesValue) Equal(o attr.Value) bool {
	other, ok := o.(hostNamesValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals implements basetypes.StringValuableWithSemanticEquals:
// the same host names, in any case, with the same ports in the same order.
func (v hostNamesValue) StringSemanticEquals(_ context.Context, o basetypes.StringValuable) (bool, diag.Diagnostics) {
	other, ok := o.(hostNamesValue)
	if !ok || v.IsNull() || v.IsUnknown() || other.IsNull() || other.IsUnknown() {
		return false, nil
	}
	return lazypull.SameHosts(v.ValueString(), other.ValueString()), nil
}
