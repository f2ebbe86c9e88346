package engine_test

// schedule_test.go: re-tests on a schedule, with a clock the test moves:
// what is due is tested and the rest is not, the Upgates lockout guard and
// a platform's rate limit hold, and a connection being tested by hand is
// left to that test.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
	"storelink/engine"
	"storelink/vault"
)

// clock is a time the test sets.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

// scheduled is an engine over a real vault with Upgates and the demo platform,
// on clk.
func scheduled(t *testing.T, clk *clock) *engine.Engine {
	t.Helper()
	store, err := vault.Open(t.TempDir(), vault.NewMemorySecrets())
	if err != nil {
		t.Fatal(err)
	}
	reg := registry()
	reg.Register(upgates.Info())
	eng := engine.New(engine.Deps{Store: store, Registry: reg, Now: clk.Now})
	t.Cleanup(func() { eng.Close() })
	return eng
}

func save(t *testing.T, eng *engine.Engine, app string, values connectors.Values, verify bool) {
	t.Helper()
	out, err := eng.Create(context.Background(), engine.Draft{App: app, Values: values}, engine.SaveOptions{NoVerify: !verify})
	if err != nil || !out.Saved {
		t.Fatalf("create %s: %v %+v", values["name"], err, out.Result)
	}
}

func testedNames(r engine.Round) []string {
	var out []string
	for _, s := range r.Tested {
		if s.Tested.Skipped == "" {
			out = append(out, s.Tested.Name)
		}
	}
	return out
}

func planOf(t *testing.T, r engine.Round, name string) engine.Plan {
	t.Helper()
	for _, p := range r.Plans {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no plan for %s in %+v", name, r.Plans)
	return engine.Plan{}
}

func TestScheduleTestsWhatIsDueAndSkipsTheRest(t *testing.T) {
	clk := newClock()
	eng := scheduled(t, clk)
	s := newShop(t)
	values := func(name string) connectors.Values {
		return connectors.Values{"name": name, "url": s.URL, "api_key": goodKey}
	}
	save(t, eng, "demo", values("Old"), true)
	save(t, eng, "demo", values("Never"), false)
	clk.add(40 * time.Minute)
	save(t, eng, "demo", values("Recent"), true)
	clk.add(30 * time.Minute) // Old: 70 min, Recent: 30 min

	before := s.requests.Load()
	round, err := eng.RunSchedule(context.Background(), engine.Schedule{Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(testedNames(round), ","); got != "Never,Old" {
		t.Errorf("tested %q, want Never,Old", got)
	}
	if n := s.requests.Load() - before; n != 2 {
		t.Errorf("%d requests reached the shop, want 2", n)
	}
	if p := planOf(t, round, "Recent"); p.Due || !p.Next.Equal(clk.Now().Add(30*time.Minute)) {
		t.Errorf("Recent: %+v, want due in 30 minutes", p)
	}
	for _, sc := range round.Tested {
		if sc.Tested.Name == "Old" && (sc.Before == nil || !sc.Before.OK || !sc.Tested.Result.OK) {
			t.Errorf("Old: before %+v, after %+v", sc.Before, sc.Tested.Result)
		}
	}
	c, _ := eng.Get("Never")
	if c.Last == nil || c.Last.Unverified || !c.Last.OK || !c.Last.At.Equal(clk.Now()) {
		t.Errorf("the scheduled test was not recorded: %+v", c.Last)
	}

	// Right after, nothing is due: the round sends nothing.
	before = s.requests.Load()
	round, _ = eng.RunSchedule(context.Background(), engine.Schedule{Every: time.Hour})
	if len(round.Tested) != 0 || s.requests.Load() != before {
		t.Errorf("a round with nothing due tested %v (%d requests)", testedNames(round), s.requests.Load()-before)
	}
}

func TestScheduleNeverRetriesAnUpgatesLoginThatFailed(t *testing.T) {
	clk := newClock()
	eng := scheduled(t, clk)
	wrong := upgatestest.New(t, upgatestest.Options{Now: clk.Now})
	v := wrong.Values()
	v["name"], v["api_key"] = "Wrong key", "WRONG-KEY-0000000000"
	save(t, eng, "upgates", v, false)
	if got := eng.TestSaved(context.Background(), "Wrong key", engine.TestOptions{}); got.Result.Code != connectors.CodeAuthInvalid {
		t.Fatalf("the wrong key: %s %s", got.Result.Code, got.Result.Message)
	}
	good := upgatestest.New(t, upgatestest.Options{Now: clk.Now})
	gv := good.Values()
	gv["name"] = "Good"
	save(t, eng, "upgates", gv, true)

	clk.add(5 * time.Hour)
	sent := wrong.Requests()
	round, err := eng.RunSchedule(context.Background(), engine.Schedule{Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if n := wrong.Requests() - sent; n != 0 {
		t.Errorf("the schedule sent %d requests with the login Upgates refused", n)
	}
	if got := strings.Join(testedNames(round), ","); got != "Good" {
		t.Errorf("tested %q, want Good only", got)
	}
	p := planOf(t, round, "Wrong key")
	if p.Due || !strings.Contains(p.Held, "failed on its login") || !strings.Contains(p.Held, "test it by hand") {
		t.Errorf("the guard does not say why: %+v", p)
	}
}

func TestScheduleWaitsAsLongAsTheRateLimitAsks(t *testing.T) {
	clk := newClock()
	eng := scheduled(t, clk)
	up := upgatestest.New(t, upgatestest.Options{Now: clk.Now, RateLimitedUntil: clk.Now().Add(3 * time.Hour)})
	v := up.Values()
	v["name"] = "Busy shop"
	save(t, eng, "upgates", v, false)
	got := eng.TestSaved(context.Background(), "Busy shop", engine.TestOptions{})
	if got.Result.Code != connectors.CodeRateLimited {
		t.Fatalf("want rate_limited, got %s %s", got.Result.Code, got.Result.Message)
	}
	c, _ := eng.Get("Busy shop")
	if c.Last.RetryAt == nil || !c.Last.RetryAt.Equal(clk.Now().Add(3*time.Hour)) {
		t.Fatalf("the platform's retry time is not saved: %+v", c.Last.RetryAt)
	}

	clk.add(2 * time.Hour) // past the hour, before the platform's time
	sent := up.Requests()
	round, _ := eng.RunSchedule(context.Background(), engine.Schedule{Every: time.Hour})
	if n := up.Requests() - sent; n != 0 || len(round.Tested) != 0 {
		t.Errorf("retried before the platform's time: %d requests, %v", n, testedNames(round))
	}
	if p := planOf(t, round, "Busy shop"); p.Due || !strings.Contains(p.Held, "asked to wait") {
		t.Errorf("the wait is not explained: %+v", p)
	}

	clk.add(time.Hour + time.Minute)
	round, _ = eng.RunSchedule(context.Background(), engine.Schedule{Every: time.Hour})
	if got := strings.Join(testedNames(round), ","); got != "Busy shop" || up.Requests() == sent {
		t.Errorf("not retried after the platform's time: %q", got)
	}
	if c, _ := eng.Get("Busy shop"); !c.Last.OK || c.Last.RetryAt != nil {
		t.Errorf("after the wait: %+v", c.Last)
	}
}

func TestScheduleLeavesAConnectionBeingTestedByHand(t *testing.T) {
	clk := newClock()
	eng := scheduled(t, clk)
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 { // the test by hand waits until released
			arrived <- struct{}{}
			<-release
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	save(t, eng, "demo", connectors.Values{"name": "Slow", "url": srv.URL, "api_key": goodKey}, false)

	done := make(chan engine.Tested)
	go func() { done <- eng.TestSaved(context.Background(), "Slow", engine.TestOptions{}) }()
	<-arrived // the test by hand is under way
	round, err := eng.RunSchedule(context.Background(), engine.Schedule{Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(round.Tested) != 1 || !strings.Contains(round.Tested[0].Tested.Skipped, "being tested right now") {
		t.Errorf("the round did not leave Slow alone: %+v", round.Tested)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests, want only the test by hand's", n)
	}
	close(release)
	if got := <-done; !got.Result.OK {
		t.Errorf("the test by hand: %+v", got.Result)
	}
	// Once it is over, the engine knows it is not running any more.
	clk.add(2 * time.Hour)
	round, _ = eng.RunSchedule(context.Background(), engine.Schedule{Every: time.Hour})
	if got := strings.Join(testedNames(round), ","); got != "Slow" {
		t.Errorf("after the test by hand, tested %q", got)
	}
}

func TestScheduleOnRunsARoundAtOnceAndOnEveryTick(t *testing.T) {
	clk := newClock()
	eng := scheduled(t, clk)
	s := newShop(t)
	save(t, eng, "demo", connectors.Values{"name": "Shop", "url": s.URL, "api_key": goodKey}, false)
	tick := make(chan time.Time)
	rounds := make(chan engine.Round)
	stop := eng.ScheduleOn(tick, engine.Schedule{Every: time.Hour}, func(r engine.Round, err error) { rounds <- r })
	defer stop()
	if got := testedNames(<-rounds); len(got) != 1 {
		t.Errorf("first round tested %v, want Shop", got)
	}
	tick <- clk.Now()
	if got := testedNames(<-rounds); len(got) != 0 {
		t.Errorf("nothing was due, tested %v", got)
	}
	clk.add(61 * time.Minute)
	tick <- clk.Now()
	if got := testedNames(<-rounds); len(got) != 1 {
		t.Errorf("after an hour, tested %v, want Shop", got)
	}
}
