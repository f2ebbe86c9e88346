package redact

// stream.go: a Writer that masks secrets in a stream (a program's output
// under `storelink exec`), as String masks them in a whole text, without
// holding the output back longer than a secret could still be unfinished.

import (
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// DefaultIdle is how long a Writer waits for more output before it shows
// what it holds back: an interactive prompt without a newline appears.
const DefaultIdle = 75 * time.Millisecond

// MaxHeld bounds what a Writer holds back while the text at the cut is
// still part of a secret (a secret repeated without a break).
const MaxHeld = 1 << 20

// patternReach is how far back a secret-shaped pattern's start may lie from
// the end of what was written and still be unrecognised ("-----BEGIN RSA
// PRIVATE KEY-----", "Proxy-Authorization: Bearer "): so much is held back
// even when every known secret is shorter.
const patternReach = 64

// Writer masks secrets in what is written through it.
//
// Guarantee: while the stream flows, what reaches out is exactly
// r.String(everything written), cut where no known secret, run of RunLen
// bytes of one, or secret-shaped pattern is unfinished (a secret containing
// Mask's "*" aside). Where the Writer must cut without seeing what follows
// (Flush, Close, Idle without a write, or MaxHeld bytes inside one run of
// secret text), each side is masked on its own: a secret cut there shows at
// most RunLen-1 bytes on either side, every run of RunLen of it is masked,
// and a secret shorter than RunLen may show whole.
type Writer struct {
	r    *Redactor
	out  io.Writer
	idle time.Duration

	mu     sync.Mutex
	buf    []byte
	timer  *time.Timer
	err    error
	closed bool
}

// NewWriter masks with r what is written to out; idle 0 means DefaultIdle,
// a negative idle never flushes on its own.
func NewWriter(r *Redactor, out io.Writer, idle time.Duration) *Writer {
	if idle == 0 {
		idle = DefaultIdle
	}
	return &Writer{r: r, out: out, idle: idle}
}

// Write masks what it can and holds back what may still be a secret's start.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return 0, w.err
	}
	if w.closed {
		return 0, io.ErrClosedPipe
	}
	w.buf = append(w.buf, p...)
	w.release()
	if len(w.buf) > 0 && w.idle > 0 {
		if w.timer == nil {
			w.timer = time.AfterFunc(w.idle, w.idleFlush)
		} else {
			w.timer.Reset(w.idle)
		}
	}
	return len(p), w.err
}

// Flush masks and writes everything held back.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.emit(len(w.buf))
	return w.err
}

// Close flushes; later writes fail. It does not close out.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.emit(len(w.buf))
	w.closed = true
	return w.err
}

func (w *Writer) idleFlush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.emit(len(w.buf))
	}
}

// release writes the part of buf that no later write can change.
func (w *Writer) release() {
	keep := max(w.longest()-1, RunLen-1, patternReach)
	end := len(w.buf) - keep
	if end <= 0 {
		return
	}
	cut := w.safeCut(end)
	if cut <= 0 && len(w.buf) > MaxHeld {
		cut = end
		for cut > 0 && !utf8.RuneStart(w.buf[cut]) {
			cut--
		}
	}
	if cut > 0 {
		w.emit(cut)
	}
}

// emit masks buf[:n] as a whole text, writes it and drops it from buf.
func (w *Writer) emit(n int) {
	if n == 0 || w.err != nil {
		return
	}
	if _, err := io.WriteString(w.out, w.r.String(string(w.buf[:n]))); err != nil {
		w.err = err
	}
	w.buf = append(w.buf[:0], w.buf[n:]...)
}

func (w *Writer) longest() int {
	if w.r == nil {
		return 0
	}
	all, _ := w.r.list()
	if len(all) == 0 {
		return 0
	}
	return len(all[0])
}

// safeCut moves cut back to where nothing that String would mask starts
// before it and ends after it (or may end after it once more is written):
// a known secret, a merged run of secret pieces, a secret-shaped pattern.
// Only the text around cut is searched.
func (w *Writer) safeCut(cut int) int {
	s := string(w.buf)
	var all []string
	if w.r != nil {
		all, _ = w.r.list()
	}
	for range 64 { // each pass only moves cut back; a few suffice
		was := cut
		for _, form := range all {
			lo, hi := max(0, cut-len(form)+1), min(len(s), cut+len(form)-1)
			if j := strings.Index(s[lo:hi], form); j >= 0 && lo+j < cut {
				cut = lo + j // the first that spans cut starts earliest
			}
		}
		cut = w.spanCut(s, cut)
		cut = patternCut(s, cut)
		for cut > 0 && !utf8.RuneStart(s[cut]) { // maskSpans widens to whole runes
			cut--
		}
		if cut == was || cut <= 0 {
			return cut
		}
	}
	return 0
}

// spanCut moves cut back to the start of the merged run of secret pieces
// it falls in or ends, looking further back while the run goes on.
func (w *Writer) spanCut(s string, cut int) int {
	if w.r == nil || cut <= 0 {
		return cut
	}
	hi := min(len(s), cut+RunLen-1) // every piece that spans cut ends by hi
	for reach := 4 * RunLen; ; reach *= 2 {
		lo := max(0, cut-reach)
		start := -1
		for _, sp := range w.r.pieceSpans(s[lo:hi]) {
			if lo+sp[0] < cut && cut <= lo+sp[1] {
				start = lo + sp[0]
			}
		}
		switch {
		case start < 0:
			return cut
		case start > lo || lo == 0:
			return start
		} // the run may start before lo: look further back
	}
}

var pemEnd = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`-----END [A-Z ]*PRIVATE KEY-----`) })

// patternCut moves cut back to the start of a pattern match that spans it
// or reaches the end of s (it may grow with the next write). Patterns
// match within a line or two, so only the lines around cut are searched
// (String's own search of the whole text is the cost that stays); a PEM
// key is found by its BEGIN line, however far back.
func patternCut(s string, cut int) int {
	from := strings.LastIndexByte(s[:cut], '\n')
	if from > 0 {
		from = strings.LastIndexByte(s[:from], '\n') // the line before, for a header folded onto the next
	}
	from++
	region := s[from:]
	lower := strings.ToLower(region)
	for _, p := range patterns {
		for _, h := range p.hints {
			if !strings.Contains(lower, h) {
				continue
			}
			for _, loc := range p.re().FindAllStringIndex(region, -1) {
				if start, end := from+loc[0], from+loc[1]; start < cut && (end > cut || end == len(s)) {
					cut = start
				}
			}
			break
		}
	}
	if begin := strings.LastIndex(s[:cut], "-----BEGIN "); begin >= 0 {
		line, _, _ := strings.Cut(s[begin:], "\n")
		if end := pemEnd().FindStringIndex(s[begin:]); strings.Contains(line, "PRIVATE KEY-----") && (end == nil || begin+end[1] > cut) {
			cut = begin // the key's lines, up to its END line, are masked with it, as String does
		}
	}
	return cut
}
