package provider

// The model of one lazy-pull configuration that the resource and the data
// source share, its conversions to and from the API client's
// lazypull.Config, and the diagnostics of the client's errors.

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// lazyPullConfigAttrs are the attributes of one configuration, shared by
// the resource and the entries of the data source.
type lazyPullConfigAttrs struct {
	ID             types.String `tfsdk:"id"`
	DomainName     types.String `tfsdk:"domain_name"`
	AppName        types.String `tfsdk:"app_name"`
	PullDomainName types.String `tfsdk:"pull_domain_name"`
	PullAppName    types.String `tfsdk:"pull_app_name"`
	PullProtocol   types.String `tfsdk:"pull_protocol"`
	TranscodeLazy  types.Bool   `tfsdk:"transcode_lazy"`
}

func (m lazyPullConfigAttrs) config() lazypull.Config {
	return lazypull.Config{
		DomainName:     m.DomainName.ValueString(),
		AppName:        m.AppName.ValueString(),
		PullDomainName: m.PullDomainName.ValueString(),
		PullAppName:    m.PullAppName.ValueString(),
		PullProtocol:   m.PullProtocol.ValueString(),
		TranscodeLazy:  m.TranscodeLazy.ValueBool(),
	}
}

// setFrom copies what the API holds into the model. An empty PullAppName is
// the API's "not set" and stays null, so that an unset attribute never shows
// a diff.
func (m *lazyPullConfigAttrs) setFrom(c lazypull.Config) {
	m.ID = types.StringValue(lazypull.ID(c.DomainName, c.AppName))
	m.DomainName = types.StringValue(c.DomainName)
	m.AppName = types.StringValue(c.AppName)
	m.PullDomainName = types.StringValue(c.PullDomainName)
	if c.PullAppName == "" {
		m.PullAppName = types.StringNull()
	} else {
		m.PullAppName = types.StringValue(c.PullAppName)
	}
	m.PullProtocol = types.StringValue(c.PullProtocol)
	m.TranscodeLazy = types.BoolValue(c.TranscodeLazy)
}

// addError turns a client error into a diagnostic: for API errors the code,
// message, RequestId and a hint, one a line.
func addError(diags *diag.Diagnostics, summary string, err error) {
	var apiErr *liveapi.APIError
	if !errors.As(err, &apiErr) {
		diags.AddError(summary, err.Error())
		return
	}
	detail := apiErr.Detail()
	var gaveUp *liveapi.GaveUpError
	if errors.As(err, &gaveUp) {
		detail += "\ngave up: " + gaveUp.Reason
	}
	diags.AddError(summary, detail)
}
