//go:build e2e

// End-to-end faults through the real binary and the real keychain: a
// process killed while it saves, and a machine with no session bus.

package cli

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"storelink/setup"
)

// keychainItems lists the usernames of Storelink's items in the Secret
// Service, as secret-tool (libsecret) sees them.
func keychainItems(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("secret-tool", "search", "--all", "--unlock", "service", setup.KeychainService).CombinedOutput()
	if err != nil && len(out) > 0 && !strings.Contains(string(out), "attribute.") {
		// secret-tool exits 1 when nothing matches
		return nil
	}
	var items []string
	for _, m := range regexp.MustCompile(`attribute\.username = (\S+)`).FindAllStringSubmatch(string(out), -1) {
		items = append(items, m[1])
	}
	return items
}

func TestE2EKillDuringCreateLeavesNothingBehind(t *testing.T) {
	b := newBinary(t)
	before := map[string]bool{} // another test's items are not ours to judge
	for _, item := range keychainItems(t) {
		before[item] = true
	}
	secret := strings.Repeat("0123456789abcdef", 100<<10/16) // 100 KB: some 50 keychain items
	secrets := `{"api_key":"` + secret + `"}`                // Upgates puts no bound on its key
	// Kill creates at random moments until some have left items behind (on
	// a loaded machine the first kills may all land before any write).
	kills, left := 0, 0
	for i := 0; i < 40 && (i < 14 || left == 0); i++ {
		cmd := exec.Command(b.path, "create", "--app", "upgates", "--name", fmt.Sprintf("Killed %02d", i),
			"--set", "api_url=https://shop.admin.s15.upgates.com/api/v2", "--set", "api_user=login", "--secrets-stdin", "--no-verify")
		cmd.Env = append(os.Environ(), "STORELINK_HOME="+b.home)
		cmd.Stdin = strings.NewReader(secrets)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rand.IntN(400+30*i)) * time.Millisecond)
		if cmd.Process.Signal(syscall.SIGKILL) == nil {
			kills++
		}
		_ = cmd.Wait()
		left = 0
		for _, item := range keychainItems(t) {
			if !before[item] {
				left++
			}
		}
	}
	if kills == 0 || left == 0 {
		t.Fatalf("%d kills left no keychain item behind, so this test would prove nothing", kills)
	}
	t.Logf("the kills left %d keychain items", left)
	// The next save cleans up.
	if code, out, stderr := b.run(secrets, "create", "--app", "upgates", "--name", "After",
		"--set", "api_url=https://shop.admin.s15.upgates.com/api/v2", "--set", "api_user=login", "--secrets-stdin", "--no-verify"); code != 0 {
		t.Fatalf("create after the kills: %d %s %s", code, out, stderr)
	}
	data, err := os.ReadFile(filepath.Join(b.home, "connections.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Connections []struct {
			ID         string   `json:"id"`
			Generation int      `json:"generation"`
			SecretKeys []string `json:"secret_keys"`
		} `json:"connections"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	live := map[string]bool{} // id/generation/ prefixes
	heads := map[string]bool{}
	for _, c := range f.Connections {
		p := c.ID + "/" + strconv.Itoa(c.Generation) + "/"
		live[p] = true
		for _, k := range c.SecretKeys {
			heads[p+k] = false
		}
	}
	for _, item := range keychainItems(t) {
		if before[item] {
			continue
		}
		parts := strings.SplitN(item, "/", 3)
		if len(parts) < 3 || !live[parts[0]+"/"+parts[1]+"/"] {
			t.Errorf("an item of no saved connection is left: %s", item)
			continue
		}
		if _, ok := heads[item]; ok {
			heads[item] = true
		}
	}
	for h, found := range heads {
		if !found {
			t.Errorf("a saved connection lost its item %s", h)
		}
	}
	entries, _ := os.ReadDir(b.home)
	for _, e := range entries {
		if regexp.MustCompile(`^connections\.json\d+$`).MatchString(e.Name()) {
			t.Errorf("a temporary settings file is left: %s", e.Name())
		}
	}
	t.Logf("%d creates killed; %d saved connections; keychain clean", kills, len(f.Connections))
}

func countProcesses(t *testing.T, name string) int {
	t.Helper()
	out, _ := exec.Command("pgrep", "-c", "-x", name).Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

func TestE2ENoSessionBusStartsNoDaemon(t *testing.T) {
	b := newBinary(t)
	b.env = []string{"DBUS_SESSION_BUS_ADDRESS=", "XDG_RUNTIME_DIR=" + t.TempDir()}
	daemons, keyrings := countProcesses(t, "dbus-daemon"), countProcesses(t, "gnome-keyring-d")
	code, out, stderr := b.run(`{"api_key":"ABCDEFGHIJKLMNOPQRSTUVWXYZ123456"}`, "create", "--app", "prestashop", "--name", "NoBus",
		"--set", "store_url=shop.example", "--secrets-stdin", "--no-verify")
	if code != ExitFailed || !strings.Contains(stderr, "no desktop session") || !strings.Contains(stderr, "dbus-run-session") {
		t.Errorf("create without a session bus: %d %s %s", code, out, stderr)
	}
	code, out, _ = b.run("", "doctor")
	if code != ExitFailed || !strings.Contains(out, "PROBLEM keychain") || !strings.Contains(out, "no desktop session") {
		t.Errorf("doctor without a session bus: %d %s", code, out)
	}
	if d, k := countProcesses(t, "dbus-daemon"), countProcesses(t, "gnome-keyring-d"); d != daemons || k != keyrings {
		t.Errorf("daemons were started: dbus-daemon %d -> %d, gnome-keyring %d -> %d", daemons, d, keyrings, k)
	}
}
