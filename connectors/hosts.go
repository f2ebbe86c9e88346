package connectors

import (
	"net"
	"strings"
)

// IsLocalHost reports whether host (with or without a port) is this computer
// or on a private network: localhost, 127.0.0.0/8, ::1, RFC 1918 and ULA
// ranges, link-local addresses and .local names. Plain HTTP to such a host
// earns no warning.
func IsLocalHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(strings.ToLower(host), "[]"), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") || strings.HasSuffix(host, ".local") {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast()
}
