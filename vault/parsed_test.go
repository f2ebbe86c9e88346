package vault

import (
	"bytes"
	"os"
	"testing"
	"time"

	"storelink/connectors"
)

// RecordMany keeps the document it wrote; another process's write in
// between (here a second vault on the same folder) must still be seen.
func TestRecordManySeesAnotherWriteInBetween(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(dir, NewMemorySecrets())
	b, _ := Open(dir, NewMemorySecrets())
	if _, err := a.Save(conn("Shop A"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	ok := Verification{At: time.Now().UTC(), OK: true, Code: connectors.CodeOK}
	if err := a.RecordMany(map[string]Verification{"Shop A": ok}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Save(conn("Shop B"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	failed := Verification{At: time.Now().UTC(), Code: connectors.CodeAuthInvalid}
	if err := a.RecordMany(map[string]Verification{"Shop A": failed, "Shop B": ok}, nil); err != nil {
		t.Fatal(err)
	}
	list, err := b.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("the other process's connection was lost: %v %+v", err, list)
	}
	for _, c := range list {
		want := map[string]connectors.Code{"Shop A": connectors.CodeAuthInvalid, "Shop B": connectors.CodeOK}[c.Name]
		if c.Last == nil || c.Last.Code != want {
			t.Errorf("%s: last %+v, want %s", c.Name, c.Last, want)
		}
	}
}

// A change that keeps the file's size, inode and modification time (an
// editor writing in place within one clock tick) is seen too: the kept
// document is keyed by the bytes, not by a stat.
func TestRecordManySeesASameSizeChangeInPlace(t *testing.T) {
	v, _ := newTestVault(t)
	if _, err := v.Save(conn("Shop A"), nil, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	ok := Verification{At: time.Now().UTC(), OK: true, Code: connectors.CodeOK}
	if err := v.RecordMany(map[string]Verification{"Shop A": ok}, nil); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(v.Path())
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(v.Path())
	edited := bytes.Replace(data, []byte(`"Shop A"`), []byte(`"Shop Z"`), 1)
	if bytes.Equal(edited, data) {
		t.Fatalf("no name to edit in %s", data)
	}
	if err := os.WriteFile(v.Path(), edited, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(v.Path(), before.ModTime(), before.ModTime()); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(v.Path()); !sameStamp(before, after) {
		t.Fatalf("the edit should look unchanged to a stat: %v %v", before, after)
	}
	failed := Verification{At: time.Now().UTC(), Code: connectors.CodeAuthInvalid}
	if err := v.RecordMany(map[string]Verification{"Shop Z": failed}, nil); err != nil {
		t.Fatal(err)
	}
	c, err := v.Get("Shop Z")
	if err != nil || c.Last == nil || c.Last.Code != connectors.CodeAuthInvalid {
		t.Fatalf("the outcome went to a stale copy: %v %+v", err, c.Last)
	}
}

// What RecordMany writes from its kept document is what it would write
// after parsing the file afresh.
func TestRecordManyFromKeptDocumentWritesTheSame(t *testing.T) {
	dir := t.TempDir()
	kept, _ := Open(dir, NewMemorySecrets())
	for _, n := range []string{"Shop A", "Shop B", "Shop C"} {
		if _, err := kept.Save(conn(n), connectors.Values{"api_key": "secret-" + n}, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	if err := kept.RecordMany(map[string]Verification{"Shop A": {At: at, OK: true, Code: connectors.CodeOK}}, nil); err != nil {
		t.Fatal(err)
	}
	next := map[string]Verification{"Shop B": {At: at.Add(time.Second), Code: connectors.CodeAuthInvalid, Message: "refused"}}
	if err := kept.RecordMany(next, nil); err != nil { // from the kept document
		t.Fatal(err)
	}
	fromKept, _ := os.ReadFile(kept.Path())
	if err := kept.RecordMany(map[string]Verification{"Shop A": {At: at, OK: true, Code: connectors.CodeOK}}, nil); err != nil {
		t.Fatal(err)
	}
	fresh, _ := Open(dir, NewMemorySecrets()) // parses the file
	if err := fresh.RecordMany(next, nil); err != nil {
		t.Fatal(err)
	}
	fromFile, _ := os.ReadFile(fresh.Path())
	if !bytes.Equal(fromKept, fromFile) {
		t.Errorf("kept document wrote\n%s\nparsed file wrote\n%s", fromKept, fromFile)
	}
}

// Names are looked up as spelled first, then as the vault compares names
// (any case): both record on the one saved connection.
func TestRecordManyFindsNamesInAnyCase(t *testing.T) {
	v, _ := newTestVault(t)
	for _, n := range []string{"Shop A", "Straße"} {
		if _, err := v.Save(conn(n), nil, SaveOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	ok := Verification{At: time.Now().UTC(), OK: true, Code: connectors.CodeOK}
	if err := v.RecordMany(map[string]Verification{"Shop A": ok, "STRASSE": ok, "Gone": ok}, nil); err != nil {
		t.Fatal(err)
	}
	list, err := v.List()
	if err != nil || len(list) != 2 {
		t.Fatalf("%v %+v", err, list)
	}
	for _, c := range list {
		if c.Last == nil || !c.Last.OK {
			t.Errorf("%s: %+v", c.Name, c.Last)
		}
	}
}
