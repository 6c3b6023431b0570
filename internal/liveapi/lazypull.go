package liveapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/live"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// Set creates or overwrites the configuration of (DomainName, AppName). Set
// is an upsert, so a Set whose answer was lost is safe to send again.
func (c *Client) Set(ctx context.Context, cfg lazypull.Config) error {
	req := live.CreateSetLiveLazyPullStreamInfoConfigRequest()
	req.DomainName = cfg.DomainName
	req.AppName = cfg.AppName
	req.PullDomainName = cfg.PullDomainName
	req.PullAppName = cfg.PullAppName
	req.PullProtocol = cfg.PullProtocol
	req.TranscodeLazy = lazypull.FormatTranscodeLazy(cfg.TranscodeLazy)
	req.PullArgs = cfg.PullArgs
	_, err := c.call(ctx, lazypull.ActionSet, cfg.DomainName, cfg.AppName, req, func() responses.AcsResponse {
		return live.CreateSetLiveLazyPullStreamInfoConfigResponse()
	})
	if err != nil {
		c.snapshots.invalidate(cfg.DomainName)
		return err
	}
	c.snapshots.applyWrite(cfg.DomainName, func(list []lazypull.Config) []lazypull.Config { return upsert(list, cfg) })
	return nil
}

// Delete removes the configuration of (domain, app). A configuration or a
// domain that is already gone counts as deleted, so a Delete retried after
// it succeeded succeeds. Deleting lazypull.AllApps removes every
// configuration of the domain.
func (c *Client) Delete(ctx context.Context, domain, app string) error {
	req := live.CreateDeleteLiveLazyPullStreamInfoConfigRequest()
	req.DomainName = domain
	req.AppName = app
	_, err := c.call(ctx, lazypull.ActionDelete, domain, app, req, func() responses.AcsResponse {
		return live.CreateDeleteLiveLazyPullStreamInfoConfigResponse()
	})
	if err != nil {
		c.snapshots.invalidate(domain)
		if IsDomainNotFound(err) {
			return nil
		}
		return err
	}
	c.snapshots.applyWrite(domain, func(list []lazypull.Config) []lazypull.Config { return without(list, app) })
	return nil
}

// List returns the configurations of domain, all of them when app is empty,
// else the one of that application (if any). It reads through the domain's
// snapshot.
func (c *Client) List(ctx context.Context, domain, app string) ([]lazypull.Config, error) {
	all, err := c.snapshots.get(ctx, domain, func(ctx context.Context) ([]lazypull.Config, error) {
		return c.describe(ctx, domain, "")
	})
	if err != nil {
		return nil, err
	}
	var out []lazypull.Config
	for _, cfg := range all {
		if app == "" || cfg.AppName == app {
			out = append(out, cfg)
		}
	}
	return out, nil
}

// Get returns the configuration of (domain, app), or nil when there is none.
func (c *Client) Get(ctx context.Context, domain, app string) (*lazypull.Config, error) {
	if app == "" {
		return nil, errors.New("an application name is required")
	}
	list, err := c.List(ctx, domain, app)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// Fresh returns the configuration of (domain, app) from a Describe of its
// own, bypassing snapshots: for checks that must not trust any earlier read.
func (c *Client) Fresh(ctx context.Context, domain, app string) (*lazypull.Config, error) {
	list, err := c.describe(ctx, domain, app)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].AppName == app {
			return &list[i], nil
		}
	}
	return nil, nil
}

func (c *Client) describe(ctx context.Context, domain, app string) ([]lazypull.Config, error) {
	req := live.CreateDescribeLiveLazyPullStreamConfigRequest()
	req.DomainName = domain
	req.AppName = app
	resp, err := c.call(ctx, lazypull.ActionDescribe, domain, app, req, func() responses.AcsResponse {
		return live.CreateDescribeLiveLazyPullStreamConfigResponse()
	})
	if err != nil {
		return nil, err
	}
	described, ok := resp.(*live.DescribeLiveLazyPullStreamConfigResponse)
	if !ok {
		return nil, fmt.Errorf("%s: unexpected response type %T", lazypull.ActionDescribe, resp)
	}
	items := described.LiveLazyPullConfigList.LiveLazyPullConfig
	out := make([]lazypull.Config, 0, len(items))
	for _, it := range items {
		// The service answers with the domain it was asked about; an item
		// without one belongs to it all the same.
		d := it.DomainName
		if d == "" {
			d = domain
		}
		protocol, _ := lazypull.NormalizeProtocol(it.PullProtocol)
		out = append(out, lazypull.Config{
			DomainName:     d,
			AppName:        it.AppName,
			PullDomainName: it.PullDomainName,
			PullAppName:    it.PullAppName,
			PullProtocol:   protocol,
			TranscodeLazy:  lazypull.ParseTranscodeLazy(it.TranscodeLazy),
			PullArgs:       it.PullArgs,
		})
	}
	return out, nil
}
