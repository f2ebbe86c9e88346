package connectors_test

import (
	"testing"

	"storelink/connectors"
)

func TestIsLocalHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost":         true,
		"LOCALHOST":         true,
		"localhost:8080":    true,
		"shop.localhost":    true,
		"127.0.0.1":         true,
		"127.0.0.5":         true,
		"127.0.0.1:8443":    true,
		"::1":               true,
		"[::1]":             true,
		"[::1]:8080":        true,
		"10.0.0.1":          true,
		"10.255.1.2:80":     true,
		"172.16.0.1":        true,
		"172.31.255.254":    true,
		"192.168.1.20":      true,
		"192.168.1.20:8080": true,
		"169.254.10.1":      true, // link-local
		"fd00::1":           true,
		"[fd12:3456::1]:80": true,
		"fe80::1":           true,
		"shop.local":        true,
		"shop.local.":       true,
		"Shop.Local:8080":   true,
		"shop.local:8080":   true,

		"":                  false,
		"shop.example":      false,
		"shop.example:8080": false,
		"localshop.cz":      false,
		"local":             false,
		"shop.local.cz":     false,
		"8.8.8.8":           false,
		"1.1.1.1:443":       false,
		"172.15.255.255":    false,
		"172.32.0.1":        false,
		"192.169.0.1":       false,
		"11.0.0.1":          false,
		"2001:db8::1":       false,
		"[2a00:1450::1]:80": false,
	} {
		if got := connectors.IsLocalHost(host); got != want {
			t.Errorf("IsLocalHost(%q) = %v, want %v", host, got, want)
		}
	}
}
