//go:build windows

package agents

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// defaultSSHAgent is the pipe of Windows' own OpenSSH agent service.
const defaultSSHAgent = `\\.\pipe\openssh-ssh-agent`

// systemKnownHosts is Windows OpenSSH's global known_hosts file.
var systemKnownHosts = filepath.Join(os.Getenv("ProgramData"), "ssh", "ssh_known_hosts")

// dialSSHAgent opens the OpenSSH agent's named pipe as a file (no extra
// dependency needed), or a Unix socket, which Windows 10 also has.
func dialSSHAgent(ctx context.Context, socket string) (io.ReadWriteCloser, error) {
	if strings.HasPrefix(socket, `\\.\pipe\`) {
		return os.OpenFile(socket, os.O_RDWR, 0)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return nil, err
	}
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	return conn, nil
}
