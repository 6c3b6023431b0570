package liveapi

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/live"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// Set creates or overwrites the configuration of (DomainName, AppName). Set
// is an upsert, so a Set whose answer was lost is safe to send again.
// Optional parameters that are empty are not sent: the SDK drops them.
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
	c.snapshots.wrote(cfg.DomainName, cfg.AppName, false)
	return err
}

// Delete removes the configuration of (domain, app). A domain that is
// gone from the account counts as deleted. What the service answers for a
// configuration that does not exist is not documented; callers that must
// know confirm with Fresh. Deleting lazypull.AllApps removes every
// configuration of the domain.
func (c *Client) Delete(ctx context.Context, domain, app string) error {
	req := live.CreateDeleteLiveLazyPullStreamInfoConfigRequest()
	req.DomainName = domain
	req.AppName = app
	_, err := c.call(ctx, lazypull.ActionDelete, domain, app, req, func() responses.AcsResponse {
		return live.CreateDeleteLiveLazyPullStreamInfoConfigResponse()
	})
	c.snapshots.wrote(domain, app, true)
	if IsDomainNotFound(err) {
		return nil
	}
	return err
}

// List returns the configurations of domain, all of them when app is empty,
// else the one of that application (if any). It reads through the domain's
// snapshot, which is never older than this client's last write to what it
// returns.
func (c *Client) List(ctx context.Context, domain, app string) ([]lazypull.Config, error) {
	all, err := c.domainConfigs(ctx, domain, c.snapshots.needFor(domain, app), 0)
	if err != nil {
		return nil, err
	}
	return filterApp(all, app), nil
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

// Fresh returns the configuration of (domain, app), or nil, as a Describe
// that starts after the call sees it: for reads that must not trust any
// earlier answer, such as the read after a write. Concurrent Fresh reads of
// one domain share their Describe.
func (c *Client) Fresh(ctx context.Context, domain, app string) (*lazypull.Config, error) {
	all, err := c.domainConfigs(ctx, domain, c.snapshots.barrier(domain), c.opts.FreshGather)
	if err != nil {
		return nil, err
	}
	if list := filterApp(all, app); len(list) > 0 {
		return &list[0], nil
	}
	return nil, nil
}

// DeletedHere reports whether this client deleted the configuration of
// (domain, app), itself or through lazypull.AllApps: a Describe that still
// shows it then lags behind the delete.
func (c *Client) DeletedHere(domain, app string) bool {
	return c.snapshots.deletedHere(domain, app)
}

// NotSettledError says that Describe did not show what a write stored:
// within the operation's time, either because the service has not caught
// up yet or because it holds something else; or, with Other, at once,
// because Describe showed a third configuration, neither the one the write
// replaced nor the one it wrote.
type NotSettledError struct {
	Reads  int
	Waited time.Duration
	// Last is the last read's configuration; nil when there was none.
	Last *lazypull.Config
	// Other says that the last read showed neither what the write
	// replaced nor what it wrote: the service stored something else.
	Other bool
}

func (e *NotSettledError) Error() string {
	if e.Other {
		return fmt.Sprintf("after %d reads over %s, Describe shows neither the configuration before the write nor the one written", e.Reads, e.Waited.Round(time.Millisecond))
	}
	return fmt.Sprintf("after %d reads over %s, Describe still does not show the expected configuration", e.Reads, e.Waited.Round(time.Millisecond))
}

// Await reads (domain, app) with Fresh until settled accepts what it reads,
// waiting between reads with exponential backoff, for as long as ctx
// allows. Describe is known to lag behind writes for a while on some
// Alibaba Cloud APIs; Await is how a read after a write waits that out. It
// returns the last read; when the context leaves no time for another read
// before the configuration settles, the error is a *NotSettledError.
func (c *Client) Await(ctx context.Context, domain, app string, settled func(*lazypull.Config) bool) (*lazypull.Config, error) {
	return c.AwaitFrom(ctx, domain, app, settled, nil)
}

// AwaitFrom is Await for the read after a write: a lagging Describe shows
// what the write replaced, which stale accepts, until it shows what the
// write stored. A read that neither settled nor stale accepts shows that
// the service stored something else, which no wait changes: AwaitFrom then
// returns at once, with a *NotSettledError whose Other is true. A nil stale
// waits through anything.
func (c *Client) AwaitFrom(ctx context.Context, domain, app string, settled, stale func(*lazypull.Config) bool) (*lazypull.Config, error) {
	start := time.Now()
	delay := c.opts.BaseDelay
	for reads := 1; ; reads++ {
		got, err := c.Fresh(ctx, domain, app)
		if err != nil {
			return got, err
		}
		if settled(got) {
			return got, nil
		}
		if stale != nil && !stale(got) {
			return got, &NotSettledError{Reads: reads, Waited: time.Since(start), Last: got, Other: true}
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay+time.Second {
			return got, &NotSettledError{Reads: reads, Waited: time.Since(start), Last: got}
		}
		if sleep(ctx, delay) != nil {
			return got, &NotSettledError{Reads: reads, Waited: time.Since(start), Last: got}
		}
		delay = min(2*delay, c.opts.MaxDelay)
	}
}

func (c *Client) domainConfigs(ctx context.Context, domain string, need uint64, gather time.Duration) ([]lazypull.Config, error) {
	return c.snapshots.get(ctx, domain, need, gather, func(ctx context.Context) ([]lazypull.Config, error) {
		return c.describe(ctx, domain, "")
	})
}

func filterApp(all []lazypull.Config, app string) []lazypull.Config {
	if app == "" {
		return all
	}
	var out []lazypull.Config
	for _, cfg := range all {
		if cfg.AppName == app {
			out = append(out, cfg)
		}
	}
	return out
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
