package liveapi

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// snapshots keeps, per domain, the list of every lazy-pull configuration
// of the domain as one Describe returned it, so that a refresh of many
// resources of one domain costs one call instead of one per resource.
//
// The rules that keep it correct:
//   - Concurrent readers of a domain share one Describe in flight.
//   - A snapshot lives at most ttl.
//   - Every write this client makes to a domain bumps the domain's
//     generation. A Describe that began before a write completed is neither
//     stored nor joined by readers that come after the write, so a read
//     after a write never sees data older than the write.
//   - A write that succeeded is applied to a current snapshot (write-through),
//     so the snapshot then holds exactly what the service holds after the
//     write; a write that failed, whose outcome is unknown, drops it.
type snapshots struct {
	ttl     time.Duration
	mu      sync.Mutex
	domains map[string]*domainState
}

type domainState struct {
	gen      uint64
	snap     []lazypull.Config
	snapAt   time.Time
	hasSnap  bool
	inflight *fetch
}

type fetch struct {
	gen     uint64
	done    chan struct{}
	configs []lazypull.Config
	err     error
}

func newSnapshots(ttl time.Duration) *snapshots {
	return &snapshots{ttl: ttl, domains: map[string]*domainState{}}
}

func (s *snapshots) state(domain string) *domainState {
	st, ok := s.domains[domain]
	if !ok {
		st = &domainState{}
		s.domains[domain] = st
	}
	return st
}

// get returns every configuration of domain, from a fresh-enough snapshot,
// a Describe already in flight, or a new Describe made with load. The
// returned slice is shared: callers must not modify it.
func (s *snapshots) get(ctx context.Context, domain string, load func(context.Context) ([]lazypull.Config, error)) ([]lazypull.Config, error) {
	if s.ttl < 0 {
		return load(ctx)
	}
	for {
		s.mu.Lock()
		st := s.state(domain)
		if st.hasSnap && time.Since(st.snapAt) < s.ttl {
			configs := st.snap
			s.mu.Unlock()
			return configs, nil
		}
		if f := st.inflight; f != nil && f.gen == st.gen {
			s.mu.Unlock()
			select {
			case <-f.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			// The leader's own context may have ended; that is not ours.
			if f.err != nil && ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
				continue
			}
			return f.configs, f.err
		}
		f := &fetch{gen: st.gen, done: make(chan struct{})}
		st.inflight = f
		s.mu.Unlock()

		f.configs, f.err = load(ctx)

		s.mu.Lock()
		if st.inflight == f {
			st.inflight = nil
		}
		if f.err == nil && st.gen == f.gen {
			st.snap, st.snapAt, st.hasSnap = f.configs, time.Now(), true
		}
		s.mu.Unlock()
		close(f.done)
		return f.configs, f.err
	}
}

// invalidate records that a write to domain may have happened: the
// snapshot is dropped.
func (s *snapshots) invalidate(domain string) {
	s.applyWrite(domain, nil)
}

// applyWrite records that a write to domain has completed. With apply, a
// current snapshot is updated to what the service holds after the write;
// without it, or with no current snapshot, the snapshot is dropped.
func (s *snapshots) applyWrite(domain string, apply func([]lazypull.Config) []lazypull.Config) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(domain)
	st.gen++
	if apply == nil || !st.hasSnap || time.Since(st.snapAt) >= s.ttl {
		st.snap, st.hasSnap = nil, false
		return
	}
	// Readers may hold the old slice: never modify it in place.
	st.snap = apply(slices.Clone(st.snap))
}

// upsert returns list with cfg in place of the entry of its application.
func upsert(list []lazypull.Config, cfg lazypull.Config) []lazypull.Config {
	for i := range list {
		if list[i].AppName == cfg.AppName {
			list[i] = cfg
			return list
		}
	}
	return append(list, cfg)
}

// without returns list without the entries Delete of app removes: the
// application's, or every one for lazypull.AllApps.
func without(list []lazypull.Config, app string) []lazypull.Config {
	if app == lazypull.AllApps {
		return list[:0]
	}
	return slices.DeleteFunc(list, func(c lazypull.Config) bool { return c.AppName == app })
}
