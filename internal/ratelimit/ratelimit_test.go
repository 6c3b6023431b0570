package ratelimit

import (
	"context"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestReserveAdmitsLimitThenSchedulesOneWindowLater(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	l := newWithClock(3, time.Second, clock.now)
	for i := 0; i < 3; i++ {
		if d := l.reserve(); d != 0 {
			t.Fatalf("call %d within the limit waited %v", i+1, d)
		}
	}
	// The 4th to 6th calls must wait one window (plus margin) after the 1st to 3rd.
	for i := 0; i < 3; i++ {
		if d := l.reserve(); d != time.Second+margin {
			t.Fatalf("call %d past the limit waits %v, want %v", i+4, d, time.Second+margin)
		}
	}
	// The 7th is scheduled a window after the 4th.
	if d := l.reserve(); d != 2*(time.Second+margin) {
		t.Fatalf("call 7 waits %v, want %v", d, 2*(time.Second+margin))
	}
	clock.advance(10 * time.Second)
	if d := l.reserve(); d != 0 {
		t.Fatalf("after the window passed, a call waited %v", d)
	}
}

// TestNoWindowHoldsMoreThanLimit checks the invariant the service enforces:
// over any sliding window, at most limit calls are sent.
func TestNoWindowHoldsMoreThanLimit(t *testing.T) {
	clock := &fakeClock{t: time.Unix(0, 0)}
	const limit, calls = 5, 200
	window := 100 * time.Millisecond
	l := newWithClock(limit, window, clock.now)
	var sent []time.Time
	for i := 0; i < calls; i++ {
		d := l.reserve()
		sent = append(sent, clock.now().Add(d))
		clock.advance(time.Duration(i%7) * time.Millisecond)
	}
	for i := limit; i < len(sent); i++ {
		if gap := sent[i].Sub(sent[i-limit]); gap < window {
			t.Fatalf("calls %d and %d are %v apart: %d calls inside one %v window", i-limit, i, gap, limit+1, window)
		}
	}
}

func TestUnlimitedNeverWaits(t *testing.T) {
	l := New(0, time.Minute)
	for i := 0; i < 100; i++ {
		if d, err := l.Wait(context.Background()); d != 0 || err != nil {
			t.Fatalf("unlimited limiter waited %v, %v", d, err)
		}
	}
}

func TestWaitHonoursContext(t *testing.T) {
	l := New(1, time.Hour)
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Wait(ctx); err == nil {
		t.Fatal("Wait past the limit with a canceled context returned no error")
	}
}

func TestSharedIsPerKeyAndKeepsTheStricterLimit(t *testing.T) {
	a := Shared("test-account-a", 100, time.Minute)
	if Shared("test-account-a", 200, time.Minute) != a {
		t.Fatal("a looser limit for the same account must reuse the existing set")
	}
	stricter := Shared("test-account-a", 10, time.Minute)
	if stricter == a || stricter.For("X").Limit() != 10 {
		t.Fatal("a stricter limit for the same account must take effect")
	}
	if Shared("test-account-b", 100, time.Minute) == stricter {
		t.Fatal("different accounts must not share a quota")
	}
	s := NewSet(4, time.Second)
	first := s.For("Set")
	if s.For("Set") != first || first == s.For("Delete") {
		t.Fatal("each action needs exactly one limiter")
	}
}
