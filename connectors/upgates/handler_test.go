package upgates_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

type endpoint struct {
	srv   *httptest.Server
	mu    sync.Mutex
	saved []upgates.Installation
	logs  []string
}

func (e *endpoint) logf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.logs = append(e.logs, fmt.Sprintf(format, args...))
}

func (e *endpoint) savedCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.saved)
}

func newEndpoint(t *testing.T, mod func(*upgates.HandlerOptions)) *endpoint {
	t.Helper()
	s := testSigner(t)
	e := &endpoint{}
	o := upgates.HandlerOptions{
		Key: s.Public(), SignatureToken: s.SignatureToken, Now: fixedClock, Logf: e.logf,
		Save: func(ctx context.Context, in upgates.Installation) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.saved = append(e.saved, in)
			return nil
		},
	}
	if mod != nil {
		mod(&o)
	}
	h, err := upgates.NewHandler(o)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = local127(t, h.ServeHTTP)
	return e
}

func post(t *testing.T, url string, body []byte, encoding string) (int, upgates.Answer) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if encoding != "" {
		req.Header.Set("Content-Encoding", encoding)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var a upgates.Answer
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatalf("answer %q is not the JSON the seed requires: %v", data, err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	return resp.StatusCode, a
}

func TestHandlerAcceptsEncodings(t *testing.T) {
	s := testSigner(t)
	body := s.Request(validRequest())
	for _, c := range []struct{ header, encode string }{
		{"", ""}, {"identity", ""}, {"gzip", "gzip"}, {"deflate", "deflate"}, {"deflate", "deflate-raw"}, {"br", "br"}, {"zstd", "zstd"}, {"gzip, br", "gzip+br"},
	} {
		t.Run(c.encode+"/"+c.header, func(t *testing.T) {
			e := newEndpoint(t, nil)
			data := body
			for _, enc := range strings.Split(c.encode, "+") {
				if enc == "" {
					continue
				}
				var err error
				if data, err = upgatestest.Compress(data, enc); err != nil {
					t.Fatal(err)
				}
			}
			status, a := post(t, e.srv.URL, data, c.header)
			if status != http.StatusOK || a.Error || a.Message != "" {
				t.Fatalf("answer %d %+v, want 200 {error:false, message:\"\"}", status, a)
			}
			if e.savedCount() != 1 || e.saved[0].APIKey != upgatestest.DefaultKey {
				t.Fatalf("saved = %+v", e.saved)
			}
		})
	}
}

func TestHandlerRefuses(t *testing.T) {
	s := testSigner(t)
	expired := validRequest()
	expired.Time = "2025-03-10T13:00:00Z"
	tampered := validRequest()
	sig := s.Sign(tampered)
	tampered.APIURL = "https://evil.example/api/v2"
	bomb := bytes.Repeat([]byte(" "), 10<<20)
	gzBomb, _ := upgatestest.Compress(bomb, "gzip")
	for _, c := range []struct {
		name, encoding string
		body           []byte
		want           string
	}{
		{"changed field", "", upgatestest.Body(tampered, sig), "signature does not match"},
		{"expired", "", s.Request(expired), "expired"},
		{"malformed JSON", "", []byte("{"), "not valid"},
		{"malformed base64", "", upgatestest.Body(validRequest(), "***"), "signature_v2 is not valid base64"},
		{"unknown encoding", "compress", s.Request(validRequest()), "not supported"},
		{"damaged gzip", "gzip", []byte("not gzip at all"), "damaged"},
		{"too large", "", bytes.Repeat([]byte("x"), upgates.DefaultMaxBody+1), "larger than"},
		{"decompression bomb", "gzip", gzBomb, "once decompressed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEndpoint(t, nil)
			status, a := post(t, e.srv.URL, c.body, c.encoding)
			// 200 with error:true: the only refusal Upgates shows the shop owner (seed 004).
			if status != http.StatusOK || !a.Error || !strings.Contains(a.Message, c.want) {
				t.Fatalf("answer %d %+v, want 200 error:true mentioning %q", status, a, c.want)
			}
			if e.savedCount() != 0 {
				t.Fatal("a refused request was saved")
			}
		})
	}
}

func TestHandlerOnlyPost(t *testing.T) {
	e := newEndpoint(t, nil)
	resp, err := http.Get(e.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %s, Allow %q", resp.Status, resp.Header.Get("Allow"))
	}
}

func TestHandlerSaveFails(t *testing.T) {
	s := testSigner(t)
	e := newEndpoint(t, func(o *upgates.HandlerOptions) {
		o.Save = func(context.Context, upgates.Installation) error {
			return errors.New("keychain locked while storing " + upgatestest.DefaultKey)
		}
	})
	status, a := post(t, e.srv.URL, s.Request(validRequest()), "")
	if status != http.StatusOK || !a.Error || !strings.Contains(a.Message, "could not save") {
		t.Fatalf("answer %d %+v", status, a)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, l := range e.logs {
		if strings.Contains(l, upgatestest.DefaultKey) {
			t.Errorf("log leaks the API key: %s", l)
		}
	}
}

// Verify blocks until the test releases it (at most 10 s); the answer must
// come back while it is still blocked.
func TestHandlerAnswersWhileVerifyIsSlow(t *testing.T) {
	s := testSigner(t)
	started := make(chan upgates.Installation, 1)
	release := make(chan struct{})
	finished := make(chan struct{})
	e := newEndpoint(t, func(o *upgates.HandlerOptions) {
		o.Verify = func(in upgates.Installation) {
			defer close(finished)
			started <- in
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
		}
	})
	defer func() {
		close(release)
		<-finished
	}()
	begin := time.Now()
	status, a := post(t, e.srv.URL, s.Request(validRequest()), "")
	took := time.Since(begin)
	if status != http.StatusOK || a.Error {
		t.Fatalf("answer %d %+v", status, a)
	}
	select {
	case <-finished:
		t.Fatal("Verify finished before the answer was checked: the test proves nothing")
	default:
	}
	select {
	case in := <-started:
		if in.APIKey != upgatestest.DefaultKey {
			t.Errorf("Verify got %+v", in)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Verify was never started")
	}
	if took >= upgates.DefaultBudget {
		t.Errorf("answer took %v, over the budget", took)
	}
}

func TestHandlerLogsNoSecrets(t *testing.T) {
	s := testSigner(t)
	e := newEndpoint(t, nil)
	bad := validRequest()
	sig := s.Sign(bad)
	bad.APIUser = "other"
	post(t, e.srv.URL, s.Request(validRequest()), "")
	post(t, e.srv.URL, upgatestest.Body(bad, sig), "")
	post(t, e.srv.URL, []byte("{"), "")
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.logs) != 3 {
		t.Fatalf("logs = %q, want one line per request", e.logs)
	}
	for _, l := range e.logs {
		for _, secret := range []string{upgatestest.DefaultKey, s.SignatureToken, sig[:16]} {
			if strings.Contains(l, secret) {
				t.Errorf("log line leaks a secret: %s", l)
			}
		}
	}
}

func TestNewHandlerNeedsOptions(t *testing.T) {
	s := testSigner(t)
	save := func(context.Context, upgates.Installation) error { return nil }
	for _, o := range []upgates.HandlerOptions{
		{SignatureToken: "t", Save: save},
		{Key: s.Public(), Save: save},
		{Key: s.Public(), SignatureToken: "t"},
	} {
		if _, err := upgates.NewHandler(o); err == nil {
			t.Errorf("NewHandler(%+v) accepted incomplete options", o)
		}
	}
}

func FuzzReadBody(f *testing.F) {
	s := testSigner(f)
	body := s.Request(validRequest())
	for _, enc := range []string{"gzip", "deflate", "br", "zstd"} {
		data, err := upgatestest.Compress(body, enc)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, enc)
	}
	f.Add(body, "")
	f.Add([]byte("x"), "gzip, br")
	f.Fuzz(func(t *testing.T, data []byte, enc string) {
		out, err := upgates.ReadBody(bytes.NewReader(data), enc, 4096)
		if err == nil && len(out) > 4096 {
			t.Fatalf("ReadBody returned %d bytes over its cap", len(out))
		}
	})
}
