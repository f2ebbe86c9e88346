package engine

// schedule.go: re-tests on a schedule. Every saved resource (connection,
// agent, any added kind) whose last test is older than the interval, or
// that was never tested, is due; a round tests the due ones through
// TestMany, so concurrency levels and borrowed groups hold, a few at a time,
// never one being tested by hand at that moment, and never at the cost of a
// lockout or against a platform's request to wait.

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"storelink/connectors"
	"storelink/vault"
)

// TriggerSchedule is TestOptions.Trigger for a scheduled test.
const TriggerSchedule = "schedule"

// ScheduleParallel is how many scheduled tests run at once: few, so a round
// never crowds out what the owner does by hand.
const ScheduleParallel = 3

// upgatesApp is the Upgates connector's ID (connectors/upgates.ID; the
// engine does not import platforms).
const upgatesApp = "upgates"

// Schedule says how often saved resources are re-tested.
type Schedule struct {
	// Every is how old a resource's last test may get before it is due.
	Every time.Duration
	// Now is the clock; nil means the engine's (Deps.Now).
	Now func() time.Time
}

// Plan is one saved resource as the schedule sees it.
type Plan struct {
	Kind, Name string
	Last       *vault.Verification // its last test; nil: never tested
	Due        bool
	// Next is when it becomes due (zero when due now, or when the
	// schedule leaves it alone until it is tested by hand).
	Next time.Time
	// Held says why the schedule leaves it alone until then or for good
	// (the Upgates lockout guard, a rate limit); "" when merely not due.
	Held string
}

// Scheduled is one resource a round tested, or skipped at the last moment.
type Scheduled struct {
	Kind   string
	Before *vault.Verification // the last test before this round
	Tested Tested              // Tested.Skipped says why it did not run
}

// Round is what one round of the schedule did.
type Round struct {
	Plans  []Plan      // every saved resource, by kind then name
	Tested []Scheduled // those that were due, in the order of Plans
}

// Plan says which saved resources are due under s, by kind then name.
func (e *Engine) Plan(s Schedule) ([]Plan, error) {
	now := e.d.Now
	if s.Now != nil {
		now = s.Now
	}
	at := now()
	var plans []Plan
	for _, id := range e.KindIDs() {
		list, err := e.Of(id).List()
		if err != nil {
			return nil, err
		}
		sort.Slice(list, func(i, j int) bool { return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name) })
		for _, c := range list {
			plans = append(plans, e.plan(id, c, s.Every, at))
		}
	}
	return plans, nil
}

// plan decides one resource: never tested, or tested longer ago than every,
// is due; a login Upgates refused is not retried (five failed logins in an
// hour block the address); a rate limit waits for the platform's time.
func (e *Engine) plan(kind string, c vault.Connection, every time.Duration, now time.Time) Plan {
	p := Plan{Kind: kind, Name: c.Name, Last: c.Last}
	v := c.Last
	if v == nil {
		p.Due = true
		return p
	}
	if c.App == upgatesApp && !v.OK && (v.Code == connectors.CodeAuthInvalid || v.Code == connectors.CodeLockedOut) {
		p.Held = fmt.Sprintf("The last test of %q failed on its login (%s); Upgates blocks the address after %d failed logins in an hour, so the schedule does not try again. Correct the login and test it by hand.",
			c.Name, v.Code, 5)
		return p
	}
	if v.Unverified && v.Code == "" {
		p.Due = true // saved without a test: never tested
		return p
	}
	next := v.At.Add(every)
	if v.Code == connectors.CodeRateLimited && v.RetryAt != nil && v.RetryAt.After(next) {
		next = *v.RetryAt
		if now.Before(next) {
			p.Held = fmt.Sprintf("The platform asked to wait until %s before the next request to %q; the schedule tests it then.",
				next.Local().Format("2006-01-02 15:04"), c.Name)
		}
	}
	if now.Before(next) {
		p.Next = next
		return p
	}
	p.Due = true
	return p
}

// RunSchedule tests every resource due under s, ScheduleParallel at a time
// through TestMany (Trigger "schedule"), and records each outcome like any
// other test. A resource being tested by hand when its turn comes is
// skipped (Tested.Skipped says so).
func (e *Engine) RunSchedule(ctx context.Context, s Schedule) (Round, error) {
	e.runs.Add(1) // one run from the first kind's tests to the last's
	defer e.runs.Add(-1)
	plans, err := e.Plan(s)
	if err != nil {
		return Round{}, err
	}
	round := Round{Plans: plans}
	byKind := map[string][]Plan{}
	var kinds []string
	for _, p := range plans {
		if !p.Due {
			continue
		}
		if byKind[p.Kind] == nil {
			kinds = append(kinds, p.Kind)
		}
		byKind[p.Kind] = append(byKind[p.Kind], p)
	}
	o := TestOptions{Parallel: ScheduleParallel, Trigger: TriggerSchedule}
	for _, kind := range kinds {
		due := byKind[kind]
		names := make([]string, len(due))
		for i, p := range due {
			names[i] = p.Name
		}
		for i, t := range e.Of(kind).TestMany(ctx, names, o, nil) {
			round.Tested = append(round.Tested, Scheduled{Kind: kind, Before: due[i].Last, Tested: t})
		}
	}
	return round, ctx.Err()
}

// RunsUnderway says whether a run of many tests (Test all, a scheduled
// round) is under way in this process: the window announces the changes of
// one run together, once it is over.
func (e *Engine) RunsUnderway() bool { return e.runs.Load() > 0 }

// StartSchedule re-tests what is due every `every` (at least a minute)
// while the engine runs: it looks once a minute (or every `every`, when
// shorter) and runs a round when something is due. Outcomes are recorded
// and announced (Op Recorded) like a test by hand. stop ends it and cancels
// a round under way (a cancelled test is not recorded); it never waits, and
// calling it again does nothing.
func (e *Engine) StartSchedule(every time.Duration) (stop func()) {
	every = max(every, time.Minute)
	t := time.NewTicker(min(every, time.Minute))
	end := e.ScheduleOn(t.C, Schedule{Every: every}, nil)
	return func() { t.Stop(); end() }
}

// ScheduleOn runs a round of s at once and then on every tick, one round at
// a time, telling done (when set) each round; tests drive it with their own
// ticks and clock. stop is as StartSchedule's.
func (e *Engine) ScheduleOn(tick <-chan time.Time, s Schedule, done func(Round, error)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for {
			round, err := e.RunSchedule(ctx, s)
			if err != nil && ctx.Err() == nil {
				e.d.Log.WithError(err).Warn("the scheduled re-test could not list the saved resources")
			}
			if done != nil && ctx.Err() == nil {
				done(round, err)
			}
			select {
			case <-ctx.Done():
				return
			case <-tick:
			}
		}
	}()
	return cancel
}

// claim marks the resource key as being tested; a scheduled test (onlyIdle)
// gets it only when no other test has it. Every claim is released.
func (e *Engine) claim(key string, onlyIdle bool) bool {
	e.busyMu.Lock()
	defer e.busyMu.Unlock()
	if e.busy == nil {
		e.busy = map[string]int{}
	}
	if onlyIdle && e.busy[key] > 0 {
		return false
	}
	e.busy[key]++
	return true
}

func (e *Engine) release(key string) {
	e.busyMu.Lock()
	defer e.busyMu.Unlock()
	if e.busy[key]--; e.busy[key] <= 0 {
		delete(e.busy, key)
	}
}

// retryAt is when a rate-limited result says to try again: the Upgates
// connector's Server.Extra "retry_after" (RFC 3339), or a Retry-After in
// its technical details (seconds or an HTTP date). nil when it says nothing.
func retryAt(r connectors.Result, now time.Time) *time.Time {
	if r.Code != connectors.CodeRateLimited {
		return nil
	}
	if v := r.Server.Extra["retry_after"]; v != "" {
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			t = t.UTC()
			return &t
		}
	}
	for _, d := range r.Technical {
		if !strings.EqualFold(d.Label, "Retry-After") {
			continue
		}
		v := strings.TrimSpace(d.Value)
		if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 {
			t := now.Add(time.Duration(secs * float64(time.Second))).UTC()
			return &t
		}
		if t, err := http.ParseTime(v); err == nil {
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// capitalize is s with its first letter upper case.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
