package vault

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
)

// historyWriterEnv makes the test binary a child that appends entries.
const historyWriterEnv = "STORELINK_TEST_HISTORY_WRITER"

func entry(i int, outcome string) HistoryEntry {
	return HistoryEntry{Time: time.Unix(int64(1_700_000_000+i), 0).UTC(), Outcome: outcome,
		Code: connectors.Code("code_" + strconv.Itoa(i)), DurationMS: int64(i), Trigger: "cli"}
}

// TestHistoryWriterChild is the child process of TestHistoryTwoProcesses.
func TestHistoryWriterChild(t *testing.T) {
	spec := os.Getenv(historyWriterEnv) // dir:writer:count
	if spec == "" {
		t.Skip("runs as a child of TestHistoryTwoProcesses")
	}
	parts := strings.Split(spec, "|")
	n, _ := strconv.Atoi(parts[2])
	h := History{Dir: parts[0]}
	for i := range n {
		e := entry(i, OutcomePassed)
		e.Trigger = parts[1]
		// one resource shared by both writers, one of each writer's own
		if err := h.Append(HistoryItem{Kind: "connection", ID: "shared", Entry: e},
			HistoryItem{Kind: "connection", ID: "own" + parts[1], Entry: e}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHistoryTwoProcesses(t *testing.T) {
	dir := t.TempDir()
	const each = 1000
	var wg sync.WaitGroup
	errs := make([]error, 2)
	outs := make([][]byte, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^TestHistoryWriterChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|w%d|%d", historyWriterEnv, dir, w, each))
			outs[w], errs[w] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for w := range 2 {
		if errs[w] != nil {
			t.Fatalf("writer %d: %v\n%s", w, errs[w], outs[w])
		}
	}
	h := History{Dir: dir}
	for w := range 2 {
		own, err := h.Read("connection", "ownw"+strconv.Itoa(w))
		if err != nil {
			t.Fatal(err)
		}
		// none lost: the newest HistoryCap of 1,000 in order
		if len(own) != HistoryCap {
			t.Fatalf("writer %d: %d entries kept, want %d", w, len(own), HistoryCap)
		}
		for i, e := range own {
			if want := each - HistoryCap + i; e.DurationMS != int64(want) {
				t.Fatalf("writer %d: entry %d is test %d, want %d", w, i, e.DurationMS, want)
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "connection-shared.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(lines) > HistoryCap+historySlack || len(lines) < HistoryCap {
		t.Fatalf("shared file holds %d lines, want %d to %d", len(lines), HistoryCap, HistoryCap+historySlack)
	}
	last := map[string]int64{"w0": -1, "w1": -1}
	for _, l := range lines { // none torn, each writer's in order
		var e HistoryEntry
		if err := json.Unmarshal(l, &e); err != nil {
			t.Fatalf("torn line %q: %v", l, err)
		}
		if e.DurationMS <= last[e.Trigger] {
			t.Fatalf("writer %s: test %d after %d", e.Trigger, e.DurationMS, last[e.Trigger])
		}
		last[e.Trigger] = e.DurationMS
	}
	// The newest tests are kept: the file ends with a writer's last test.
	// (Both writers' last tests are there only if they ran interleaved to
	// the end; on a busy machine one may finish its last 250 after the
	// other is done, pushing the other's out under the cap, as it should.)
	var end HistoryEntry
	if err := json.Unmarshal(lines[len(lines)-1], &end); err != nil || end.DurationMS != each-1 {
		t.Fatalf("the shared file ends with %s's test %d, want a writer's last, %d (%v)", end.Trigger, end.DurationMS, each-1, last)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*.damaged-*")); len(leftovers) > 0 {
		t.Fatalf("a file was set aside: %v", leftovers)
	}
}

func TestHistoryDamagedFileSetAside(t *testing.T) {
	dir := t.TempDir()
	var warned []string
	h := History{Dir: dir, Warn: func(msg, path string) { warned = append(warned, path) }}
	if err := h.Append(HistoryItem{Kind: "agent", ID: "abc", Entry: entry(1, OutcomeFailed)}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "agent-abc.jsonl")
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("garbage\x00\n{\"time\":\"2026-") // garbage and a torn line
	f.Close()
	if got, err := h.Read("agent", "abc"); err != nil || len(got) != 1 {
		t.Fatalf("read of a damaged file: %v %v, want the one good test", got, err)
	}
	if err := h.Append(HistoryItem{Kind: "agent", ID: "abc", Entry: entry(2, OutcomePassed)}); err != nil {
		t.Fatalf("a damaged file stopped the next test: %v", err)
	}
	got, err := h.Read("agent", "abc")
	if err != nil || len(got) != 2 || got[0].Outcome != OutcomeFailed || got[1].Outcome != OutcomePassed {
		t.Fatalf("after the damage: %+v %v, want the good test and the next", got, err)
	}
	aside, _ := filepath.Glob(p + ".damaged-*")
	if len(aside) != 1 || len(warned) != 1 || warned[0] != aside[0] {
		t.Fatalf("set aside %v, warned %v: want one file, named in the message", aside, warned)
	}
	if data, _ := os.ReadFile(aside[0]); !bytes.Contains(data, []byte("garbage")) {
		t.Fatalf("the damaged file was not kept as it was: %q", data)
	}
}

func TestHistoryTooLargeFileSetAside(t *testing.T) {
	dir := t.TempDir()
	h := History{Dir: dir}
	p := filepath.Join(dir, "connection-big.jsonl")
	os.MkdirAll(dir, 0o700)
	if err := os.WriteFile(p, bytes.Repeat([]byte("x"), MaxHistoryFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := h.Append(HistoryItem{Kind: "connection", ID: "big", Entry: entry(1, OutcomePassed)}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Read("connection", "big"); err != nil || len(got) != 1 {
		t.Fatalf("after a too large file: %v %v", got, err)
	}
}

func TestHistoryTotalCap(t *testing.T) {
	dir := t.TempDir()
	h := History{Dir: dir}
	for i := range HistoryFiles + 5 {
		if err := h.Append(HistoryItem{Kind: "connection", ID: fmt.Sprintf("id%04d", i), Entry: entry(i, OutcomePassed)}); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if len(files) != HistoryFiles {
		t.Fatalf("%d history files, want the cap %d", len(files), HistoryFiles)
	}
	if got, _ := h.Read("connection", fmt.Sprintf("id%04d", HistoryFiles+4)); len(got) != 1 {
		t.Fatal("the newest history was removed")
	}
}

func TestHistoryRejectsPathsAndDeletes(t *testing.T) {
	h := History{Dir: t.TempDir()}
	if err := h.Append(HistoryItem{Kind: "connection", ID: "../x", Entry: entry(1, OutcomePassed)}); err == nil {
		t.Fatal("an ID with a path was accepted")
	}
	h.Append(HistoryItem{Kind: "connection", ID: "a1", Entry: entry(1, OutcomePassed)})
	if err := h.Delete("connection", "a1"); err != nil {
		t.Fatal(err)
	}
	if got, err := h.Read("connection", "a1"); err != nil || len(got) != 0 {
		t.Fatalf("after delete: %v %v", got, err)
	}
}

func TestStatusSince(t *testing.T) {
	es := []HistoryEntry{entry(1, OutcomePassed), entry(2, OutcomeFailed), entry(3, OutcomeFailed),
		entry(4, OutcomeCancelled), entry(5, OutcomeFailed)}
	if got := StatusSince(es); !got.Equal(es[1].Time) {
		t.Fatalf("since %v, want the first failure %v", got, es[1].Time)
	}
	if got := StatusSince(es[:1]); !got.Equal(es[0].Time) {
		t.Fatalf("since %v, want %v", got, es[0].Time)
	}
	if !StatusSince([]HistoryEntry{entry(1, OutcomeCancelled)}).IsZero() {
		t.Fatal("a cancelled test began a state")
	}
}

// States reads each history from its end as Read and StatusSince read it
// whole: runs, cancelled tests, damaged and torn lines, the cap.
func TestHistoryStatesAgreeWithRead(t *testing.T) {
	h := History{Dir: t.TempDir()}
	write := func(id string, es []HistoryEntry, extra string) {
		t.Helper()
		p, _ := h.path("connection", id)
		if err := os.WriteFile(p, append(encodeHistory(es), extra...), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var long []HistoryEntry // past the cap: the oldest failure is not read
	long = append(long, entry(0, OutcomeFailed))
	for i := 1; i <= HistoryCap; i++ {
		long = append(long, entry(i, OutcomePassed))
	}
	mixed := []HistoryEntry{entry(1, OutcomeWarned), entry(2, OutcomeFailed), entry(3, OutcomeFailed),
		entry(4, OutcomeCancelled), entry(5, OutcomeFailed), entry(6, OutcomeCancelled)}
	write("long", long, "")
	write("mixed", mixed, `{"time":"2026-01-01T00:00:00Z","outcome":"passed"`) // torn last line
	write("damaged", mixed[:3], "not json\n"+`{"time":"x","outcome":"passed"}`+"\n\n")
	write("oldest-damaged", []HistoryEntry{entry(1, OutcomeWarned)}, `{"time":"0001-01-01T00:00:00Z","outcome":"failed","code":"x"}`+"\n"+string(encodeHistory(mixed[1:3])))
	write("cancelled", []HistoryEntry{entry(1, OutcomeCancelled)}, "")
	ids := []string{"long", "mixed", "damaged", "oldest-damaged", "cancelled", "none"}
	got, err := h.States("connection", ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		es, err := h.Read("connection", id)
		if err != nil {
			t.Fatal(err)
		}
		var want HistoryState
		if since := StatusSince(es); !since.IsZero() {
			want.Since = since
			for i := len(es) - 1; i >= 0; i-- {
				e := es[i]
				switch {
				case e.Outcome == OutcomeCancelled:
				case want.Latest == "":
					want.Latest, want.LatestAt = e.Outcome, e.Time
				case e.Outcome != want.Latest && want.Before == "":
					want.Before = e.Outcome
				}
			}
		}
		if st, ok := got[id]; st != want || ok != (want.Latest != "") {
			t.Errorf("%s: States says %+v (%v), Read says %+v", id, st, ok, want)
		}
	}
	if got["mixed"].Before != OutcomeWarned || got["long"].Before != "" {
		t.Errorf("before: mixed %q, long %q", got["mixed"].Before, got["long"].Before)
	}
}
