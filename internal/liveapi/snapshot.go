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
// resources of one domain costs one call instead of one per resource, and
// so that the reads that must follow this client's own writes share calls.
//
// Every event of a domain, a write this client completed or a reader's
// demand for a read newer than now (a barrier), takes the next number of
// the domain's sequence. A Describe takes the current number when it
// starts: it reflects every write with a number up to its own (as far as
// the service shows them). The rules that keep reads correct:
//   - A read of one application accepts a snapshot or a Describe in flight
//     only if it started after this client's last write to that
//     application (or to ali_all_app of the domain, which deletes every
//     application's configuration); a read of the whole domain only if it
//     started after this client's last write to the domain; a barrier read
//     only if it started after the barrier.
//   - Readers share one Describe in flight when it is new enough for them.
//     A reader for whom it is too old waits for it to end (so that every
//     reader that arrives meanwhile shares the next Describe) for at most
//     coalesceWait, then starts its own.
//   - A reader that must see something newer than now (a barrier, as the
//     reads after writes are) announces its Describe and waits gather before
//     starting it: every reader that arrives meanwhile shares it, as it
//     starts after all of them. The writes of a parallel apply complete
//     close together, so their reads cost a few Describes, not one each.
//   - A snapshot lives at most ttl, and is replaced only by a newer one.
//   - A failed Describe is not remembered, except the answers that say the
//     domain cannot hold configurations at all (not in the account, not a
//     Live domain), which are as good as a list for ttl.
//
// Nothing here copies what a write sent into a snapshot: what the service
// holds is only ever learned from the service.
type snapshots struct {
	ttl          time.Duration
	coalesceWait time.Duration
	now          func() time.Time // time.Now; a test's own clock ages snapshots
	mu           sync.Mutex
	domains      map[string]*domainState
}

type domainState struct {
	seq uint64
	// lastWrite is the sequence number of this client's last completed
	// write per application; lastWriteAll that of its last write to the
	// domain as a whole (a delete of ali_all_app), lastWriteAny that of its
	// last write of any kind.
	lastWrite    map[string]uint64
	lastWriteAll uint64
	lastWriteAny uint64
	// deleted records the applications this client deleted (allDeleted:
	// ali_all_app), so that a Describe that still shows them can be told
	// apart from a configuration someone else made.
	deleted    map[string]bool
	allDeleted bool

	snap     *fetch
	snapAt   time.Time
	inflight *fetch // the newest Describe in flight
}

type fetch struct {
	// pending is true while an announced Describe waits to start: it will
	// see everything that happens before it starts.
	pending bool
	seq     uint64
	done    chan struct{}
	configs []lazypull.Config
	err     error
}

func newSnapshots(ttl, coalesceWait time.Duration) *snapshots {
	return &snapshots{ttl: ttl, coalesceWait: coalesceWait, now: time.Now, domains: map[string]*domainState{}}
}

func (s *snapshots) state(domain string) *domainState {
	st, ok := s.domains[domain]
	if !ok {
		st = &domainState{lastWrite: map[string]uint64{}, deleted: map[string]bool{}}
		s.domains[domain] = st
	}
	return st
}

// need returns the sequence number a read of app must start after: the
// last write that affects it, or for app "" the last write to the domain.
func (st *domainState) need(app string) uint64 {
	if app == "" {
		return st.lastWriteAny
	}
	return max(st.lastWrite[app], st.lastWriteAll)
}

// get returns every configuration of domain as a Describe that started
// at or after sequence number need saw them: from the snapshot, from a
// Describe in flight, or from a new Describe made with load. The returned
// slice is shared: callers must not modify it.
// With gather > 0 a new Describe starts only after gather, and readers that
// arrive meanwhile share it.
func (s *snapshots) get(ctx context.Context, domain string, need uint64, gather time.Duration, load func(context.Context) ([]lazypull.Config, error)) ([]lazypull.Config, error) {
	if s.ttl < 0 {
		return load(ctx)
	}
	waited := false
	for {
		s.mu.Lock()
		st := s.state(domain)
		if st.snap != nil && st.snap.seq >= need && s.now().Sub(st.snapAt) < s.ttl {
			f := st.snap
			s.mu.Unlock()
			return f.configs, f.err
		}
		if f := st.inflight; f != nil && (f.pending || f.seq >= need) {
			s.mu.Unlock()
			if err := wait(ctx, f.done, 0); err != nil {
				return nil, err
			}
			// The leader's own context may have ended; that is not ours.
			if f.err != nil && ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
				continue
			}
			return f.configs, f.err
		} else if f != nil && !waited {
			// Too old for this reader: let it end, so that the readers
			// arriving meanwhile share the next Describe, but not for long.
			s.mu.Unlock()
			err := wait(ctx, f.done, s.coalesceWait)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			waited = err != nil
			continue
		}
		f := &fetch{seq: st.seq, done: make(chan struct{}), pending: gather > 0}
		st.inflight = f
		s.mu.Unlock()

		if gather > 0 {
			_ = sleep(ctx, gather) // a context that ended fails the load below
			s.mu.Lock()
			f.seq, f.pending = st.seq, false
			s.mu.Unlock()
		}
		if f.err = ctx.Err(); f.err == nil {
			f.configs, f.err = load(ctx)
		}

		s.mu.Lock()
		if st.inflight == f {
			st.inflight = nil
		}
		if (f.err == nil || domainCannotHold(f.err)) && (st.snap == nil || f.seq >= st.snap.seq) {
			st.snap, st.snapAt = f, s.now()
		}
		s.mu.Unlock()
		close(f.done)
		return f.configs, f.err
	}
}

// wait waits for done, for at most limit when limit > 0. It returns
// ctx.Err() when the context ends first and errCoalesceWait when the limit
// passes first.
func wait(ctx context.Context, done <-chan struct{}, limit time.Duration) error {
	var timeout <-chan time.Time
	if limit > 0 {
		t := time.NewTimer(limit)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timeout:
		return errCoalesceWait
	}
}

var errCoalesceWait = errors.New("the Describe in flight did not end within the coalescing wait")

// needFor returns the sequence number a read of (domain, app) must start
// after; app "" reads the whole domain.
func (s *snapshots) needFor(domain, app string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state(domain).need(app)
}

// barrier returns a sequence number that only a Describe starting after
// now reaches.
func (s *snapshots) barrier(domain string) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(domain)
	st.seq++
	return st.seq
}

// wrote records that this client completed a write of (domain, app),
// whatever its outcome: a write that failed may have been applied all the
// same. deleted says whether it was a delete.
func (s *snapshots) wrote(domain, app string, deleted bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(domain)
	st.seq++
	st.lastWriteAny = st.seq
	if app == lazypull.AllApps && deleted {
		st.lastWriteAll = st.seq
		st.allDeleted = true
	}
	st.lastWrite[app] = st.seq
	if deleted {
		st.deleted[app] = true
	}
}

// deletedHere reports whether this client deleted the configuration of
// (domain, app), itself or through ali_all_app.
func (s *snapshots) deletedHere(domain, app string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.state(domain)
	return st.deleted[app] || st.allDeleted
}

// domainCannotHold reports whether err says that the domain cannot hold
// lazy-pull configurations at all: it is not in the account, or it is not
// a Live domain.
func domainCannotHold(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.Code == CodeDomainNotFound || apiErr.Code == CodeIllegalOperation)
}
