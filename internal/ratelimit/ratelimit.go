// Package ratelimit keeps API calls under a quota of the form "N calls per
// window", as Alibaba Cloud enforces it: per account, per action, over a
// sliding window. Calls past the quota wait on the client instead of being
// rejected by the service.
package ratelimit

import (
	"context"
	"sync"
	"time"
)

// DefaultPerMinute is the documented quota of each lazy-pull action: 1,000
// calls per minute per account.
const DefaultPerMinute = 1000

// margin is added to the window so that jitter in network latency between
// two calls cannot make the service see N+1 calls inside one window.
const margin = 20 * time.Millisecond

// Limiter admits at most limit calls in any interval of length window. It is
// a sliding-window log: it remembers the send times of the last limit calls
// (reservations included) and schedules each new call no earlier than one
// window after the call limit places before it. Safe for concurrent use.
type Limiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	times []time.Time // ring of the last limit reserved send times
	next  int         // index of the oldest entry once the ring is full
}

// New returns a Limiter for limit calls per window. A limit below 1 admits
// every call at once.
func New(limit int, window time.Duration) *Limiter {
	return newWithClock(limit, window, time.Now)
}

func newWithClock(limit int, window time.Duration, now func() time.Time) *Limiter {
	l := &Limiter{limit: limit, window: window, now: now}
	if limit > 0 {
		l.times = make([]time.Time, 0, limit)
	}
	return l
}

// Limit returns the configured number of calls per window.
func (l *Limiter) Limit() int { return l.limit }

// Window returns the configured window.
func (l *Limiter) Window() time.Duration { return l.window }

// reserve books the next send time and returns how long the caller must wait
// for it.
func (l *Limiter) reserve() time.Duration {
	if l.limit <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at := now
	if len(l.times) < l.limit {
		l.times = append(l.times, at)
		return 0
	}
	if earliest := l.times[l.next].Add(l.window + margin); earliest.After(at) {
		at = earliest
	}
	l.times[l.next] = at
	l.next = (l.next + 1) % l.limit
	return at.Sub(now)
}

// Wait blocks until a call may be sent, or until ctx ends. A reservation
// abandoned through ctx still counts, which errs on the side of the quota.
func (l *Limiter) Wait(ctx context.Context) (time.Duration, error) {
	d := l.reserve()
	if d <= 0 {
		return 0, ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return d, nil
	case <-ctx.Done():
		return d, ctx.Err()
	}
}

// Set is a family of limiters, one per action, that share a quota
// definition: the account's limit applies to each action separately.
type Set struct {
	limit  int
	window time.Duration

	mu       sync.Mutex
	byAction map[string]*Limiter
}

// NewSet returns limiters of limit calls per window for each action.
func NewSet(limit int, window time.Duration) *Set {
	return &Set{limit: limit, window: window, byAction: map[string]*Limiter{}}
}

// For returns the limiter of one action.
func (s *Set) For(action string) *Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.byAction[action]
	if !ok {
		l = New(s.limit, s.window)
		s.byAction[action] = l
	}
	return l
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Set{}
)

// Shared returns the process-wide limiter set for one account at one
// endpoint, so that every provider configuration and every resource in this
// process draws from the same quota. When provider blocks for the same
// account ask for different limits, the first one wins until the process
// ends: the quota belongs to the account, not to a block.
func Shared(key string, limit int, window time.Duration) *Set {
	registryMu.Lock()
	defer registryMu.Unlock()
	if s, ok := registry[key]; ok && s.limit <= limit {
		return s
	}
	// A stricter limit replaces a looser one for everyone that asks later.
	s := NewSet(limit, window)
	registry[key] = s
	return s
}
