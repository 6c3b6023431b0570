// Package ratelimit keeps API calls under a quota of the form "N calls per
// window", as Alibaba Cloud enforces it: per account, per action, over a
// sliding window. Calls past the quota wait on the client instead of being
// rejected by the service.
package ratelimit

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// DefaultPerMinute is the documented quota of each lazy-pull action: 1,000
// calls per minute per account.
const DefaultPerMinute = 1000

// margin separates a call from the window of the call limit places before
// it, so that equal timestamps on the service cannot count as inside.
const margin = 2 * time.Millisecond

// Limiter admits at most limit calls in any interval of length window, as
// the service counts them: by arrival. It is a sliding-window log of the
// last limit calls, and it times the window from when each call
// completed, not from when it was sent: a call arrives at the service after
// it is sent and before its answer comes back, so a call sent one window
// after the completion of the call limit places before it also arrives more
// than one window after that call arrived, however the network delays each.
// Safe for concurrent use.
type Limiter struct {
	limit  int
	window time.Duration
	now    func() time.Time
	// recordDone, when set, is told when each call completed.
	recordDone func(time.Time)

	mu    sync.Mutex
	slots []*slot // ring of the last limit calls, reserved or completed
	next  int     // index of the oldest slot once the ring is full
}

// slot is one call. done is closed when the call completed; at is then its
// completion time.
type slot struct {
	at   time.Time
	done chan struct{}
}

// Ticket is a call admitted by Wait. Done must be called once the call has
// completed (answered, failed or abandoned).
type Ticket struct {
	l *Limiter
	s *slot
}

// Done records that the call completed.
func (t *Ticket) Done() {
	if t == nil || t.s == nil {
		return
	}
	at := t.l.now()
	t.s.at = at
	close(t.s.done)
	t.s = nil
	if t.l.recordDone != nil {
		t.l.recordDone(at)
	}
}

// New returns a Limiter for limit calls per window. A limit below 1 admits
// every call at once.
func New(limit int, window time.Duration) *Limiter {
	return newWithClock(limit, window, time.Now)
}

func newWithClock(limit int, window time.Duration, now func() time.Time) *Limiter {
	l := &Limiter{limit: limit, window: window, now: now}
	if limit > 0 {
		l.slots = make([]*slot, 0, limit)
	}
	return l
}

// seed records calls that completed at the given times, oldest first, as if
// this limiter had made them: calls of other processes that the service
// still counts.
func (l *Limiter) seed(completed []time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, at := range completed {
		s := &slot{at: at, done: make(chan struct{})}
		close(s.done)
		l.push(s)
	}
}

// Limit returns the configured number of calls per window.
func (l *Limiter) Limit() int { return l.limit }

// Window returns the configured window.
func (l *Limiter) Window() time.Duration { return l.window }

// reserve books a slot for a new call and returns the call limit places
// before it, which the new call must wait for, or nil.
func (l *Limiter) reserve() (mine, before *slot) {
	mine = &slot{done: make(chan struct{})}
	l.mu.Lock()
	defer l.mu.Unlock()
	return mine, l.push(mine)
}

// push puts s into the ring as the newest call and returns the call it
// displaced, limit places before s, or nil while the ring is not full.
// The caller holds l.mu.
func (l *Limiter) push(s *slot) (displaced *slot) {
	if len(l.slots) < l.limit {
		l.slots = append(l.slots, s)
		return nil
	}
	displaced = l.slots[l.next]
	l.slots[l.next] = s
	l.next = (l.next + 1) % l.limit
	return displaced
}

// readyAt is when a call may be sent, once before has completed.
func (l *Limiter) readyAt(before *slot) time.Time {
	return before.at.Add(l.window + margin)
}

// Wait blocks until a call may be sent, or until ctx ends, and returns the
// time it waited. The caller must call Done on the ticket when the call has
// completed, also when Wait returned an error.
func (l *Limiter) Wait(ctx context.Context) (*Ticket, time.Duration, error) {
	if l.limit <= 0 {
		return nil, 0, ctx.Err()
	}
	start := l.now()
	mine, before := l.reserve()
	t := &Ticket{l: l, s: mine}
	if before == nil {
		return t, 0, ctx.Err()
	}
	select {
	case <-before.done:
	case <-ctx.Done():
		return t, l.now().Sub(start), ctx.Err()
	}
	if d := l.readyAt(before).Sub(l.now()); d > 0 {
		timer := time.NewTimer(d)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-ctx.Done():
			return t, l.now().Sub(start), ctx.Err()
		}
	}
	return t, l.now().Sub(start), nil
}

// Set is a family of limiters, one per action, that share a quota
// definition: the account's limit applies to each action separately.
type Set struct {
	limit   int
	window  time.Duration
	journal *journal

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
		if j := s.journal; j != nil && s.limit > 0 {
			l.seed(j.recent(action, l.now().Add(-s.window-margin), s.limit))
			l.recordDone = func(at time.Time) { j.record(action, at) }
		}
		s.byAction[action] = l
	}
	return l
}

var (
	registryMu sync.Mutex
	registry   = map[string]*Set{}
)

// JournalDir is where Shared keeps the journals that carry an account's
// recent calls from one provider process to the next; "" keeps every
// process to its own calls.
var JournalDir = defaultJournalDir()

func defaultJournalDir() string {
	if d := os.Getenv("ALICLOUD_LIVE_RATE_JOURNAL_DIR"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "terraform-provider-alicloud", "ratelimit")
}

// Shared returns the process-wide limiter set for one account at one
// endpoint, so that every provider configuration and every resource in this
// process draws from the same quota, and which starts with the calls the
// account's earlier provider processes made in the current window (see
// journal). When provider blocks for the same account ask for different
// limits, the first one wins until the process ends: the quota belongs to
// the account, not to a block.
func Shared(key string, limit int, window time.Duration) *Set {
	registryMu.Lock()
	defer registryMu.Unlock()
	if s, ok := registry[key]; ok && s.limit <= limit {
		return s
	}
	// A stricter limit replaces a looser one for everyone that asks later.
	s := NewSet(limit, window)
	s.journal = openJournal(JournalDir, key)
	registry[key] = s
	return s
}
