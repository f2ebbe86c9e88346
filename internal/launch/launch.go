// Package launch starts the window program from the command line program.
// Storelink ships as two programs built from one engine: `storelink`, the
// command line, links no GUI toolkit so a script's `storelink test NAME`
// starts in a few milliseconds; `storelink-window` is the window (and answers
// every command too). `storelink` with no command runs the window program
// installed beside it.
package launch

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WindowProgram is the window program's name, without the OS's suffix.
const WindowProgram = "storelink-window"

// Window replaces this process with the window program found beside the
// running executable (on Windows, where nothing replaces a process, starts it
// and returns), passing args on. It returns an exit code only when the window
// could not be started, after saying why on stderr.
func Window(args []string, stderr io.Writer) int {
	self, err := os.Executable()
	if err == nil {
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		fmt.Fprintln(stderr, "storelink: cannot find where this program is installed:", err)
		return 1
	}
	path, err := Find(filepath.Dir(self))
	if err != nil {
		fmt.Fprintln(stderr, "storelink:", err)
		return 1
	}
	if err := start(path, args); err != nil {
		fmt.Fprintf(stderr, "storelink: cannot start the window (%s): %v\n", path, err)
		return 1
	}
	return 0
}

// Find returns the window program in dir, or an error that says where it
// looked and what to do.
func Find(dir string) (string, error) {
	path := filepath.Join(dir, WindowProgram+exeSuffix)
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("the window program %s is not installed beside this one (looked for %s); reinstall Storelink, or run \"storelink help\" for the commands, which work without it", WindowProgram, path)
	case err != nil:
		return "", fmt.Errorf("the window program %s: %w", path, err)
	case info.IsDir() || !executable(info):
		return "", fmt.Errorf("the window program %s is not an executable file; reinstall Storelink", path)
	}
	return path, nil
}
