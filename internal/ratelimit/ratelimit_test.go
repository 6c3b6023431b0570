package ratelimit

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"testing"
	"time"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestNoWindowHoldsMoreThanLimitAtTheService simulates calls whose network
// delays vary (a slow first batch on new connections, then fast ones) and
// checks what the service enforces: over any sliding window, at most limit
// calls arrive.
func TestNoWindowHoldsMoreThanLimitAtTheService(t *testing.T) {
	const limit, calls = 5, 300
	window := 100 * time.Millisecond
	rng := rand.New(rand.NewPCG(1, 2))
	clock := &fakeClock{t: time.Unix(0, 0)}
	l := newWithClock(limit, window, clock.now)
	var arrivals []time.Time
	sendFloor := clock.now()
	for i := 0; i < calls; i++ {
		mine, before := l.reserve()
		send := sendFloor
		if before != nil {
			if ready := l.readyAt(before); ready.After(send) {
				send = ready
			}
		}
		// Up to 30 ms to reach the service for the first batch, then up
		// to 2 ms; the answer takes as long again.
		maxDelay := 2 * time.Millisecond
		if i < limit {
			maxDelay = 30 * time.Millisecond
		}
		up := time.Duration(rng.Int64N(int64(maxDelay)))
		down := time.Duration(rng.Int64N(int64(maxDelay)))
		arrivals = append(arrivals, send.Add(up))
		clock.set(send.Add(up + down))
		mine.at = clock.now()
		close(mine.done)
		// Calls overlap: the next one may be sent before this one completed.
		sendFloor = send.Add(time.Duration(rng.Int64N(int64(time.Millisecond))))
	}
	sort.Slice(arrivals, func(i, j int) bool { return arrivals[i].Before(arrivals[j]) })
	for i := limit; i < len(arrivals); i++ {
		if gap := arrivals[i].Sub(arrivals[i-limit]); gap <= window {
			t.Fatalf("arrivals %d and %d are %v apart: %d calls inside one %v window", i-limit, i, gap, limit+1, window)
		}
	}
}

func TestReserveWaitsForTheCallLimitPlacesBefore(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1000, 0)}
	l := newWithClock(2, time.Second, clock.now)
	first, before := l.reserve()
	if before != nil {
		t.Fatal("the first call must not wait")
	}
	if _, before = l.reserve(); before != nil {
		t.Fatal("the second call of a limit of 2 must not wait")
	}
	_, before = l.reserve()
	if before != first {
		t.Fatal("the third call must wait for the first")
	}
	first.at = time.Unix(1005, 0)
	close(first.done)
	if got, want := l.readyAt(before), time.Unix(1006, 0).Add(margin); !got.Equal(want) {
		t.Fatalf("ready at %v, want one window after the first call completed (%v)", got, want)
	}
}

func TestUnlimitedNeverWaits(t *testing.T) {
	l := New(0, time.Minute)
	for i := 0; i < 100; i++ {
		ticket, d, err := l.Wait(context.Background())
		if d != 0 || err != nil {
			t.Fatalf("unlimited limiter waited %v, %v", d, err)
		}
		ticket.Done()
	}
}

func TestWaitBlocksOnAnUnfinishedCallUntilContextEnds(t *testing.T) {
	l := New(1, time.Nanosecond)
	first, _, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	second, _, err := l.Wait(ctx)
	if err == nil {
		t.Fatal("a call past the limit was admitted while the call before it had not completed")
	}
	second.Done()
	first.Done()
	third, _, err := l.Wait(context.Background())
	if err != nil {
		t.Fatalf("once earlier calls completed and the window passed, a call must be admitted: %v", err)
	}
	third.Done()
	third.Done() // idempotent
}

func TestSharedIsPerKeyAndKeepsTheStricterLimit(t *testing.T) {
	keyA, keyB := fmt.Sprintf("a-%p", t), fmt.Sprintf("b-%p", t)
	a := Shared(keyA, 100, time.Minute)
	if Shared(keyA, 200, time.Minute) != a {
		t.Fatal("a looser limit for the same account must reuse the existing set")
	}
	stricter := Shared(keyA, 10, time.Minute)
	if stricter == a || stricter.For("X").Limit() != 10 {
		t.Fatal("a stricter limit for the same account must take effect")
	}
	if Shared(keyB, 100, time.Minute) == stricter {
		t.Fatal("different accounts must not share a quota")
	}
	s := NewSet(4, time.Second)
	first := s.For("Set")
	if s.For("Set") != first || first == s.For("Delete") {
		t.Fatal("each action needs exactly one limiter")
	}
}
