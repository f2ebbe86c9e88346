package redact

import (
	"bytes"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer the idle timer's goroutine may write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randomString(rng *rand.Rand, alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
}

// TestWriterMatchesString writes random texts full of secrets, in their
// forms and in pieces, cut at random points, and wants exactly what String
// makes of the whole text.
func TestWriterMatchesString(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 1))
	filler := "0123456789 .,;:-\n\t\"é€"
	for round := range 400 {
		r := New()
		var secrets []string
		for range 1 + rng.IntN(4) {
			s := randomString(rng, alnum, 4+rng.IntN(60))
			secrets = append(secrets, s)
			r.Add(s)
		}
		r.AddPair("admin", secrets[0])
		var in strings.Builder
		for range 1 + rng.IntN(40) {
			s := secrets[rng.IntN(len(secrets))]
			switch rng.IntN(6) {
			case 0:
				in.WriteString(s)
			case 1:
				in.WriteString(base64.StdEncoding.EncodeToString([]byte(s)))
			case 2:
				in.WriteString(url.QueryEscape(s + "/"))
			case 3: // a piece of it
				a := rng.IntN(len(s))
				in.WriteString(s[a : a+rng.IntN(len(s)-a)+1])
			case 4:
				in.WriteString(base64.StdEncoding.EncodeToString([]byte("admin:" + secrets[0])))
			case 5: // a long run of secret text, pieces of it back to back
				for range 5 + rng.IntN(20) {
					a := rng.IntN(len(s))
					in.WriteString(s[a:])
				}
			}
			in.WriteString(randomString(rng, filler, rng.IntN(30)))
		}
		whole := in.String()
		var out bytes.Buffer
		w := NewWriter(r, &out, -1)
		for rest := whole; rest != ""; {
			n := min(len(rest), 1+rng.IntN(40))
			if _, err := w.Write([]byte(rest[:n])); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if want := r.String(whole); out.String() != want {
			t.Fatalf("round %d: stream gave\n%q\nString gave\n%q\ninput\n%q", round, out.String(), want, whole)
		}
	}
}

// TestWriterLongLine: a secret in the middle of a line far longer than a
// pipe's 64 KiB, written in the 32 KiB pieces os/exec copies, with the cut
// inside the secret.
func TestWriterLongLine(t *testing.T) {
	secret := "s3cr3t-" + strings.Repeat("Q", 20) + "-tail"
	r := New()
	r.Add(secret)
	line := strings.Repeat("x", 32<<10-10) + secret + strings.Repeat("y", 100<<10) + "\n"
	var out bytes.Buffer
	w := NewWriter(r, &out, -1)
	for rest := line; rest != ""; {
		n := min(len(rest), 32<<10)
		if _, err := w.Write([]byte(rest[:n])); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.Contains(got, secret[:RunLen]) || strings.Contains(got, secret[len(secret)-RunLen:]) || !strings.Contains(got, "x"+Mask+"y") {
		t.Fatalf("the secret is not masked in the long line (%d bytes out)", len(got))
	}
	if got != r.String(line) {
		t.Fatal("the stream differs from String of the whole line")
	}
}

// TestWriterHoldsBackLittle: of a long text with no secret in it, all but
// the last few bytes are out before any flush.
func TestWriterHoldsBackLittle(t *testing.T) {
	r := New()
	r.Add("a-secret-of-forty-bytes-0123456789abcdef")
	var out bytes.Buffer
	w := NewWriter(r, &out, -1)
	text := strings.Repeat("no secret here ", 1000)
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	keep := max(w.longest()-1, patternReach)
	if out.Len() < len(text)-keep {
		t.Fatalf("held back %d bytes, want at most %d", len(text)-out.Len(), keep)
	}
	_ = w.Close()
	if out.String() != text {
		t.Fatal("Close did not write the rest as it was")
	}
}

// TestWriterIdleShowsPrompt: a prompt without a newline appears without
// Close once the program writes nothing more.
func TestWriterIdleShowsPrompt(t *testing.T) {
	r := New()
	r.Add("a-secret-of-forty-bytes-0123456789abcdef")
	var out lockedBuffer
	w := NewWriter(r, &out, 10*time.Millisecond)
	defer w.Close()
	if _, err := w.Write([]byte("Continue? [y/N] ")); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 500 && out.String() == ""; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if got := out.String(); got != "Continue? [y/N] " {
		t.Fatalf("after the idle time the prompt is %q", got)
	}
}

// TestWriterCutWithoutLookahead: halves of a secret with a flush between
// (a pause longer than the idle time) show no RunLen bytes of it.
func TestWriterCutWithoutLookahead(t *testing.T) {
	secret := "0123456789abcdefghijklmnopqrstuv"
	r := New()
	r.Add(secret)
	var out bytes.Buffer
	w := NewWriter(r, &out, -1)
	_, _ = w.Write([]byte("key " + secret[:16]))
	_ = w.Flush()
	_, _ = w.Write([]byte(secret[16:] + " done\n"))
	_ = w.Close()
	got := out.String()
	for i := 0; i+RunLen <= len(secret); i++ {
		if strings.Contains(got, secret[i:i+RunLen]) {
			t.Fatalf("%q shows %q of the secret", got, secret[i:i+RunLen])
		}
	}
	if !strings.HasPrefix(got, "key ") || !strings.HasSuffix(got, " done\n") {
		t.Fatalf("the text around the secret is lost: %q", got)
	}
}

// TestWriterPatternAcrossWrites: a header value, a shape needing no list,
// split after its name.
func TestWriterPatternAcrossWrites(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(New(), &out, -1)
	_, _ = w.Write([]byte(strings.Repeat("-", 100) + "\nAuthorization: Bea"))
	_, _ = w.Write([]byte("rer abcdefgh12345678\nnext\n"))
	_ = w.Close()
	if strings.Contains(out.String(), "abcdefgh") {
		t.Fatalf("the header value shows: %q", out.String())
	}
}

// TestWriterManySecretsBounded: a run of secret text longer than MaxHeld
// is written out (masked) before Close.
func TestWriterManySecretsBounded(t *testing.T) {
	secret := "ZYXWVUTSRQPONMLK"
	r := New()
	r.Add(secret)
	var out bytes.Buffer
	w := NewWriter(r, &out, -1)
	chunk := []byte(strings.Repeat(secret, 4096))
	for range 2 * MaxHeld / len(chunk) {
		_, _ = w.Write(chunk)
	}
	if out.Len() == 0 || len(w.buf) > MaxHeld+len(chunk) {
		t.Fatalf("held %d bytes, wrote %d", len(w.buf), out.Len())
	}
	_ = w.Close()
	if strings.Contains(out.String(), secret[:RunLen]) {
		t.Fatal("a piece of the secret shows")
	}
}

// FuzzWriter: any text, cut anywhere, comes out of the stream as String
// makes it of the whole text.
func FuzzWriter(f *testing.F) {
	f.Add([]byte("key K3yK3yK3yK3y-0123456789 and dGVzdA== and Authorization: Basic abc\n"), uint64(1))
	f.Add([]byte(strings.Repeat("x", 200)+"K3yK3yK3yK3y-0123456789"+strings.Repeat("y", 200)), uint64(7))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\nhttps://u:p@h/ ws_key=12345678 api_key=\"zz\""), uint64(3))
	f.Fuzz(func(t *testing.T, in []byte, seed uint64) {
		r := New()
		r.Add("K3yK3yK3yK3y-0123456789", "short", "p@ss/wörd+0123")
		r.AddPair("admin", "K3yK3yK3yK3y-0123456789")
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		var out bytes.Buffer
		w := NewWriter(r, &out, -1)
		for rest := in; len(rest) > 0; {
			n := min(len(rest), 1+rng.IntN(64))
			_, _ = w.Write(rest[:n])
			rest = rest[n:]
		}
		_ = w.Close()
		if want := r.String(string(in)); out.String() != want {
			t.Fatalf("stream gave\n%q\nString gave\n%q", out.String(), want)
		}
	})
}

// BenchmarkWriter: a program's output in os/exec's 32 KiB writes, three
// connections' secrets known: JSON lines with a secret after "token" every
// 20 lines (the patterns' hints present), and plain lines with the bare
// secret.
func BenchmarkWriter(b *testing.B) {
	r := New()
	for _, s := range []string{"UCCLLQ9N2ARSHWCXLT74KUKSSK34BFKX", "cs_0123456789abcdef0123456789abcdef", "shpat_0123456789abcdef0123"} {
		r.Add(s)
		r.AddPair("admin", s)
	}
	for _, c := range []struct{ name, line, secretLine string }{
		{"json", `{"id":7,"name":"Product é","price":"12.50"}`, "token UCCLLQ9N2ARSHWCXLT74KUKSSK34BFKX"},
		{"plain", "product 7 Product é 12.50 in stock", "UCCLLQ9N2ARSHWCXLT74KUKSSK34BFKX"},
	} {
		var text strings.Builder
		for i := 0; text.Len() < 32<<10; i++ {
			text.WriteString(c.line + "\n")
			if i%20 == 0 {
				text.WriteString(c.secretLine + "\n")
			}
		}
		chunk := []byte(text.String()[:32<<10])
		b.Run(c.name, func(b *testing.B) {
			w := NewWriter(r, io.Discard, -1)
			b.SetBytes(int64(len(chunk)))
			for b.Loop() {
				_, _ = w.Write(chunk)
			}
			_ = w.Close()
		})
		b.Run(c.name+"-String", func(b *testing.B) {
			b.SetBytes(int64(len(chunk)))
			for b.Loop() {
				_ = r.String(string(chunk))
			}
		})
	}
}
