package ratelimit

// The rate limiter: no window at the service ever holds more calls than
// the limit, through Wait and Ticket.Done; slots, unlimited limiters,
// canceled waits, and quotas shared per account.

import (
	"context"
	"fmt"
	"runtime"
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

// TestNoWindowHoldsMoreThanLimitAtTheService sends calls through Wait and
// Ticket.Done from concurrent goroutines, whose calls overlap, and checks
// what the service enforces: over any sliding window, at most limit calls
// are sent.
func TestNoWindowHoldsMoreThanLimitAtTheService(t *testing.T) {
	const limit, calls, workers = 5, 60, 8
	window := 20 * time.Millisecond
	l := New(limit, window)
	var mu sync.Mutex
	var sends []time.Time
	next := make(chan int, calls)
	for i := 0; i < calls; i++ {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range next {
				ticket, _, err := l.Wait(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				sends = append(sends, time.Now())
				mu.Unlock()
				// Let the other workers' calls overlap this one.
				runtime.Gosched()
				ticket.Done()
			}
		}()
	}
	wg.Wait()
	sort.Slice(sends, func(i, j int) bool { return sends[i].Before(sends[j]) })
	for i := limit; i < len(sends); i++ {
		if gap := sends[i].Sub(sends[i-limit]); gap <= window {
			t.Fatalf("calls %d and %d were sent %v apart: %d calls inside one %v window", i-limit, i, gap, limit+1, window)
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

// TestJournalCarriesCallsToTheNextProcess: the calls one provider process
// made are counted by the next one of the same account, as the service
// counts them: Terraform runs the plan and the apply in two processes.
func TestJournalCarriesCallsToTheNextProcess(t *testing.T) {
	dir := t.TempDir()
	const limit = 3
	first := NewSet(limit, time.Minute)
	first.journal = openJournal(dir, "endpoint|account")
	for i := 0; i < limit; i++ {
		ticket, _, err := first.For("Describe").Wait(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ticket.Done()
	}
	// A call past the quota waits for the window (a minute), so a wait
	// bounded well below it ends with the context's error.
	bounded, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	next := NewSet(limit, time.Minute) // a new process of the same account
	next.journal = openJournal(dir, "endpoint|account")
	ticket, _, err := next.For("Describe").Wait(bounded)
	ticket.Done()
	if err == nil {
		t.Fatal("the next process admitted a call although the previous one used the whole window")
	}
	for name, s := range map[string]*Set{"another action": next, "another account": NewSet(limit, time.Minute)} {
		if name == "another account" {
			s.journal = openJournal(dir, "endpoint|another account")
		}
		action := map[string]string{"another action": "Set", "another account": "Describe"}[name]
		ticket, waited, err := s.For(action).Wait(context.Background())
		ticket.Done()
		if err != nil || waited != 0 {
			t.Fatalf("%s: waited %v, %v; its quota is its own", name, waited, err)
		}
	}
}
