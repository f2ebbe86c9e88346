package upgates_test

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"storelink/connectors/upgates"
)

const limit = upgates.DefaultMaxBody

func brotliBytes(tb testing.TB, data []byte, quality, lgwin int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// zstdBytes compresses as a stream (the frame does not say its size) with
// the given window, as an HTTP sender that streams does.
func zstdBytes(tb testing.TB, data []byte, window int, level zstd.EncoderLevel) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := zstd.NewWriter(&buf, zstd.WithWindowSize(window), zstd.WithEncoderLevel(level), zstd.WithSingleSegment(false))
	if err != nil {
		tb.Fatal(err)
	}
	for chunk := range slicesChunk(data, 4096) {
		if _, err := w.Write(chunk); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func slicesChunk(data []byte, n int) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(data) > 0 {
			k := min(n, len(data))
			if !yield(data[:k]) {
				return
			}
			data = data[k:]
		}
	}
}

func compressWith(tb testing.TB, w io.WriteCloser, buf *bytes.Buffer, data []byte) []byte {
	tb.Helper()
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

type bomb struct {
	name, encoding string
	body           []byte
}

// bombs are small bodies that decode to 16 MiB of zeros, each declaring the
// largest window its format allows an HTTP sender. Made once: compressing
// takes a second.
func bombs(tb testing.TB) []bomb {
	tb.Helper()
	bombsOnce.Do(func() {
		zeros := make([]byte, 16<<20)
		var gz, zl, fl bytes.Buffer
		gw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw, _ := zlib.NewWriterLevel(&zl, zlib.BestCompression)
		fw, _ := flate.NewWriter(&fl, flate.BestCompression)
		bombList = []bomb{
			{"br one metablock", "br", brotliBytes(tb, zeros, 5, 24)},
			{"br many metablocks", "br", brotliBytes(tb, zeros, 1, 24)},
			{"zstd 8 MiB window", "zstd", zstdBytes(tb, zeros, 8<<20, zstd.SpeedBestCompression)},
			{"gzip", "gzip", compressWith(tb, gw, &gz, zeros)},
			{"deflate", "deflate", compressWith(tb, zw, &zl, zeros)},
			{"raw deflate", "deflate", compressWith(tb, fw, &fl, zeros)},
		}
	})
	return bombList
}

var (
	bombsOnce sync.Once
	bombList  []bomb
)

// allocatedPerDecode is the bytes one DecodeBody allocates, averaged over a
// few runs.
func allocatedPerDecode(b bomb) (uint64, error) {
	const runs = 5
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var err error
	for range runs {
		_, err = upgates.DecodeBody(b.body, b.encoding, limit)
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / runs, err
}

// Finding 3: a 14-byte brotli body cost 16 MiB to refuse.
func TestDecodeBombsAllocateAtMostDecodeMemory(t *testing.T) {
	bound := upgates.DecodeMemory(limit)
	for _, b := range bombs(t) {
		per, err := allocatedPerDecode(b)
		if err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("%s (%d bytes): %v, want refused as too large", b.name, len(b.body), err)
		}
		t.Logf("%s: %d bytes sent, %d KiB allocated to refuse it", b.name, len(b.body), per>>10)
		if per > uint64(bound) {
			t.Errorf("%s: %d bytes allocated per decode, over the stated %d", b.name, per, bound)
		}
	}
}

func BenchmarkDecodeBomb(b *testing.B) {
	for _, bm := range bombs(b) {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := upgates.DecodeBody(bm.body, bm.encoding, limit); err == nil {
					b.Fatal("a bomb was accepted")
				}
			}
		})
	}
}

// text is English-like, so brotli's quality 11 uses its static dictionary:
// the part of the format whose meaning depends on the window.
func text(n int, seed uint64) []byte {
	words := strings.Fields("the of and to in is you that it he was for on are as with his they at be this have from or one had by word but not what all were we when your can said there use an each which she do how their if will up other about out many then them these so some her would make like him into time has look two more write go see number no way could people my than first water been call who oil its now find long down day did get come made may part information international development government")
	r := rand.New(rand.NewPCG(seed, seed))
	var buf bytes.Buffer
	for buf.Len() < n {
		buf.WriteString(words[r.IntN(len(words))])
		buf.WriteString([]string{" ", " ", ", ", ". ", "\n"}[r.IntN(5)])
	}
	return buf.Bytes()[:n]
}

func noise(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	out := make([]byte, n)
	for i := range out {
		out[i] = byte(r.Uint32())
	}
	return out
}

// Bodies up to the limit decode exactly, whatever window the sender chose:
// the bounded brotli window and zstd's decode-all change no output.
func TestDecodeKeepsBodiesUpToTheLimit(t *testing.T) {
	s := testSigner(t)
	bodies := map[string][]byte{
		"request":          s.Request(validRequest()),
		"text at limit":    text(limit, 1),
		"text 40 KiB":      text(40<<10, 2),
		"noise":            noise(limit-100, 3),
		"zeros at limit":   make([]byte, limit),
		"text then repeat": append(text(20<<10, 4), bytes.Repeat(text(1<<10, 5), 40)...)[:limit],
	}
	for name, body := range bodies {
		for _, q := range []int{0, 1, 5, 9, 11} {
			for _, lgwin := range []int{10, 16, 17, 18, 22, 24} {
				enc := brotliBytes(t, body, q, lgwin)
				if got, err := upgates.DecodeBody(enc, "br", limit); err != nil || !bytes.Equal(got, body) {
					t.Errorf("br %s q%d lgwin %d: %v, equal %v", name, q, lgwin, err, bytes.Equal(got, body))
				}
			}
		}
		for _, window := range []int{1 << 10, 1 << 17, 1 << 20, 8 << 20} {
			for _, level := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedBestCompression} {
				enc := zstdBytes(t, body, window, level)
				if got, err := upgates.DecodeBody(enc, "zstd", limit); err != nil || !bytes.Equal(got, body) {
					t.Errorf("zstd %s window %d level %v: %v", name, window, level, err)
				}
			}
		}
	}
	over := text(limit+1, 6)
	for _, enc := range [][2]string{{"br", string(brotliBytes(t, over, 11, 22))}, {"zstd", string(zstdBytes(t, over, 8<<20, zstd.SpeedDefault))}} {
		if _, err := upgates.DecodeBody([]byte(enc[1]), enc[0], limit); err == nil || !strings.Contains(err.Error(), "larger than") {
			t.Errorf("%s, one byte over the limit: %v", enc[0], err)
		}
	}
}

func TestDecodeRefusesDamage(t *testing.T) {
	full := brotliBytes(t, text(10<<10, 7), 11, 22)
	for _, c := range []struct{ name, enc, body string }{
		{"cut brotli", "br", string(full[:len(full)/2])},
		{"cut zstd", "zstd", string(zstdBytes(t, text(10<<10, 8), 1<<20, zstd.SpeedDefault)[:100])},
	} {
		if _, err := upgates.DecodeBody([]byte(c.body), c.enc, limit); err == nil || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("%s: %v, want damaged", c.name, err)
		}
	}
	wide := zstdBytes(t, make([]byte, 20<<20), 16<<20, zstd.SpeedFastest)
	if _, err := upgates.DecodeBody(wide, "zstd", limit); err == nil || !strings.Contains(err.Error(), "window larger than 8 MiB") {
		t.Errorf("a zstd window of 16 MiB: %v", err)
	}
}

// heapObjects is the heap in use by objects, dead ones not yet swept
// included.
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// Finding 3's 200 at once: the handler's heap stays within MaxDecodes
// decodes plus the requests' own small share.
func TestHandlerBrotliBombsAtOnceStayBounded(t *testing.T) {
	s := testSigner(t)
	// A budget no busy machine runs out of: what is measured is the memory of
	// 200 bombs waiting their turn, not how fast a loaded CI decodes them
	// (with the 4 s default a few got "busy" under -race beside other tests).
	h, err := upgates.NewHandler(upgates.HandlerOptions{Key: s.Public(), SignatureToken: s.SignatureToken, Now: fixedClock, Budget: time.Minute,
		Save: func(context.Context, upgates.Installation) error { return errors.New("no bomb reaches Save") }})
	if err != nil {
		t.Fatal(err)
	}
	br := bombs(t)[0].body
	const requests = 200
	// A low GC target keeps the heap close to what is live, which is what the
	// bound is about; the sampler sees the peak between collections.
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	base := heapObjects()
	var peak uint64
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapObjects())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	var wg sync.WaitGroup
	answers := make([]string, requests)
	start := make(chan struct{})
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(br))
			req.Header.Set("Content-Encoding", "br")
			rec := httptest.NewRecorder()
			<-start
			h.ServeHTTP(rec, req)
			answers[i] = fmt.Sprint(rec.Code, " ", rec.Body.String())
		}()
	}
	close(start)
	wg.Wait()
	close(done)
	<-sampled
	// Each waiting request holds its goroutine's request, recorder and raw
	// body (here 14 bytes): a few KiB.
	bound := uint64(upgates.MaxDecodes*upgates.DecodeMemory(limit) + requests*16<<10)
	t.Logf("%d brotli bombs at once: heap peak %d KiB over the %d KiB before (bound %d KiB)", requests, (peak-base)>>10, base>>10, bound>>10)
	if peak > base && peak-base > bound {
		t.Errorf("the heap grew by %d KiB with %d bombs at once; the bound is %d KiB", (peak-base)>>10, requests, bound>>10)
	}
	for i, a := range answers {
		if !strings.HasPrefix(a, "200 ") || !strings.Contains(a, "larger than") {
			t.Fatalf("bomb %d: %s", i, a)
		}
	}
}

// A request that finds every place taken for its whole budget is refused in
// words (a 200, which Upgates shows), and served once a place is free.
func TestHandlerWaitsForAPlaceToDecode(t *testing.T) {
	s := testSigner(t)
	h, err := upgates.NewHandler(upgates.HandlerOptions{Key: s.Public(), SignatureToken: s.SignatureToken, Now: fixedClock,
		Budget: 50 * time.Millisecond, Save: func(context.Context, upgates.Installation) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	body := brotliBytes(t, s.Request(validRequest()), 11, 22)
	serve := func() string {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Encoding", "br")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return fmt.Sprint(rec.Code, " ", rec.Body.String())
	}
	release := upgates.HoldDecodes(h)
	if got := serve(); !strings.HasPrefix(got, "200 ") || !strings.Contains(got, "busy") {
		t.Errorf("with every place taken: %s", got)
	}
	// A body without Content-Encoding needs no place.
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(s.Request(validRequest())))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), `"error":false`) {
		t.Errorf("an uncompressed request while decodes are busy: %s", rec.Body.String())
	}
	release()
	if got := serve(); !strings.Contains(got, `"error":false`) {
		t.Errorf("once a place is free: %s", got)
	}
}

// The bounded brotli decoder gives what the library's own gives, for every
// stream that decodes within the limit, and refuses what it refuses.
func FuzzBoundedBrotliMatchesBrotli(f *testing.F) {
	for i, lgwin := range []int{10, 17, 18, 22, 24} {
		f.Add(brotliBytes(f, text(3000, uint64(i)), 11, lgwin))
		f.Add(brotliBytes(f, noise(500, uint64(i)), 5, lgwin))
	}
	f.Add(bombs(f)[0].body)
	const small = 4096
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := upgates.DecodeBody(data, "br", small)
		want, werr := io.ReadAll(io.LimitReader(brotli.NewReader(bytes.NewReader(data)), small+1))
		refWithin := werr == nil && len(want) <= small
		switch {
		case err == nil && !refWithin:
			t.Fatalf("bounded decode accepted %d bytes that brotli gives as %d bytes, %v", len(got), len(want), werr)
		case err == nil && !bytes.Equal(got, want):
			t.Fatalf("bounded decode differs from brotli's")
		case err != nil && refWithin:
			t.Fatalf("bounded decode refused (%v) what brotli decodes to %d bytes", err, len(want))
		}
	})
}
