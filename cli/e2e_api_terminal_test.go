//go:build e2e

package cli

// e2e_api_terminal_test.go: `storelink api` on a terminal (a pty): a
// write asks "Send POST /products to Shop (host)? [y/N]" and sends nothing
// unless the answer is yes, and an answer is indented for reading.

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"storelink/connectors/prestashop/pstest"
)

// onTerminal runs the binary with a pty as its stdin, stdout and stderr,
// answers each prompt that holds ask with reply, and returns what the
// terminal showed and the exit status.
func (b *binary) onTerminal(ask, reply string, args ...string) (string, int) {
	b.t.Helper()
	cmd := exec.Command(b.path, args...)
	cmd.Env = append(os.Environ(), "STORELINK_HOME="+b.home)
	tty, err := pty.Start(cmd)
	if err != nil {
		b.t.Fatal(err)
	}
	defer tty.Close()
	shown := make(chan string, 1)
	go func() {
		var all strings.Builder
		r := bufio.NewReader(tty)
		buf := make([]byte, 4096)
		for {
			n, err := r.Read(buf)
			all.Write(buf[:n])
			if ask != "" && strings.Contains(all.String(), ask) {
				io.WriteString(tty, reply+"\r")
				ask = ""
			}
			if err != nil {
				shown <- all.String()
				return
			}
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		b.t.Fatalf("%v did not end on a terminal", args)
	}
	tty.Close()
	out := ""
	select {
	case out = <-shown:
	case <-time.After(5 * time.Second):
	}
	return out, cmd.ProcessState.ExitCode()
}

func TestE2EAPIOnATerminal(t *testing.T) {
	b := newBinary(t)
	srv := pstest.New(pstest.Options{Products: 2})
	defer srv.Close()
	b.psCreate("Shop", srv.Host(), "use_https=false")
	question := "Send POST /products to Shop (" + srv.Host() + ")? [y/N]"

	before := srv.Requests()
	out, code := b.onTerminal(question, "n", "api", "Shop", "/products", "-f", "reference=mug")
	if !strings.Contains(out, question) || code != ExitFailed || srv.Requests() != before {
		t.Errorf("answered no: exit %d, %d requests sent, the terminal showed %q", code, srv.Requests()-before, out)
	}
	out, code = b.onTerminal(question, "y", "api", "Shop", "/products", "-f", "reference=mug")
	if code != 0 || srv.Requests() != before+1 || !strings.Contains(out, "<id><![CDATA[3]]></id>") && !strings.Contains(out, "<id>3</id>") {
		t.Errorf("answered yes: exit %d, %d requests sent, the terminal showed %q", code, srv.Requests()-before, out)
	}
	// A read asks nothing, and its answer is indented on a terminal.
	out, code = b.onTerminal("", "", "api", "Shop", "/products")
	if code != 0 || !strings.Contains(out, "\n  <products>") || strings.Contains(out, "[y/N]") {
		t.Errorf("GET on a terminal: exit %d, %q", code, out)
	}
	b.assertNoLeak(pstest.DefaultKey, out)
}
