package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
	"storelink/engine"
	"storelink/setup"
)

func upgatesHarness(t *testing.T) *harness {
	h := newHarness(t)
	h.reg = connectors.NewRegistry()
	h.reg.Register(upgates.Info())
	return h
}

// installation is a signed installation request for an Upgates emulator,
// saved to a file, with the public key beside it.
type installation struct {
	api    *upgatestest.Server
	signer *upgatestest.Signer
	pub    string // the public key file
	req    upgatestest.InstallRequest
	file   string // the request's JSON body
}

func newInstallation(t *testing.T) installation {
	t.Helper()
	in := installation{api: upgatestest.New(t, upgatestest.Options{}), signer: upgatestest.NewSigner(t)}
	dir := t.TempDir()
	in.pub = in.signer.WritePublicKey(t, dir)
	in.req = upgatestest.ValidRequest(in.api.APIURL, time.Now().Add(10*time.Minute))
	in.file = filepath.Join(dir, "install.json")
	if err := os.WriteFile(in.file, in.signer.Request(in.req), 0o600); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestUpgatesImportVerifiesTheSignatureThenSaves(t *testing.T) {
	h := upgatesHarness(t)
	in := newInstallation(t)
	api, signer, pub, req, file := in.api, in.signer, in.pub, in.req, in.file
	code, out, stderr := h.run(signer.SignatureToken+"\n", "upgates", "import", file, "--public-key", pub, "--name", "My Upgates", "--json")
	if code != 0 {
		t.Fatalf("import: %d %s %s", code, out, stderr)
	}
	var res testOutput
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Code != connectors.CodeOK || res.Requests != 1 {
		t.Fatalf("import verified with %s", out)
	}
	_, list, _ := h.run("", "list", "--json")
	if !strings.Contains(list, `"My Upgates"`) || strings.Contains(list, req.APIKey) || strings.Contains(list, signer.SignatureToken) {
		t.Fatalf("list = %s", list)
	}
	if len(h.mem.Keys()) != 1 {
		t.Fatalf("keychain items = %v", h.mem.Keys())
	}
	if log := h.logText(); strings.Contains(log, req.APIKey) || strings.Contains(log, signer.SignatureToken) {
		t.Fatal("the log holds a secret")
	}

	// A tampered request is refused with its reason; nothing more is saved.
	req.APIUser = "someone-else"
	tampered := upgatestest.Body(req, signer.Sign(upgatestest.ValidRequest(api.APIURL, time.Now().Add(10*time.Minute))))
	_ = os.WriteFile(file, tampered, 0o600)
	code, _, stderr = h.run(signer.SignatureToken+"\n", "upgates", "import", file, "--public-key", pub, "--name", "Forged")
	if code != ExitFailed || !strings.Contains(stderr, "signature_invalid") {
		t.Fatalf("tampered: %d %q", code, stderr)
	}
	if len(h.mem.Keys()) != 1 {
		t.Fatal("a refused request stored a secret")
	}
	if code, _, stderr := h.run("", "upgates", "import", file, "--public-key", pub); code != ExitInvalid || !strings.Contains(stderr, "signature token: required") {
		t.Fatalf("no token: %d %q", code, stderr)
	}
}

func TestUpgatesServeSavesFromAnInstallationRequest(t *testing.T) {
	h := upgatesHarness(t)
	api := upgatestest.New(t, upgatestest.Options{})
	signer := upgatestest.NewSigner(t)
	pub := signer.WritePublicKey(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int)
	go func() {
		var out bytes.Buffer
		done <- Main([]string{"upgates", "serve", "--listen", "127.0.0.1:0", "--public-key", pub}, Env{
			Stdin: strings.NewReader(signer.SignatureToken + "\n"), Stdout: &out, Stderr: pw, Registry: h.reg, Context: ctx,
			Setup: func(level string) (*engine.Engine, error) {
				return setup.Open(setup.Options{Home: h.home, Secrets: h.mem, Registry: h.reg})
			},
		})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatal("serve printed nothing")
	}
	first := lines.Text()
	addr := strings.TrimSuffix(first[strings.Index(first, "http://"):strings.Index(first, "/ (")], "")
	tested := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if strings.HasPrefix(lines.Text(), "Tested") {
				tested <- lines.Text()
			}
		}
	}()
	body, _ := upgatestest.Compress(signer.Request(upgatestest.ValidRequest(api.APIURL, time.Now().Add(10*time.Minute))), "gzip")
	req, _ := http.NewRequest(http.MethodPost, addr+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.TrimSpace(string(answer)) != `{"error":false,"message":""}` {
		t.Fatalf("answer = %d %s", resp.StatusCode, answer)
	}
	select {
	case line := <-tested:
		if !strings.HasSuffix(line, ": ok") {
			t.Fatalf("background verification: %s", line)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the saved connection was never verified")
	}
	_, list, _ := h.run("", "list", "--json")
	if !strings.Contains(list, `"Upgates 127"`) || !strings.Contains(list, `"code": "ok"`) && !strings.Contains(list, `"code":"ok"`) {
		t.Fatalf("list = %s", list)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d", code)
	}
}
