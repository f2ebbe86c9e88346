//go:build !windows

package launch

import (
	"io/fs"
	"os"
	"syscall"
)

const exeSuffix = ""

func executable(info fs.FileInfo) bool { return info.Mode()&0o111 != 0 }

// start execs the window program in place of this process: same PID, same
// terminal, its exit status is the caller's.
func start(path string, args []string) error {
	return syscall.Exec(path, append([]string{path}, args...), os.Environ())
}
