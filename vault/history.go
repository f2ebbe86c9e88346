package vault

// history.go: every test of a saved resource, kept as JSON lines in one
// file per resource ID under <home>/state/history (a rename keeps it),
// written under one lock by any number of processes, compacted atomically
// to the last HistoryCap tests; a damaged file is set aside, never the
// reason a test cannot be recorded.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/natefinch/atomic"

	"storelink/connectors"
)

// Outcomes of a test in its history.
const (
	OutcomePassed    = "passed"
	OutcomeWarned    = "warned" // passed with warnings
	OutcomeFailed    = "failed"
	OutcomeCancelled = "cancelled"
)

// Limits of the history.
const (
	// HistoryCap is how many tests of one resource are kept (the newest).
	HistoryCap = 200
	// historySlack lets a file grow this far past the cap before it is
	// compacted, so a full history is not rewritten on every test.
	historySlack = 50
	// HistoryFiles is how many resources' histories are kept in all; past
	// it, the files written longest ago are removed.
	HistoryFiles = 1000
	// MaxHistoryFile bounds one history file as read (a line is ~150 bytes).
	MaxHistoryFile = 256 << 10
)

// HistoryEntry is one test in a resource's history: codes only, no
// secret, no message, no response body. The JSON keys are a public
// contract (`storelink history --json`).
type HistoryEntry struct {
	Time       time.Time       `json:"time"`
	Outcome    string          `json:"outcome"`
	Code       connectors.Code `json:"code"`
	DurationMS int64           `json:"duration_ms"`
	Trigger    string          `json:"trigger"`
}

// OutcomeOf is how a test with this result ended, in its history.
func OutcomeOf(r connectors.Result) string {
	switch {
	case r.Code == connectors.CodeCanceled:
		return OutcomeCancelled
	case r.OK && len(r.Warnings) > 0:
		return OutcomeWarned
	case r.OK:
		return OutcomePassed
	}
	return OutcomeFailed
}

// History keeps the tests of saved resources in Dir; the zero Dir keeps
// nothing. Safe for use by several goroutines and processes.
type History struct {
	Dir string
	// Warn is told when a damaged file was set aside; nil: nobody.
	Warn func(msg, path string)
}

// HistoryItem is a test of the resource ID of kind Kind, to append.
type HistoryItem struct {
	Kind, ID string
	Entry    HistoryEntry
}

var historyKey = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`) })

func (h History) path(kind, id string) (string, error) {
	if !historyKey().MatchString(kind) || !historyKey().MatchString(id) {
		return "", fmt.Errorf("history of %q %q: not a plain file name", kind, id)
	}
	return filepath.Join(h.Dir, kind+"-"+id+".jsonl"), nil
}

// lock takes the history's one lock: exclusive to write, shared to read.
func (h History) lock(exclusive bool) (func(), error) {
	if err := os.MkdirAll(h.Dir, 0o700); err != nil {
		return nil, err
	}
	l := flock.New(filepath.Join(h.Dir, ".lock"))
	take := l.RLock
	if exclusive {
		take = l.Lock
	}
	if err := take(); err != nil {
		return nil, fmt.Errorf("cannot lock the history in %s: %w", h.Dir, err)
	}
	return func() { _ = l.Unlock() }, nil
}

// Append adds items to their resources' histories under one lock.
func (h History) Append(items ...HistoryItem) error {
	if h.Dir == "" || len(items) == 0 {
		return nil
	}
	unlock, err := h.lock(true)
	if err != nil {
		return err
	}
	defer unlock()
	byFile := map[string][]HistoryEntry{}
	var order []string
	for _, it := range items {
		p, err := h.path(it.Kind, it.ID)
		if err != nil {
			return err
		}
		if byFile[p] == nil {
			order = append(order, p)
		}
		byFile[p] = append(byFile[p], it.Entry)
	}
	var errs []error
	created := false
	for _, p := range order {
		made, err := h.appendFile(p, byFile[p])
		created = created || made
		errs = append(errs, err)
	}
	if created {
		errs = append(errs, h.trim(order))
	}
	return errors.Join(errs...)
}

// appendFile appends es to the file p (whose lock is held), setting a
// damaged file aside and compacting one past the cap; made says the file
// is new.
func (h History) appendFile(p string, es []HistoryEntry) (made bool, err error) {
	data, err := connectors.ReadLocalFile("Test history", p, MaxHistoryFile)
	switch {
	case errors.Is(err, os.ErrNotExist):
		made = true
	case errors.Is(err, connectors.ErrFileTooLarge):
		data = []byte("too large") // damaged
	case err != nil:
		return false, err
	}
	whole := len(data) == 0 || data[len(data)-1] == '\n'
	if whole && bytes.Count(data, []byte("\n"))+len(es) <= HistoryCap+historySlack {
		// the common case, no parsing: garbage inside is found when compacted
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return false, err
		}
		_, err = f.Write(encodeHistory(es)) // one write: a reader never sees half a line
		return made, errors.Join(err, f.Close())
	}
	old, damaged := parseHistory(data)
	if damaged {
		aside := p + ".damaged-" + time.Now().UTC().Format("20060102T150405.000000000")
		if err := os.Rename(p, aside); err != nil {
			return false, err
		}
		if h.Warn != nil {
			h.Warn("a damaged test history was set aside; the tests it held that could be read are kept", aside)
		}
	}
	all := append(old, es...)
	return made, atomic.WriteFile(p, bytes.NewReader(encodeHistory(all[max(0, len(all)-HistoryCap):])))
}

func encodeHistory(es []HistoryEntry) []byte {
	var b bytes.Buffer
	for _, e := range es {
		line, _ := json.Marshal(e) // plain fields: cannot fail
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// readFile reads p's entries, oldest first, skipping damaged lines.
func (h History) readFile(p string) ([]HistoryEntry, error) {
	data, err := connectors.ReadLocalFile("Test history", p, MaxHistoryFile)
	if errors.Is(err, connectors.ErrFileTooLarge) {
		return nil, nil // the next Append sets it aside
	}
	if err != nil {
		return nil, err
	}
	es, _ := parseHistory(data)
	return es, nil
}

// parseHistory reads the entries of a history file, oldest first; damaged
// says a line could not be read (the good ones are returned).
func parseHistory(data []byte) (es []HistoryEntry, damaged bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), MaxHistoryFile+1)
	for sc.Scan() {
		var e HistoryEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Outcome == "" || e.Time.IsZero() {
			damaged = true
			continue
		}
		es = append(es, e)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		damaged = true // a torn last line
	}
	return es, damaged
}

// Read returns the history of the resource ID of kind, oldest first, at
// most HistoryCap tests; none yet is no error. A damaged line is skipped
// (the next Append sets the file aside).
func (h History) Read(kind, id string) ([]HistoryEntry, error) {
	if h.Dir == "" {
		return nil, nil
	}
	p, err := h.path(kind, id)
	if err != nil {
		return nil, err
	}
	unlock, err := h.lock(false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	es, err := h.readFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return es[max(0, len(es)-HistoryCap):], err
}

// Delete removes the history of the resource ID of kind.
func (h History) Delete(kind, id string) error {
	if h.Dir == "" {
		return nil
	}
	p, err := h.path(kind, id)
	if err != nil {
		return err
	}
	unlock, err := h.lock(true)
	if err != nil {
		return err
	}
	defer unlock()
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// trim removes the histories written longest ago past HistoryFiles, never
// those just written (keep).
func (h History) trim(keep []string) error {
	ents, err := os.ReadDir(h.Dir)
	if err != nil {
		return err
	}
	type file struct {
		path string
		mod  time.Time
	}
	var files []file
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".jsonl") {
			continue
		}
		p := filepath.Join(h.Dir, e.Name())
		if info, err := e.Info(); err == nil && !slices.Contains(keep, p) {
			files = append(files, file{p, info.ModTime()})
		}
	}
	extra := len(files) + len(keep) - HistoryFiles
	if extra <= 0 {
		return nil
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.Before(files[j].mod) })
	var errs []error
	for _, f := range files[:min(extra, len(files))] {
		errs = append(errs, os.Remove(f.path))
	}
	return errors.Join(errs...)
}

// StatusSince is when the current state began: the first test of the
// newest run of equal outcomes (cancelled tests change nothing); the zero
// time when es has no finished test.
func StatusSince(es []HistoryEntry) time.Time {
	var since time.Time
	current := ""
	for i := len(es) - 1; i >= 0; i-- {
		e := es[i]
		if e.Outcome == OutcomeCancelled {
			continue
		}
		if current == "" {
			current = e.Outcome
		}
		if e.Outcome != current {
			break
		}
		since = e.Time
	}
	return since
}

// HistoryState is what a history's newest tests say of the state now.
type HistoryState struct {
	// Latest is the newest finished test's outcome ("" when none), at LatestAt.
	Latest   string
	LatestAt time.Time
	// Since is when the newest run of Latest began (StatusSince).
	Since time.Time
	// Before is the finished outcome before that run ("" when none).
	Before string
}

// States reads the state the history of each resource ID of kind ids
// shows, under one shared lock, by ID; a resource with no history yet is
// left out. It looks at a line's outcome and time without decoding it
// and reuses one buffer, so a table of a thousand full histories is cheap.
func (h History) States(kind string, ids []string) (map[string]HistoryState, error) {
	out := map[string]HistoryState{}
	if h.Dir == "" || len(ids) == 0 {
		return out, nil
	}
	unlock, err := h.lock(false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var errs []error
	var buf []byte
	var ends []int
	for _, id := range ids {
		p, err := h.path(kind, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var data []byte
		data, buf, err = readInto(p, buf)
		switch {
		case errors.Is(err, os.ErrNotExist), errors.Is(err, connectors.ErrFileTooLarge):
			continue // none yet, or the next Append sets it aside
		case err != nil:
			errs = append(errs, err)
			continue
		}
		var st HistoryState
		if st, ends = stateOf(data, ends[:0]); st.Latest != "" {
			out[id] = st
		}
	}
	return out, errors.Join(errs...)
}

// readInto reads the history file p into buf (grown when too small), as
// connectors.ReadLocalFile would: a regular file (looked at before it is
// opened, so a FIFO cannot block), at most MaxHistoryFile bytes. The lock
// is held, so the file does not change meanwhile.
func readInto(p string, buf []byte) (data, grown []byte, err error) {
	fail := func(err error) ([]byte, []byte, error) {
		return nil, buf, &connectors.LocalFileError{Label: "Test history", Path: p, Err: err, Limit: MaxHistoryFile}
	}
	info, err := os.Lstat(p)
	switch {
	case err != nil:
		return fail(err)
	case !info.Mode().IsRegular():
		return fail(connectors.ErrNotRegularFile)
	case info.Size() > MaxHistoryFile:
		return fail(connectors.ErrFileTooLarge)
	}
	f, err := os.Open(p)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	if n := int(info.Size()); cap(buf) < n {
		buf = make([]byte, n, max(n, 2*cap(buf)))
	}
	n, err := io.ReadFull(f, buf[:info.Size()])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fail(err)
	}
	return buf[:n], buf, nil
}

// stateOf is the state a history file's data shows, as StatusSince and
// parseHistory would find it: the lines are walked from the end, the last
// HistoryCap only; a line not in the shape encodeHistory writes is decoded
// in full. ends is reused for the lines' ends.
func stateOf(data []byte, ends []int) (HistoryState, []int) {
	for at := 0; at < len(data); {
		i := bytes.IndexByte(data[at:], '\n')
		if i < 0 {
			break // a torn last line; parseHistory skips it too
		}
		at += i + 1
		ends = append(ends, at-1)
	}
	var st HistoryState
	var run []int // the newest run's lines (by end), newest first
	lines := 0
	line := func(k int) []byte {
		if k == 0 {
			return data[:ends[0]]
		}
		return data[ends[k-1]+1 : ends[k]]
	}
	for k := len(ends) - 1; k >= 0 && lines < HistoryCap; k-- {
		outcome, ok := quickOutcome(line(k))
		if ok && outcome != OutcomeCancelled && outcome != st.Latest {
			_, ok = quickEntry(line(k)) // it names a state: its time must be readable too
		}
		if !ok {
			continue // damaged: skipped, as parseHistory does
		}
		lines++
		switch {
		case outcome == OutcomeCancelled:
		case st.Latest == "":
			st.Latest = outcome
			run = append(run, k)
		case outcome == st.Latest:
			run = append(run, k)
		default:
			st.Before = outcome
			k = 0 // the run is over
		}
	}
	// the times only of the lines that need them: the newest and the oldest
	// of the run whose time can be read (a line with none is skipped, as
	// parseHistory skips it)
	for _, k := range run {
		if e, ok := quickEntry(line(k)); ok {
			st.Latest, st.LatestAt = e.Outcome, e.Time
			break
		}
	}
	for i := len(run) - 1; i >= 0; i-- {
		if e, ok := quickEntry(line(run[i])); ok {
			st.Since = e.Time
			break
		}
	}
	if st.Since.IsZero() {
		return HistoryState{}, ends
	}
	return st, ends
}

// quickOutcome is a line's outcome, read without decoding it when the line
// has the shape encodeHistory writes ({"time":"…","outcome":"…",…}),
// decoded in full otherwise; ok is false for a damaged one.
func quickOutcome(line []byte) (string, bool) {
	const head, key = `{"time":"`, `","outcome":"`
	if len(line) > 0 && line[len(line)-1] == '}' && bytes.HasPrefix(line, []byte(head)) {
		rest := line[len(head):]
		if i := bytes.IndexByte(rest, '"'); i > 0 && bytes.HasPrefix(rest[i:], []byte(key)) {
			o := rest[i+len(key):]
			if j := bytes.IndexByte(o, '"'); j > 0 {
				switch string(o[:j]) {
				case OutcomePassed:
					return OutcomePassed, true
				case OutcomeWarned:
					return OutcomeWarned, true
				case OutcomeFailed:
					return OutcomeFailed, true
				case OutcomeCancelled:
					return OutcomeCancelled, true
				}
			}
		}
	}
	e, ok := quickEntry(line)
	return e.Outcome, ok
}

// quickEntry is a line's time and outcome; a line as encodeHistory writes
// it ({"time":"…","outcome":"…",…}) is read without decoding it, any other
// is decoded in full; ok is false for a damaged one.
func quickEntry(line []byte) (HistoryEntry, bool) {
	const head, key = `{"time":"`, `","outcome":"`
	if len(line) > 0 && line[len(line)-1] == '}' && bytes.HasPrefix(line, []byte(head)) {
		rest := line[len(head):]
		if i := bytes.IndexByte(rest, '"'); i > 0 && bytes.HasPrefix(rest[i:], []byte(key)) {
			at, err := time.Parse(time.RFC3339Nano, string(rest[:i]))
			o := rest[i+len(key):]
			if j := bytes.IndexByte(o, '"'); err == nil && !at.IsZero() && j > 0 {
				switch o := string(o[:j]); o {
				case OutcomePassed, OutcomeWarned, OutcomeFailed, OutcomeCancelled:
					return HistoryEntry{Time: at, Outcome: o}, true
				}
			}
		}
	}
	var e HistoryEntry
	if err := json.Unmarshal(line, &e); err != nil || e.Outcome == "" || e.Time.IsZero() {
		return HistoryEntry{}, false
	}
	return e, true
}
