//go:build !windows

package agents

import (
	"context"
	"io"
	"net"
)

// defaultSSHAgent is where the ssh-agent is when SSH_AUTH_SOCK says nothing:
// nowhere, on Unix.
const defaultSSHAgent = ""

// systemKnownHosts is OpenSSH's global known_hosts file.
const systemKnownHosts = "/etc/ssh/ssh_known_hosts"

// dialSSHAgent connects to the ssh-agent's Unix socket; the connection
// stops at ctx's deadline, which bounds every signature asked of it.
func dialSSHAgent(ctx context.Context, socket string) (io.ReadWriteCloser, error) {
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
