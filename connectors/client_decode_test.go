package connectors_test

// Issue 17, finding 3, on the client's side: the only decoder is Go's
// transport undoing gzip (it asked for it); the body is read through the
// MaxBody cap after decoding, so a gzip bomb costs the cap, not its size.
// Other encodings are never asked for, so never decoded.

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"runtime"
	"testing"

	"storelink/connectors"
)

func TestClientDecodesGzipWithinTheCap(t *testing.T) {
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	_, _ = zw.Write(make([]byte, 64<<20))
	_ = zw.Close()
	asked := make(chan string, 2)
	srv := startServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- r.Header.Get("Accept-Encoding")
		enc := "gzip"
		if r.URL.Path == "/br" {
			enc = "br" // never asked for: passed on as sent
		}
		w.Header().Set("Content-Encoding", enc)
		_, _ = w.Write(bomb.Bytes())
	}))
	c := connectors.NewClient(connectors.ClientOptions{})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := c.Do(context.Background(), connectors.Request{URL: srv.URL + "/gzip"})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if a := <-asked; a != "gzip" {
		t.Errorf("the client asked for %q; only gzip is decoded", a)
	}
	if !resp.Truncated || len(resp.Body) != connectors.DefaultMaxBody || resp.Body[0] != 0 {
		t.Errorf("a 64 MiB gzip answer: %d bytes kept, truncated %v", len(resp.Body), resp.Truncated)
	}
	// The cap, read as ReadAll grows it (each growth a copy), plus the
	// transport's buffers: a few MiB, a fraction of the 64 MiB decoded whole.
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d-byte gzip answer of 64 MiB: %d KiB allocated", bomb.Len(), allocated>>10)
	if allocated > 16<<20 {
		t.Errorf("reading a gzip bomb allocated %d KiB", allocated>>10)
	}
	resp, err = c.Do(context.Background(), connectors.Request{URL: srv.URL + "/br"})
	if err != nil || !bytes.Equal(resp.Body, bomb.Bytes()) {
		t.Errorf("an answer in an encoding never asked for is decoded: %v", err)
	}
}
