package upgates

// The lockout guard. "Je omezený počet pokusů o přihlášení, tzn. že můžete
// udělat pouze 5 špatných přihlášení za 1 hodinu na jednu IP adresu. Potom API
// zablokuje přístup a vrací stav 403. Používá se Floating Time Window." (API
// docs, Rate Limiting / Omezení přihlášení). Storelink remembers its own
// failed logins per API host for an hour and will not send the attempt that
// could be the 5th unless the user confirms (Config.Force).

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"storelink/connectors"
)

// StateKey is where the guard keeps failed logins in the StateStore.
const StateKey = "upgates-failed-logins"

// LockoutAttempts is how many failed logins in LockoutWindow make Upgates
// block the address; LockoutWindow is how long the block and the window last.
const (
	LockoutAttempts = 5
	LockoutWindow   = time.Hour
)

// failedLogins is the stored state: host name -> times of failed logins. No
// login, key or other secret is ever stored.
type failedLogins struct {
	Hosts map[string][]time.Time `json:"hosts"`
}

// lockHost waits for host's turn, or for ctx to end.
func (c *Connector) lockHost(ctx context.Context, host string) (unlock func(), err error) {
	v, _ := c.turns.LoadOrStore(host, make(chan struct{}, 1))
	turn := v.(chan struct{})
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type guard struct {
	store connectors.StateStore // nil: nothing is remembered
	now   func() time.Time
	mu    *sync.Mutex // the Connector's: one read-modify-write of store at a time
}

func (g *guard) load() (failedLogins, error) {
	st := failedLogins{Hosts: map[string][]time.Time{}}
	if g.store == nil {
		return st, nil
	}
	data, err := g.store.Load(StateKey)
	if err != nil || len(data) == 0 {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		// A damaged file must not disable the guard for good: start afresh.
		return failedLogins{Hosts: map[string][]time.Time{}}, fmt.Errorf("the remembered failed logins are unreadable: %w", err)
	}
	if st.Hosts == nil {
		st.Hosts = map[string][]time.Time{}
	}
	return st, nil
}

// prune drops what is older than the window (and times in the future, which
// a clock set back would otherwise keep for ever).
func (g *guard) prune(st failedLogins) {
	now := g.now()
	for host, times := range st.Hosts {
		kept := times[:0]
		for _, t := range times {
			if now.Sub(t) < LockoutWindow && !t.After(now.Add(time.Minute)) {
				kept = append(kept, t)
			}
		}
		if len(kept) == 0 {
			delete(st.Hosts, host)
			continue
		}
		sort.Slice(kept, func(a, b int) bool { return kept[a].Before(kept[b]) })
		st.Hosts[host] = kept
	}
}

// recent returns the failed logins to host within the window, oldest first.
func (g *guard) recent(host string) ([]time.Time, error) {
	st, err := g.load()
	g.prune(st)
	return st.Hosts[host], err
}

// record remembers one failed login to host and returns how many there have
// been in the window, this one included.
func (g *guard) record(host string) (int, error) {
	if g.store == nil {
		return 0, fmt.Errorf("no place to keep state was given")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	st, _ := g.load() // unreadable state is replaced rather than left broken
	g.prune(st)
	st.Hosts[host] = append(st.Hosts[host], g.now().UTC())
	data, err := json.Marshal(st)
	if err != nil {
		return 0, err
	}
	if err := g.store.Store(StateKey, data); err != nil {
		return 0, fmt.Errorf("saving the failed login: %w", err)
	}
	return len(st.Hosts[host]), nil
}

// refuse reports the local refusal when one more failed login could be the
// one Upgates blocks the address for.
func (g *guard) refuse(host string, force bool) (connectors.Result, bool) {
	times, err := g.recent(host)
	if len(times) < LockoutAttempts-1 {
		if err != nil {
			var r connectors.Result
			r.AddCheck("Lockout guard", false, err.Error())
			return r, false
		}
		return connectors.Result{}, false
	}
	if force {
		return connectors.Result{}, false
	}
	now := g.now()
	// Floating window: one attempt becomes safe when enough of the
	// remembered failures are an hour old to leave fewer than 4 in it.
	safe := times[len(times)-(LockoutAttempts-1)].Add(LockoutWindow)
	r := connectors.Fail(connectors.CodeLockedOut,
		fmt.Sprintf("Storelink did not send the login: it has already had %d failed logins to %s in the last hour, and Upgates blocks this computer's address for an hour after %d. It becomes safe to try again at %s.",
			len(times), host, LockoutAttempts, ClockTime(safe, now)),
		"Copy the API login and key again from the Upgates admin (Add-ons > API) and wait until then, or confirm to send the login anyway (--force on the command line); if it fails too, Upgates blocks the address for an hour.")
	r.Forceable = true
	r.Server.Extra = map[string]string{"safe_after": safe.UTC().Format(time.RFC3339)}
	r.Presentation = connectors.Presentation{
		Headline: "Storelink held back the login to avoid a lockout",
		Reason: connectors.Text("There were already {count} failed logins to {host} in the last hour; Upgates blocks this computer for an hour after {limit}. It is safe to try again at {time}.",
			"count", strconv.Itoa(len(times)), "host", host, "limit", strconv.Itoa(LockoutAttempts), "time", ClockTime(safe, now)),
		Steps: connectors.Steps(
			"Copy the API login and key again from the Upgates admin (Add-ons > API).",
			"Wait until then and test again, or confirm to send the login now (--force on the command line); if it fails too, Upgates blocks this computer for an hour."),
		Technical: connectors.Tech("Safe after", safe.UTC().Format(time.RFC3339)),
	}
	return r, true
}
