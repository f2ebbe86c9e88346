//go:build windows

package launch

import (
	"io/fs"
	"os"
	"os/exec"
)

const exeSuffix = ".exe"

func executable(fs.FileInfo) bool { return true }

// start runs the window program (a GUI program: it opens no console) and
// returns at once, as starting a desktop program from cmd.exe does.
func start(path string, args []string) error {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	cmd.Env = os.Environ()
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
