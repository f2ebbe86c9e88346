package vault

import (
	"testing"
	"time"

	"storelink/connectors"
)

// RecordMany's follow is given the verification the file holds under the
// lock, another process's included, and what it returns is what is saved.
func TestRecordManyFollowsWhatTheFileHolds(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(dir, NewMemorySecrets())
	b, _ := Open(dir, NewMemorySecrets())
	if _, err := a.Save(conn("Shop"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	first := Verification{At: at, OK: true, Code: connectors.CodeOK}
	if err := a.RecordMany(map[string]Verification{"Shop": first}, nil); err != nil {
		t.Fatal(err)
	}
	if err := b.RecordMany(map[string]Verification{"Shop": {At: at.Add(time.Hour), Code: connectors.CodeAuthInvalid}}, nil); err != nil {
		t.Fatal(err)
	}
	var seen *Verification
	follow := func(prev *Verification, next Verification) Verification {
		seen = prev
		since := prev.At
		next.Since, next.Before = &since, "seen"
		return next
	}
	if err := a.RecordMany(map[string]Verification{"Shop": {At: at.Add(2 * time.Hour), Code: connectors.CodeRateLimited}}, follow); err != nil {
		t.Fatal(err)
	}
	if seen == nil || seen.Code != connectors.CodeAuthInvalid {
		t.Fatalf("follow saw %+v, want the other process's auth_invalid", seen)
	}
	c, err := b.Get("Shop")
	if err != nil {
		t.Fatal(err)
	}
	if c.Last.Since == nil || !c.Last.Since.Equal(at.Add(time.Hour)) || c.Last.Before != "seen" || c.Last.Code != connectors.CodeRateLimited {
		t.Errorf("saved %+v, want what follow returned", c.Last)
	}
}
