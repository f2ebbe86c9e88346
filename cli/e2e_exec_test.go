//go:build e2e && !windows

// End to end, `storelink exec`: the real binary, the real keychain, a real
// program (sh) as the child.
package cli

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"storelink/connectors/prestashop/pstest"
)

// execBinary is a binary with one saved PrestaShop connection "Shop".
func execBinary(t *testing.T) *binary {
	b := newBinary(t)
	b.saveShop("Shop", "127.0.0.1:8080", pstest.DefaultKey)
	return b
}

func (b *binary) saveShop(name, address, key string) {
	b.t.Helper()
	code, _, errs := b.run(`{"api_key":"`+key+`"}`, "create", "--app", "prestashop", "--name", name,
		"--set", "store_url="+address, "--set", "use_https=false", "--secrets-stdin", "--no-verify")
	if code != 0 {
		b.t.Fatalf("create %s: %d %s", name, code, errs)
	}
}

// noRunOf fails if out shows any RunLen (8) bytes of secret.
func noRunOf(t *testing.T, what, out, secret string) {
	t.Helper()
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(out, secret[i:i+8]) {
			t.Errorf("%s shows %q of the secret", what, secret[i:i+8])
			return
		}
	}
}

func TestE2EExecVariablesAndMasking(t *testing.T) {
	b := execBinary(t)
	key := pstest.DefaultKey
	// The child sees the variables; the key is masked in both streams.
	code, out, errs := b.run("", "exec", "Shop", "--", "sh", "-c",
		`printf '%s|%s|%s\n' "$STORELINK_URL" "$STORELINK_API_URL" "$PRESTASHOP_API_KEY"; printf 'err %s\n' "$PRESTASHOP_API_KEY" >&2`)
	if code != 0 || out != "http://127.0.0.1:8080|http://127.0.0.1:8080/api|****\n" || errs != "err ****\n" {
		t.Fatalf("exec: %d %q %q", code, out, errs)
	}
	// Halves written apart, first at once, then with a pause longer than
	// the idle time (the first half is shown before the second comes).
	halves := `printf %s "${PRESTASHOP_API_KEY%????????????????}"; PAUSE printf '%s\n' "${PRESTASHOP_API_KEY#????????????????}"`
	if _, out, _ = b.run("", "exec", "Shop", "--", "sh", "-c", strings.Replace(halves, "PAUSE", "", 1)); out != "****\n" {
		t.Errorf("halves written back to back: %q, want one mask", out)
	}
	_, out, _ = b.run("", "exec", "Shop", "--", "sh", "-c", strings.Replace(halves, "PAUSE", "sleep 0.5;", 1))
	noRunOf(t, "halves written 0.5 s apart", out, key)
	if !strings.HasSuffix(out, "\n") || !strings.Contains(out, "****") {
		t.Errorf("halves written 0.5 s apart: %q", out)
	}
	// A key in the middle of a line of 140 KB, longer than a pipe holds.
	_, out, _ = b.run("", "exec", "Shop", "--", "sh", "-c",
		`yes x | head -c 140000 | tr -d '\n'; printf %s "$PRESTASHOP_API_KEY"; yes y | head -c 140000 | tr -d '\n'; echo`)
	if want := strings.Repeat("x", 70000) + "****" + strings.Repeat("y", 70000) + "\n"; out != want {
		noRunOf(t, "the long line", out, key)
		t.Errorf("the long line: %d bytes, want %d with the key masked", len(out), len(want))
	}
	// --no-masking shows it.
	if _, out, _ = b.run("", "exec", "--no-masking", "Shop", "--", "sh", "-c", `printf %s "$PRESTASHOP_API_KEY"`); out != key {
		t.Errorf("--no-masking: %q", out)
	}
	b.assertNoLeak(key)
}

func TestE2EExecStatusAndSignals(t *testing.T) {
	b := execBinary(t)
	for cmd, want := range map[string]int{"exit 0": 0, "exit 3": 3, "kill -TERM $$": 143, "kill -KILL $$": 137} {
		if code, _, errs := b.run("", "exec", "Shop", "--", "sh", "-c", cmd); code != want {
			t.Errorf("%s: status %d, want %d (%s)", cmd, code, want, errs)
		}
	}
	// SIGTERM to storelink reaches the program, which decides how to end.
	cmd := exec.Command(b.path, "exec", "Shop", "--", "sh", "-c", `trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 0.05; done`)
	cmd.Env = append(os.Environ(), "STORELINK_HOME="+b.home)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() || lines.Text() != "ready" {
		t.Fatalf("the program did not start: %q", lines.Text())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	_ = cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 7 || strings.Join(rest, "\n") != "got TERM" {
		t.Errorf("after SIGTERM: status %d, output %q; want 7 and the program's words", code, rest)
	}
}

func TestE2EExecSeveralConnections(t *testing.T) {
	b := execBinary(t)
	other := "OTHERKEY0123456789ABCDEFGHIJKLMN"
	b.saveShop("shop.cz", "cz.example", other)
	code, out, errs := b.run("", "exec", "Shop", "shop.cz", "--", "sh", "-c",
		`printf '%s %s %s %s\n' "$SHOP_STORELINK_URL" "$SHOP_CZ_STORELINK_URL" "$SHOP_CZ_PRESTASHOP_API_KEY" "$SHOP_PRESTASHOP_API_KEY"`)
	if code != 0 || out != "http://127.0.0.1:8080 http://cz.example **** ****\n" {
		t.Fatalf("%d %q %s", code, out, errs)
	}
	b.saveShop("shop-cz", "cz2.example", other)
	if code, _, errs := b.run("", "exec", "shop.cz", "shop-cz", "--", "true"); code != 2 || !strings.Contains(errs, "SHOP_CZ_") {
		t.Errorf("two names, one prefix: %d %s", code, errs)
	}
}

// Nothing is written to disk: the home and the temporary folder gain no
// file holding the key, every file opened for writing (strace) is the log
// or a device, and no command line holds the key.
func TestE2EExecWritesNothing(t *testing.T) {
	b := execBinary(t)
	key := pstest.DefaultKey
	tmp := t.TempDir()
	b.env = append(b.env, "TMPDIR="+tmp)
	script := `printf '%s\n' "$PRESTASHOP_API_KEY"; env | grep -c PRESTASHOP_API_KEY`
	code, out, errs := b.run("", "exec", "Shop", "--", "sh", "-c", script)
	if code != 0 || out != "****\n1\n" {
		t.Fatalf("exec: %d %q %s", code, out, errs)
	}
	b.assertNoLeak(key, out, errs)
	assertNoFileHolds(t, tmp, key)
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Skip("strace is not installed: the files opened for writing are not traced (home and temporary folder were checked)")
	}
	trace := filepath.Join(t.TempDir(), "trace")
	cmd := exec.Command(strace, "-f", "-s", "4096", "-e", "trace=open,openat,creat,execve", "-o", trace, b.path, "exec", "Shop", "--", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "STORELINK_HOME="+b.home, "TMPDIR="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "ptrace") {
			t.Skipf("strace cannot trace here: %s", stderr.String())
		}
		t.Fatalf("strace: %v %s", err, stderr.String())
	}
	data, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	noRunOf(t, "the trace (argv of every program started)", text, key)
	if !strings.Contains(text, `execve("/`) || !strings.Contains(text, `["sh", "-c", "printf`) {
		t.Fatalf("the trace shows no program started:\n%.2000s", text)
	}
	logs := filepath.Join(b.home, "logs")
	sawLog := false
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, "open") && !strings.Contains(line, "creat(") || !(strings.Contains(line, "O_WRONLY") || strings.Contains(line, "O_RDWR") || strings.Contains(line, "creat(")) {
			continue
		}
		start := strings.Index(line, `"`)
		end := strings.Index(line[start+1:], `"`)
		if start < 0 || end < 0 {
			continue
		}
		path := line[start+1 : start+1+end]
		sawLog = sawLog || strings.HasPrefix(path, logs)
		if strings.HasPrefix(path, "/dev/") || strings.HasPrefix(path, logs) || strings.HasSuffix(path, ".lock") {
			continue
		}
		t.Errorf("a file was opened for writing: %s", line)
	}
	if !sawLog {
		t.Errorf("the trace does not show the log opened for writing: these lines were not read right:\n%.3000s", text)
	}
	b.assertNoLeak(key)
	assertNoFileHolds(t, tmp, key)
}

func assertNoFileHolds(t *testing.T, dir, secret string) {
	t.Helper()
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s holds the secret", p)
			}
		}
		return nil
	})
}

// A prompt without a newline appears while the program waits for its
// answer: the masking holds back only what may be a secret's start, and
// that only for a moment.
func TestE2EExecPromptAppears(t *testing.T) {
	b := execBinary(t)
	cmd := exec.Command(b.path, "exec", "Shop", "--", "sh", "-c", `printf 'Delete everything? [y/N] '; read answer; echo "answer: $answer"`)
	cmd.Env = append(os.Environ(), "STORELINK_HOME="+b.home)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }() // only if the test failed before the end
	prompt := make(chan string, 1)
	go func() {
		buf := make([]byte, 64)
		n, _ := io.ReadAtLeast(stdout, buf, len("Delete everything? [y/N] "))
		prompt <- string(buf[:n])
	}()
	select {
	case got := <-prompt:
		if got != "Delete everything? [y/N] " {
			t.Fatalf("prompt %q", got)
		}
	case <-time.After(30 * time.Second): // a bound for a hung test, not a measure
		t.Fatal("the prompt did not appear while the program waited for its answer")
	}
	_, _ = io.WriteString(stdin, "y\n")
	rest, _ := io.ReadAll(stdout)
	if err := cmd.Wait(); err != nil || string(rest) != "answer: y\n" {
		t.Errorf("after the answer: %v %q", err, rest)
	}
}
