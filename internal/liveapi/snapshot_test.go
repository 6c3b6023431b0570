package liveapi

// Per-domain read snapshots and reads after writes: shared Describes,
// freshness after this client's writes, canceled leaders, TTL expiry,
// remembered domain errors, waiting out a lagging Describe, and the
// configurations a client deleted.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
	"github.com/alicloud-live/terraform-provider-alicloud/internal/livemock"
)

func putApps(m *livemock.Server, domain string, n int, origin string) {
	for i := 0; i < n; i++ {
		m.PutConfig(livemock.Config{DomainName: domain, AppName: appName(i), PullDomainName: origin, PullProtocol: "rtmp", TranscodeLazy: "no"})
	}
}

func appName(i int) string { return "app_" + string(rune('a'+i/26)) + string(rune('a'+i%26)) }

// TestSnapshot_concurrentGetsShareOneDescribe: 50 concurrent reads of one
// domain cost one Describe, and each reader gets its own configuration.
func TestSnapshot_concurrentGetsShareOneDescribe(t *testing.T) {
	// The latency keeps the first Describe in flight while the others ask.
	m, url := newUnitMock(t, nil)
	m.SetLatency(100 * time.Millisecond)
	putApps(m, unitDomain, 50, "origin.example.net")
	putApps(m, unitDomain2, 50, "origin2.example.net")
	c := newUnitClient(t, url, nil)

	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for _, domain := range []string{unitDomain, unitDomain2} {
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got, err := c.Get(context.Background(), domain, appName(i))
				switch {
				case err != nil:
					errs <- err
				case got == nil || got.AppName != appName(i) || got.DomainName != domain:
					errs <- errors.New("Get(" + domain + ", " + appName(i) + ") returned the wrong configuration")
				}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := m.Calls(lazypull.ActionDescribe); n != 2 {
		t.Errorf("100 concurrent reads of 2 domains sent %d Describe calls, want 2", n)
	}
}

// TestSnapshot_readAfterOwnWriteIsFresh: after this client's write, a read
// returns what the write stored, never the snapshot taken before: a
// successful write updates the snapshot, a failed one (whose outcome is
// unknown) drops it.
func TestSnapshot_readAfterOwnWriteIsFresh(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, nil)
	ctx := context.Background()
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "old.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "other", PullDomainName: "other.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})

	if got, err := c.Get(ctx, unitDomain, "app"); err != nil || got.PullDomainName != "old.example.net" {
		t.Fatalf("first read: %+v %v", got, err)
	}
	want := unitConfig(unitDomain, "app")
	want.PullDomainName = "new.example.net"
	want.TranscodeLazy = true
	if err := c.Set(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, unitDomain, "app")
	if err != nil || got == nil || *got != want {
		t.Fatalf("read after Set returned %+v, %v; want %+v", got, err, want)
	}
	if fresh, _ := c.Fresh(ctx, unitDomain, "app"); fresh == nil || *fresh != want {
		t.Fatalf("the service holds %+v, the client read %+v", fresh, got)
	}
	if other, _ := c.Get(ctx, unitDomain, "other"); other == nil || other.PullDomainName != "other.example.net" {
		t.Fatalf("the other application's configuration was lost from the snapshot: %+v", other)
	}

	// A failed write drops the snapshot: it may have been applied.
	m.InjectServerError(lazypull.ActionSet, 100, 500)
	want.PullDomainName = "newer.example.net"
	if err := c.Set(ctx, want); err == nil {
		t.Fatal("Set succeeded through permanent 500s")
	}
	m.ClearFaults()
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "newer.example.net", PullProtocol: "httpflv", TranscodeLazy: "yes"})
	describes := m.Calls(lazypull.ActionDescribe)
	if got, _ := c.Get(ctx, unitDomain, "app"); got == nil || got.PullDomainName != "newer.example.net" {
		t.Fatalf("read after a failed Set returned %+v from the old snapshot", got)
	}
	if m.Calls(lazypull.ActionDescribe) != describes+1 {
		t.Errorf("the read after a failed Set made %d Describes, want 1", m.Calls(lazypull.ActionDescribe)-describes)
	}

	// Delete: the configuration is gone for this client at once.
	if err := c.Delete(ctx, unitDomain, "app"); err != nil {
		t.Fatal(err)
	}
	if got, err := c.Get(ctx, unitDomain, "app"); err != nil || got != nil {
		t.Fatalf("read after Delete returned %+v, %v", got, err)
	}
	// And ali_all_app takes every application with it.
	if err := c.Delete(ctx, unitDomain, lazypull.AllApps); err != nil {
		t.Fatal(err)
	}
	if list, err := c.List(ctx, unitDomain, ""); err != nil || len(list) != 0 {
		t.Fatalf("List after deleting ali_all_app returned %+v, %v", list, err)
	}
	if len(m.Configs(unitDomain)) != 0 {
		t.Fatalf("the service still holds %+v", m.Configs(unitDomain))
	}
}

// holdingTransport holds the response of the next Describe until release is
// closed, after the service has answered it (so its content predates
// anything that happens while it is held).
type holdingTransport struct {
	base    http.RoundTripper
	mu      sync.Mutex
	armed   bool
	arrived chan struct{}
	release chan struct{}
}

func newHoldingTransport() *holdingTransport {
	return &holdingTransport{base: http.DefaultTransport, armed: true, arrived: make(chan struct{}), release: make(chan struct{})}
}

func (h *holdingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := h.base.RoundTrip(r)
	h.mu.Lock()
	hold := h.armed && r.URL.Query().Get("Action") == lazypull.ActionDescribe
	if hold {
		h.armed = false
	}
	h.mu.Unlock()
	if hold {
		close(h.arrived)
		select {
		case <-h.release:
		case <-r.Context().Done():
			if resp != nil {
				resp.Body.Close()
			}
			return nil, r.Context().Err()
		}
	}
	return resp, err
}

// TestSnapshot_describeInFlightDuringWriteIsNotReused: a Describe that was
// answered before this client's Set completed is neither joined by a read
// that starts after the Set nor stored as the domain's snapshot.
func TestSnapshot_describeInFlightDuringWriteIsNotReused(t *testing.T) {
	m, url := newUnitMock(t, nil)
	ht := newHoldingTransport()
	c := newUnitClient(t, url, func(o *Options) { o.Transport = ht })
	ctx := context.Background()
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "old.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})

	type result struct {
		cfg *lazypull.Config
		err error
	}
	early := make(chan result, 1)
	go func() {
		cfg, err := c.Get(ctx, unitDomain, "app")
		early <- result{cfg, err}
	}()
	<-ht.arrived // the service answered "old"; the answer is held

	want := unitConfig(unitDomain, "app")
	want.PullDomainName = "new.example.net"
	if err := c.Set(ctx, want); err != nil {
		t.Fatal(err)
	}
	var releaseOnce sync.Once
	release := func() { releaseOnce.Do(func() { close(ht.release) }) }
	defer release()
	// Bounded, so that a read wrongly waiting for the held Describe fails
	// the test quickly.
	bctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	got, err := c.Get(bctx, unitDomain, "app")
	if err != nil || got == nil || got.PullDomainName != "new.example.net" {
		t.Fatalf("read after Set returned %+v, %v: it joined the Describe in flight before the write", got, err)
	}

	release()
	r := <-early
	if r.err != nil || r.cfg == nil || r.cfg.PullDomainName != "old.example.net" {
		t.Fatalf("the early read returned %+v, %v", r.cfg, r.err)
	}
	got, err = c.Get(ctx, unitDomain, "app")
	if err != nil || got == nil || got.PullDomainName != "new.example.net" {
		t.Fatalf("read after the early Describe finished returned %+v, %v: its stale answer was stored", got, err)
	}
	if n := m.Calls(lazypull.ActionDescribe); n != 2 {
		t.Errorf("%d Describe calls, want 2 (the held one and the one after the Set; the last read from the snapshot)", n)
	}
}

// TestSnapshot_leaderCancelledFollowerRetries: a reader that joined a
// Describe whose owner gave up makes its own Describe instead of failing
// with the other's cancellation.
func TestSnapshot_leaderCancelledFollowerRetries(t *testing.T) {
	m, url := newUnitMock(t, nil)
	ht := newHoldingTransport()
	c := newUnitClient(t, url, func(o *Options) { o.Transport = ht; o.MaxRetries = -1 })
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "o.example.net", PullProtocol: "hls", TranscodeLazy: "no"})

	leaderCtx, cancel := context.WithCancel(context.Background())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := c.Get(leaderCtx, unitDomain, "app")
		leaderErr <- err
	}()
	<-ht.arrived
	follower := make(chan error, 1)
	var got *lazypull.Config
	go func() {
		var err error
		got, err = c.Get(context.Background(), unitDomain, "app")
		follower <- err
	}()
	waitForJoinedReader(t)
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Fatalf("leader: got %v, want its own cancellation", err)
	}
	if err := <-follower; err != nil || got == nil || got.PullProtocol != "hls" {
		t.Fatalf("follower: %+v, %v", got, err)
	}
}

// waitForJoinedReader waits until a goroutine is blocked in snapshots.get
// waiting for another reader's Describe (and not making one of its own).
func waitForJoinedReader(t *testing.T) {
	t.Helper()
	buf := make([]byte, 1<<20)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, "[select") && strings.Contains(g, "(*snapshots).get(") && !strings.Contains(g, "RoundTrip") {
				return
			}
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("no reader joined the Describe in flight")
}

// TestSnapshot_outOfBandChange: a change made by someone else is seen once
// the snapshot's TTL has passed, and at once by a new client.
func TestSnapshot_outOfBandChange(t *testing.T) {
	// The test's clock moves the snapshot's age by halves of an hour; the
	// real time that passes meanwhile is milliseconds.
	const ttl = time.Hour
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) { o.SnapshotTTL = ttl })
	var clock shiftingClock
	c.snapshots.now = clock.now
	ctx := context.Background()
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "old.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})

	if got, _ := c.Get(ctx, unitDomain, "app"); got == nil || got.PullDomainName != "old.example.net" {
		t.Fatalf("first read: %+v", got)
	}
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "changed.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})

	// Within the TTL the snapshot answers.
	clock.advance(ttl / 2)
	if got, _ := c.Get(ctx, unitDomain, "app"); got == nil || got.PullDomainName != "old.example.net" || m.Calls(lazypull.ActionDescribe) != 1 {
		t.Errorf("within the TTL: got %+v after %d Describes, want the snapshot and 1", got, m.Calls(lazypull.ActionDescribe))
	}

	// A new client has no snapshot.
	fresh := newUnitClient(t, url, func(o *Options) { o.SnapshotTTL = ttl })
	if got, _ := fresh.Get(ctx, unitDomain, "app"); got == nil || got.PullDomainName != "changed.example.net" {
		t.Errorf("a new client read %+v, want the out-of-band change", got)
	}
	// Past the TTL the snapshot has expired: the next read asks the service.
	clock.advance(ttl / 2)
	before := m.Calls(lazypull.ActionDescribe)
	if got, _ := c.Get(ctx, unitDomain, "app"); got == nil || got.PullDomainName != "changed.example.net" || m.Calls(lazypull.ActionDescribe) != before+1 {
		t.Errorf("after the TTL the client read %+v with %d new Describes, want the out-of-band change and 1", got, m.Calls(lazypull.ActionDescribe)-before)
	}

	// Fresh bypasses a snapshot that has not expired.
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "again.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	if got, _ := c.Fresh(ctx, unitDomain, "app"); got == nil || got.PullDomainName != "again.example.net" {
		t.Errorf("Fresh read %+v, want the second out-of-band change", got)
	}
}

// TestSnapshot_disabledAndErrors: SnapshotTTL -1 reads every time, and a
// failed Describe is not remembered.
func TestSnapshot_disabledAndErrors(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, func(o *Options) { o.SnapshotTTL = -1 })
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := c.Get(ctx, unitDomain, "app"); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Calls(lazypull.ActionDescribe); n != 3 {
		t.Errorf("with snapshots off, 3 reads sent %d Describes", n)
	}

	m2, url2 := newUnitMock(t, nil)
	c2 := newUnitClient(t, url2, func(o *Options) { o.MaxRetries = -1 })
	m2.InjectServerError(lazypull.ActionDescribe, 1, 500)
	if _, err := c2.Get(ctx, unitDomain, "app"); err == nil {
		t.Fatal("the injected 500 was not reported")
	}
	m2.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "o.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	if got, err := c2.Get(ctx, unitDomain, "app"); err != nil || got == nil {
		t.Fatalf("read after a failed read: %+v %v (the failure was cached)", got, err)
	}
	if n := m2.Calls(lazypull.ActionDescribe); n != 2 {
		t.Errorf("%d Describes, want 2", n)
	}
}

// shiftingClock is the real time plus an offset a test moves forward, for
// a mock whose Describe lags: the signature checks still see the real time.
type shiftingClock struct{ offset atomic.Int64 }

func (c *shiftingClock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *shiftingClock) advance(d time.Duration) { c.offset.Add(int64(d)) }
func describes(m *livemock.Server) int           { return m.Calls(lazypull.ActionDescribe) }
func lagging(clock *shiftingClock, lag time.Duration) []livemock.Option {
	return []livemock.Option{livemock.WithClock(clock.now), livemock.WithBehavior(livemock.Behavior{DescribeLag: lag})}
}

// TestAwait_waitsOutALaggingDescribe: after a write, Describe still shows
// the old value; Await reads again until it shows the new one, and returns
// what the service holds.
func TestAwait_waitsOutALaggingDescribe(t *testing.T) {
	var clock shiftingClock
	m, url := newUnitMock(t, nil, lagging(&clock, 10*time.Second)...)
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "old.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	c := newUnitClient(t, url, nil)
	ctx := context.Background()
	want := unitConfig(unitDomain, "app")
	want.PullDomainName = "new.example.net"
	if err := c.Set(ctx, want); err != nil {
		t.Fatal(err)
	}
	var seen []string
	got, err := c.Await(ctx, unitDomain, "app", func(got *lazypull.Config) bool {
		seen = append(seen, got.PullDomainName)
		if got.PullDomainName != want.PullDomainName {
			clock.advance(10 * time.Second) // the lag passes
			return false
		}
		return true
	})
	if err != nil || got == nil || *got != want {
		t.Fatalf("Await returned %+v, %v; want %+v", got, err, want)
	}
	if strings.Join(seen, ",") != "old.example.net,new.example.net" || describes(m) != 2 {
		t.Fatalf("reads saw %v with %d Describes, want the old value, then the new one, in 2 Describes", seen, describes(m))
	}
}

// TestAwait_notSettled: a value that never shows ends with a
// *NotSettledError that carries the last read, when the context leaves no
// time for another read.
func TestAwait_notSettled(t *testing.T) {
	m, url := newUnitMock(t, nil)
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "other.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	c := newUnitClient(t, url, func(o *Options) { o.BaseDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond })
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	got, err := c.Await(ctx, unitDomain, "app", func(*lazypull.Config) bool { return false })
	var ns *NotSettledError
	if !errors.As(err, &ns) || ns.Last == nil || ns.Last.PullDomainName != "other.example.net" || got == nil || ns.Reads < 1 {
		t.Fatalf("got %+v, %v; want a *NotSettledError with the last read", got, err)
	}
	if ctx.Err() != nil {
		t.Errorf("Await used up the whole context instead of stopping before it ended")
	}
}

// TestAwaitFrom_stopsAtAThirdValue: after a write, a lagging Describe that
// shows what the write replaced is waited out, but one that shows neither
// that nor what was written ends the wait at once, however much time is
// left: the service stored something else.
func TestAwaitFrom_stopsAtAThirdValue(t *testing.T) {
	var clock shiftingClock
	m, url := newUnitMock(t, nil, livemock.WithClock(clock.now),
		livemock.WithBehavior(livemock.Behavior{DescribeLag: 10 * time.Second, StoredForm: livemock.StoredFirstOrigin}))
	m.PutConfig(livemock.Config{DomainName: unitDomain, AppName: "app", PullDomainName: "old.example.net", PullProtocol: "rtmp", TranscodeLazy: "no"})
	c := newUnitClient(t, url, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	want := unitConfig(unitDomain, "app")
	want.PullDomainName = "a.example.net;b.example.net"
	if err := c.Set(ctx, want); err != nil {
		t.Fatal(err)
	}
	var seen []string
	start := time.Now()
	got, err := c.AwaitFrom(ctx, unitDomain, "app",
		func(got *lazypull.Config) bool { return got != nil && *got == want },
		func(got *lazypull.Config) bool {
			seen = append(seen, got.PullDomainName)
			if got.PullDomainName == "old.example.net" {
				clock.advance(10 * time.Second) // the lag passes
				return true
			}
			return false
		})
	var ns *NotSettledError
	if !errors.As(err, &ns) || !ns.Other || got == nil || got.PullDomainName != "a.example.net" || ns.Reads != 2 {
		t.Fatalf("AwaitFrom returned %+v, %v; want a *NotSettledError (Other) after 2 reads, with the first origin only", got, err)
	}
	if strings.Join(seen, ",") != "old.example.net,a.example.net" || time.Since(start) > 10*time.Second {
		t.Errorf("reads saw %v in %s; want the old value, then the stored one, at once", seen, time.Since(start))
	}
}

// TestFresh_concurrentReadsShareDescribes: reads that must follow their
// own writes share Describes instead of making one each, and each still
// sees its own write: 20 writes at once, as a parallel apply makes them,
// then their reads, cost one Describe, where reads without gathering make
// many.
func TestFresh_concurrentReadsShareDescribes(t *testing.T) {
	run := func(gather time.Duration) int {
		m, url := newUnitMock(t, nil)
		c := newUnitClient(t, url, func(o *Options) { o.FreshGather = gather })
		ctx := context.Background()
		var written, read sync.WaitGroup
		written.Add(20)
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			read.Add(1)
			go func() {
				defer read.Done()
				want := unitConfig(unitDomain, appName(i))
				err := c.Set(ctx, want)
				written.Done()
				if err != nil {
					errs <- err
					return
				}
				written.Wait()
				if got, err := c.Fresh(ctx, unitDomain, appName(i)); err != nil || got == nil || *got != want {
					errs <- fmt.Errorf("%s: read %+v after its write (%w)", appName(i), got, err)
				}
			}()
		}
		read.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		return describes(m)
	}
	if n := run(500 * time.Millisecond); n != 1 {
		t.Errorf("20 reads after 20 writes made %d Describe calls; want 1", n)
	}
}

// TestSnapshots_gatherLetsLaterReadersJoin: a read that must follow a write
// which completed after another such read began shares that read's
// Describe only when the first read gathers before starting it.
func TestSnapshots_gatherLetsLaterReadersJoin(t *testing.T) {
	run := func(gather time.Duration) int {
		s := newSnapshots(time.Minute, time.Minute)
		var mu sync.Mutex
		loads := 0
		release := make(chan struct{})
		load := func(ctx context.Context) ([]lazypull.Config, error) {
			mu.Lock()
			loads++
			mu.Unlock()
			<-release
			return []lazypull.Config{unitConfig(unitDomain, "app")}, ctx.Err()
		}
		ctx := context.Background()
		var wg sync.WaitGroup
		read := func() {
			need := s.barrier(unitDomain)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.get(ctx, unitDomain, need, gather, load); err != nil {
					t.Error(err)
				}
			}()
		}
		announced := func() bool {
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.state(unitDomain).inflight != nil
		}
		read()
		for !announced() {
			runtime.Gosched()
		}
		s.wrote(unitDomain, "later", false) // a write that completed after the first read began
		read()
		close(release)
		wg.Wait()
		return loads
	}
	if with, without := run(200*time.Millisecond), run(0); with != 1 || without != 2 {
		t.Fatalf("two reads cost %d Describes gathering and %d without; want 1 and 2", with, without)
	}
}

// TestSnapshot_domainErrorsAreRemembered: a domain that is not in the
// account, or not a Live domain, costs one Describe however many reads
// ask, within the snapshot's lifetime.
func TestSnapshot_domainErrorsAreRemembered(t *testing.T) {
	m, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, nil)
	for _, domain := range []string{"missing.example.com", unitCDN} {
		for i := 0; i < 5; i++ {
			if _, err := c.Get(context.Background(), domain, appName(i)); err == nil {
				t.Fatalf("%s: no error", domain)
			}
		}
	}
	if n := describes(m); n != 2 {
		t.Errorf("10 reads of 2 domains that cannot hold configurations made %d Describes, want 2", n)
	}
}

// TestDeletedHere: a client knows which configurations it deleted, itself
// or through ali_all_app, so that a lagging Describe that still shows them
// is not mistaken for someone else's configuration.
func TestDeletedHere(t *testing.T) {
	_, url := newUnitMock(t, nil)
	c := newUnitClient(t, url, nil)
	ctx := context.Background()
	if c.DeletedHere(unitDomain, "a") {
		t.Fatal("nothing was deleted yet")
	}
	if err := c.Delete(ctx, unitDomain, "a"); err != nil {
		t.Fatal(err)
	}
	if !c.DeletedHere(unitDomain, "a") || c.DeletedHere(unitDomain, "b") {
		t.Fatal("after deleting a: DeletedHere(a) must be true, DeletedHere(b) false")
	}
	if err := c.Delete(ctx, unitDomain2, lazypull.AllApps); err != nil {
		t.Fatal(err)
	}
	if !c.DeletedHere(unitDomain2, "anything") || c.DeletedHere(unitDomain, "b") {
		t.Fatal("deleting ali_all_app deletes every application of its domain, and only there")
	}
}
