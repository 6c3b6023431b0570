// Tests of InjectDelayAfterApply, Held and WaitHeld: a held write is
// applied before the answer and survives a client that goes away, while
// InjectDelay holds a request before applying it.

package livemock

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/alicloud-live/terraform-provider-alicloud/internal/lazypull"
)

// startSet sends a Set of (live.example.com, app) that is abandoned when ctx
// is done; the returned channel yields the HTTP status, or 0 on a
// transport error.
func (h *harness) startSet(ctx context.Context, app string) <-chan int {
	p := h.params(lazypull.ActionSet, setParams("live.example.com", app, "o.example.net", "rtmp"))
	v := SignedValues(http.MethodPost, p, testSecret)
	done := make(chan int, 1)
	go func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.ts.URL+"/?"+v.Encode(), nil)
		if err != nil {
			done <- 0
			return
		}
		resp, err := h.ts.Client().Do(req)
		if err != nil {
			done <- 0
			return
		}
		_ = resp.Body.Close()
		done <- resp.StatusCode
	}()
	return done
}

// waitHeldSets waits until exactly n Set requests are held.
func waitHeldSets(t *testing.T, m *Server, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := m.WaitHeld(ctx, lazypull.ActionSet, n); err != nil {
		t.Fatalf("waiting for %d held Set requests (now %d): %v", n, m.Held(lazypull.ActionSet), err)
	}
}

func TestInjectDelayAfterApply(t *testing.T) {
	h := newHarness(t, nil)
	const n = 10
	h.mock.InjectDelayAfterApply(lazypull.ActionSet, n, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var answers []<-chan int
	for i := 0; i < n; i++ {
		answers = append(answers, h.startSet(ctx, "app"+string(rune('a'+i))))
	}
	waitHeldSets(t, h.mock, n)

	// Every write is applied while its answer is still held.
	if got := len(h.mock.Configs("live.example.com")); got != n {
		t.Fatalf("%d configurations applied while %d answers are held", got, n)
	}
	for i, a := range answers {
		select {
		case st := <-a:
			t.Fatalf("request %d answered %d before the delay", i, st)
		default:
		}
	}

	// The clients go away: the writes stay.
	cancel()
	for _, a := range answers {
		if st := <-a; st != 0 {
			t.Fatalf("abandoned request answered %d", st)
		}
	}
	waitHeldSets(t, h.mock, 0)
	if got := len(h.mock.Configs("live.example.com")); got != n {
		t.Fatalf("%d configurations left after the clients went away, want %d", got, n)
	}
	for _, r := range h.mock.Requests() {
		if r.Status != statusClientWentAway {
			t.Fatalf("request recorded with status %d, want %d", r.Status, statusClientWentAway)
		}
	}

	// Once the queue is empty, requests are answered at once.
	h.expectOK(h.call(lazypull.ActionSet, setParams("live.example.com", "next", "o.example.net", "rtmp")))
}

func TestInjectDelayAfterApplyAnswers(t *testing.T) {
	h := newHarness(t, nil)
	h.mock.InjectDelayAfterApply(lazypull.ActionSet, 1, time.Millisecond)
	a := h.call(lazypull.ActionSet, setParams("live.example.com", "a", "o.example.net", "rtmp"))
	h.expectOK(a)
	if a.Body["RequestId"] == "" {
		t.Fatalf("no RequestId in %s", a.Raw)
	}
	if h.mock.Held(lazypull.ActionSet) != 0 || h.mock.FaultsServed() != 1 {
		t.Fatalf("held %d, served %d after the answer", h.mock.Held(lazypull.ActionSet), h.mock.FaultsServed())
	}
}

func TestInjectDelayHoldsBeforeApplying(t *testing.T) {
	h := newHarness(t, nil)
	h.mock.InjectDelay(lazypull.ActionSet, 1, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	answer := h.startSet(ctx, "a")
	waitHeldSets(t, h.mock, 1)
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("InjectDelay applied the write before the delay")
	}
	cancel()
	<-answer
	waitHeldSets(t, h.mock, 0)
	if _, ok := h.mock.Config("live.example.com", "a"); ok {
		t.Fatal("an abandoned InjectDelay request was applied")
	}
}

func TestWaitHeldGivesUp(t *testing.T) {
	m := New()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.WaitHeld(ctx, lazypull.ActionSet, 1); err == nil {
		t.Fatal("WaitHeld returned nil with nothing held and ctx done")
	}
}
