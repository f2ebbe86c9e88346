//go:build e2e

// Issue 17, findings 3 and 5, through the real binary: decompression bombs
// sent to `upgates serve` many at once stay within a stated memory bound, and
// every file Storelink reads (installation requests, public keys, CA files)
// is refused within seconds, naming the flag or field and the file, when it
// is a device, a pipe with no writer, a folder or far too large.
package cli

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
)

// hangGuard is how long a command may take before the test calls it hung:
// each of these ends in well under a second when it works.
const hangGuard = 15 * time.Second

// runBounded runs the binary like b.run, but kills it after hangGuard and
// fails the test: the finding was a command that never ended.
func (b *binary) runBounded(stdin string, args ...string) (int, string, string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangGuard)
	defer cancel()
	cmd := exec.CommandContext(ctx, b.path, args...)
	cmd.Env = append(append(os.Environ(), "STORELINK_HOME="+b.home, "STORELINK_LOG_LEVEL=debug"), b.env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		b.t.Errorf("%v did not end within %s (killed)", args, hangGuard)
		return -1, out.String(), errb.String()
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		b.t.Fatalf("running %v: %v", args, err)
	}
	return code, out.String(), errb.String()
}

// trap is a path that is not a file to read whole.
type trap struct{ name, path string }

// fileTraps makes, in dir: a FIFO with no writer, a folder, and a sparse
// regular file one byte over limit (costs no disk); plus /dev/zero.
func fileTraps(t *testing.T, dir string, limit int64) []trap {
	t.Helper()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "folder")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "oversized")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(limit + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return []trap{{"/dev/zero", "/dev/zero"}, {"FIFO with no writer", fifo}, {"folder", folder}, {"oversized file", big}}
}

// ran is how one run of the binary ended.
type ran struct {
	code      int
	out, errs string
}

// refusal is what a refused read must say: what was run, and the flag or
// field (label) and the file (path) its message names.
type refusal struct{ what, label, path string }

// assertRefused checks one refused read: a non-zero exit and a message that
// names the flag or field and the file.
func assertRefused(t *testing.T, got ran, want refusal) {
	t.Helper()
	text := got.out + got.errs
	if got.code <= 0 {
		t.Errorf("%s: exit %d, want a refusal (%q)", want.what, got.code, text)
	}
	if !strings.Contains(text, want.label) || !strings.Contains(text, want.path) {
		t.Errorf("%s: the message does not name %q and %s: %q", want.what, want.label, want.path, text)
	}
}

func (b *binary) assertNothingSaved(what string) {
	b.t.Helper()
	if _, list, _ := b.run("", "list", "--json"); strings.TrimSpace(list) != "[]" {
		b.t.Errorf("%s: something was saved: %s", what, list)
	}
}

func TestE2EUpgatesImportRefusesFilesThatAreNotFiles(t *testing.T) {
	b := newBinary(t)
	in := newInstallation(t)
	token := in.signer.SignatureToken + "\n"
	for _, tr := range fileTraps(t, t.TempDir(), connectors.MaxImportFileSize) {
		code, out, errs := b.runBounded(token, "upgates", "import", tr.path, "--public-key", in.pub)
		assertRefused(t, ran{code, out, errs}, refusal{"upgates import " + tr.name, "FILE", tr.path})
		b.assertNothingSaved("upgates import " + tr.name)
	}
	for _, tr := range fileTraps(t, t.TempDir(), connectors.MaxKeyFileSize) {
		code, out, errs := b.runBounded(token, "upgates", "import", in.file, "--public-key", tr.path)
		assertRefused(t, ran{code, out, errs}, refusal{"--public-key " + tr.name, "--public-key", tr.path})
		b.assertNothingSaved("--public-key " + tr.name)
	}
	// The files themselves still import.
	if code, _, errs := b.runBounded(token, "upgates", "import", in.file, "--public-key", in.pub, "--no-verify"); code != 0 {
		t.Fatalf("a real request and key: %d %s", code, errs)
	}
}

// serve --public-key used to start and then hang on the first request; the
// key is now read, bounded, before it listens.
func TestE2EUpgatesServeRefusesAPublicKeyThatIsNotAFile(t *testing.T) {
	b := newBinary(t)
	for _, tr := range fileTraps(t, t.TempDir(), connectors.MaxKeyFileSize) {
		code, out, errs := b.runBounded("token\n", "upgates", "serve", "--listen", "127.0.0.1:0", "--public-key", tr.path)
		assertRefused(t, ran{code, out, errs}, refusal{"serve --public-key " + tr.name, "--public-key", tr.path})
	}
}

// selfSignedPEM is a CA certificate for ca_file.
func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"}, IsCA: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestE2ECAFileThatIsNotAFile(t *testing.T) {
	b := newBinary(t)
	srv := pstest.New(pstest.Options{})
	defer srv.Close()
	secrets := `{"api_key":"` + pstest.DefaultKey + `"}`
	create := func(name, caFile string, extra ...string) (int, string, string) {
		args := append([]string{"create", "--app", "prestashop", "--name", name, "--set", "store_url=" + hostPort(t, srv.URL),
			"--set", "use_https=false", "--set", "ca_file=" + caFile, "--secrets-stdin"}, extra...)
		return b.runBounded(secrets, args...)
	}
	// create tests the connection before saving: it reads the CA file.
	for _, tr := range fileTraps(t, t.TempDir(), connectors.MaxCAFileSize) {
		code, out, errs := create("ps", tr.path)
		assertRefused(t, ran{code, out, errs}, refusal{"create with ca_file " + tr.name, "CA file", tr.path})
		b.assertNothingSaved("create with ca_file " + tr.name)
	}
	// A saved connection whose CA file was later replaced: test refuses it.
	dir := t.TempDir()
	for i, tr := range fileTraps(t, t.TempDir(), connectors.MaxCAFileSize) {
		name, ca := "saved-"+strconv.Itoa(i), filepath.Join(dir, "ca-"+strconv.Itoa(i)+".pem")
		if err := os.WriteFile(ca, selfSignedPEM(t), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, _, errs := create(name, ca); code != 0 {
			t.Fatalf("create with a real CA file: %d %s", code, errs)
		}
		if err := os.Remove(ca); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(tr.path, ca); err != nil {
			t.Fatal(err)
		}
		code, out, errs := b.runBounded("", "test", name)
		assertRefused(t, ran{code, out, errs}, refusal{"test with ca_file " + tr.name, "CA file", ca})
	}
}

// brotliBomb is a few bytes that declare brotli's largest window (16 MiB)
// and decode to 16 MiB of zeros.
func brotliBomb(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: 5, LGWin: 24})
	if _, err := w.Write(make([]byte, 16<<20)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// vmHWM is the process's peak resident memory, in bytes.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/PID/status")
	return 0
}

// serveBoundMiB is what the whole `upgates serve` process may reach while
// 200 brotli bombs arrive at once: its own start-up (about 15 MiB), the
// decodes (at most upgates.MaxDecodes at a time, see upgates.DecodeMemory)
// and 200 connections' buffers. Before the fix it reached about 3 GiB.
const serveBoundMiB = 64

func TestE2EServeBrotliBombsStayBounded(t *testing.T) {
	b := newBinary(t)
	in := newInstallation(t)
	bomb := brotliBomb(t)
	cmd := exec.Command(b.path, "upgates", "serve", "--listen", "127.0.0.1:0", "--public-key", in.pub)
	cmd.Env = append(os.Environ(), "STORELINK_HOME="+b.home)
	cmd.Stdin = strings.NewReader(in.signer.SignatureToken + "\n")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill() // the process this test started
		_ = cmd.Wait()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if _, rest, ok := strings.Cut(sc.Text(), " on http://"); ok {
				addr <- strings.TrimSuffix(strings.Fields(rest)[0], "/")
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	var url string
	select {
	case a := <-addr:
		url = "http://" + a + "/"
	case <-time.After(hangGuard):
		t.Fatal("upgates serve did not say where it listens")
	}
	before := vmHWM(t, cmd.Process.Pid)

	const bombs = 200
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: bombs, MaxIdleConnsPerHost: bombs}, Timeout: 60 * time.Second}
	var wg sync.WaitGroup
	answers := make([]string, bombs)
	for i := range bombs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(bomb))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Content-Encoding", "br")
			resp, err := client.Do(req)
			if err != nil {
				answers[i] = err.Error()
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			answers[i] = resp.Status + " " + string(body)
		}()
	}
	wg.Wait()
	// Each bomb is refused: as too large once decoded, or, on a machine too
	// busy to decode 200 within the 4 s budget, as "busy" (the memory bound
	// below is what this test is about).
	tooLarge := 0
	for i, a := range answers {
		refused := strings.HasPrefix(a, "200 ") && strings.Contains(a, `"error":true`)
		if strings.Contains(a, "larger than") {
			tooLarge++
		}
		if !refused || !strings.Contains(a, "larger than") && !strings.Contains(a, "Storelink is busy") {
			t.Errorf("bomb %d: %s", i, a)
			break
		}
	}
	if tooLarge == 0 {
		t.Error("no bomb was decoded and refused as too large")
	}
	peak := vmHWM(t, cmd.Process.Pid)
	t.Logf("%d-byte brotli bomb x %d at once: VmHWM %d MiB before, %d MiB after", len(bomb), bombs, before>>20, peak>>20)
	if peak > serveBoundMiB<<20 {
		t.Errorf("upgates serve reached %d MiB with %d bombs at once; the bound is %d MiB", peak>>20, bombs, serveBoundMiB)
	}

	// A real request, compressed, is still accepted afterwards.
	body, err := compressBr(in.signer.Request(in.req))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Encoding", "br")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(answer), `"error":false`) {
		t.Errorf("a real brotli request after the bombs: %s %s", resp.Status, answer)
	}
}

// compressBr compresses as a usual sender does: its default 4 MiB window.
func compressBr(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: 11, LGWin: 22})
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	err := w.Close()
	return buf.Bytes(), err
}
