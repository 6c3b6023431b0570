package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestHostNamesSemanticEquality(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		a, b hostNamesValue
		want bool
	}{
		{hostNames("Origin.Example.NET;backup.example.net:1935"), hostNames("origin.example.net;backup.example.net:1935"), true},
		{hostNames("a.example.net;b.example.net"), hostNames("b.example.net;a.example.net"), false},
		{hostNames("a.example.net:1935"), hostNames("A.example.net:1936"), false},
		{hostNames("a.example.net"), hostNamesValue{StringValue: basetypes.NewStringNull()}, false},
		{hostNamesValue{StringValue: basetypes.NewStringUnknown()}, hostNames("a.example.net"), false},
	} {
		got, diags := tc.a.StringSemanticEquals(ctx, tc.b)
		if got != tc.want || diags.HasError() {
			t.Errorf("%s semantically equals %s: %v (%v), want %v", tc.a, tc.b, got, diags, tc.want)
		}
	}
	// Terraform compares exactly: a spelling change in the configuration is
	// a change.
	if hostNames("A.example.net").Equal(hostNames("a.example.net")) {
		t.Error("Equal ignores case")
	}
	v, err := hostNamesType{}.ValueFromTerraform(ctx, tftypes.NewValue(tftypes.String, "Live.Example.com"))
	if hv, ok := v.(hostNamesValue); err != nil || !ok || hv.ValueString() != "Live.Example.com" {
		t.Errorf("ValueFromTerraform = %#v, %v", v, err)
	}
}
