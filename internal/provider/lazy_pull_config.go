package provider

// The model of one lazy-pull configuration that the resource and the data
// source share, its conversions to and from the API client's
// lazypull.Config, and the diagnostics of the client's errors.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/liveapi"
)

// lazyPullConfigAttrs are the attributes of one configuration, shared by
// the resource and the entries of the data source.
type lazyPullConfigAttrs struct {
	ID             types.String   `tfsdk:"id"`
	DomainName     hostNamesValue `tfsdk:"domain_name"`
	AppName        types.String   `tfsdk:"app_name"`
	PullDomainName hostNamesValue `tfsdk:"pull_domain_name"`
	PullAppName    types.String   `tfsdk:"pull_app_name"`
	PullProtocol   types.String   `tfsdk:"pull_protocol"`
	TranscodeLazy  types.Bool     `tfsdk:"transcode_lazy"`
	PullArgs       types.String   `tfsdk:"pull_args"`
}

// config returns the configuration the model describes. An unknown
// pull_args (not configured, nothing in state yet) is sent as nothing.
func (m lazyPullConfigAttrs) config() lazypull.Config {
	return lazypull.Config{
		DomainName:     m.DomainName.ValueString(),
		AppName:        m.AppName.ValueString(),
		PullDomainName: m.PullDomainName.ValueString(),
		PullAppName:    m.PullAppName.ValueString(),
		PullProtocol:   m.PullProtocol.ValueString(),
		TranscodeLazy:  m.TranscodeLazy.ValueBool(),
		PullArgs:       m.PullArgs.ValueString(),
	}
}

// matches returns the test that a configuration the service holds is what
// the model plans: every attribute the same (lazypull.Same: host names in
// any case), pull_args only when it is known.
func (m lazyPullConfigAttrs) matches() func(*lazypull.Config) bool {
	want, argsKnown := m.config(), !m.PullArgs.IsUnknown()
	return func(got *lazypull.Config) bool {
		if got == nil {
			return false
		}
		g := *got
		if !argsKnown {
			g.PullArgs = want.PullArgs
		}
		return lazypull.Same(g, want)
	}
}

// replaced returns the test that a read after a write shows what the write
// replaced, as a lagging Describe does: nothing, or before (nil when the
// write replaced nothing).
func replaced(before *lazypull.Config) func(*lazypull.Config) bool {
	return func(got *lazypull.Config) bool {
		return got == nil || (before != nil && lazypull.Same(*got, *before))
	}
}

// keyKnown reports whether domain_name and app_name, which name the
// configuration, are known and set.
func (m lazyPullConfigAttrs) keyKnown() bool {
	return !m.DomainName.IsUnknown() && !m.AppName.IsUnknown() && !m.DomainName.IsNull() && !m.AppName.IsNull()
}

// key returns the ID of the configuration the model names.
func (m lazyPullConfigAttrs) key() string {
	return lazypull.ID(m.DomainName.ValueString(), m.AppName.ValueString())
}

// fullyKnown reports whether every value the service stores is known,
// pull_args aside (unknown there means "keep what the service holds").
func (m lazyPullConfigAttrs) fullyKnown() bool {
	return !m.DomainName.IsUnknown() && !m.AppName.IsUnknown() && !m.PullDomainName.IsUnknown() &&
		!m.PullAppName.IsUnknown() && !m.PullProtocol.IsUnknown() && !m.TranscodeLazy.IsUnknown()
}

// differences lists, one a line, the attributes whose value the service
// holds differs from what the model plans.
func (m lazyPullConfigAttrs) differences(got lazypull.Config) string {
	want := m.config()
	var b strings.Builder
	line := func(attr, planned, holds string) {
		if planned != holds {
			fmt.Fprintf(&b, "  %s: planned %q, the service holds %q\n", attr, planned, holds)
		}
	}
	if !lazypull.SameHosts(want.PullDomainName, got.PullDomainName) {
		line("pull_domain_name", want.PullDomainName, got.PullDomainName)
	}
	line("pull_app_name", want.PullAppName, got.PullAppName)
	line("pull_protocol", want.PullProtocol, got.PullProtocol)
	line("transcode_lazy", strconv.FormatBool(want.TranscodeLazy), strconv.FormatBool(got.TranscodeLazy))
	if !m.PullArgs.IsUnknown() {
		line("pull_args", want.PullArgs, got.PullArgs)
	}
	return strings.TrimRight(b.String(), "\n")
}

// setFrom copies what the API holds into the model. An empty PullAppName is
// the API's "not set" and stays null, so that an unset attribute never shows
// a diff. A domain_name the service holds in another case keeps the model's
// spelling, which the ID and the identity are made of; pull_domain_name takes
// the service's, and semantic equality keeps the configuration's spelling
// in state when the host names are the same.
func (m *lazyPullConfigAttrs) setFrom(c lazypull.Config) {
	domain := c.DomainName
	if known := m.DomainName.ValueString(); lazypull.SameHosts(known, domain) && !m.DomainName.IsUnknown() && !m.DomainName.IsNull() {
		domain = known
	}
	m.ID = types.StringValue(lazypull.ID(domain, c.AppName))
	m.DomainName = hostNames(domain)
	m.AppName = types.StringValue(c.AppName)
	m.PullDomainName = hostNames(c.PullDomainName)
	if c.PullAppName == "" {
		m.PullAppName = types.StringNull()
	} else {
		m.PullAppName = types.StringValue(c.PullAppName)
	}
	m.PullProtocol = types.StringValue(c.PullProtocol)
	m.TranscodeLazy = types.BoolValue(c.TranscodeLazy)
	m.PullArgs = types.StringValue(c.PullArgs)
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
