package liveapi

import (
	"context"
	"errors"
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
//   - Every write this client makes to a domain (successful or not) bumps the
//     domain's generation and drops its snapshot. A Describe that began
//     before a write completed is neither stored nor joined by readers that
//     come after the write, so a read after a write never sees data older
//     than the write.
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

// invalidate records that a write to domain has completed (or may have).
func (s *snapshots) invalidate(domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(domain)
	st.gen++
	st.snap, st.hasSnap = nil, false
}
