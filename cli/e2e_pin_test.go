//go:build e2e

package cli

// e2e_pin_test.go: a store addressed by IP address whose pinned certificate
// is for another name passes with a warning saying so, through the real
// binary (issue 17, finding 8); one whose certificate lists the address
// passes without it.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/prestashop/pstest"
)

// selfSignedFor is a certificate naming only these DNS names (no address).
func selfSignedFor(t *testing.T, names ...string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: names,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

type pinLine struct {
	Name     string `json:"name"`
	OK       bool   `json:"ok"`
	Code     string `json:"code"`
	Warnings []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"warnings"`
}

func TestE2EPinnedCertificateForAnotherNameByIP(t *testing.T) {
	b := newBinary(t)
	other := httptest.NewUnstartedServer(pstest.Handler(pstest.Options{}))
	cert := selfSignedFor(t, "shop.example")
	other.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	other.StartTLS()
	defer other.Close()
	own := pstest.NewTLS(pstest.Options{}) // httptest's certificate lists 127.0.0.1
	defer own.Close()

	for _, c := range []struct {
		name, host, pin, warn string
	}{
		{"pin-other-name", hostPort(t, other.URL), connectors.Fingerprint(cert.Leaf),
			"The trusted certificate is for shop.example, not 127.0.0.1; it was accepted because its fingerprint is pinned."},
		{"pin-own-address", hostPort(t, own.URL), connectors.Fingerprint(own.Certificate()), ""},
	} {
		if !strings.HasPrefix(c.host, "127.0.0.1:") {
			t.Fatalf("the store is addressed by IP: %s", c.host)
		}
		// create tests first, so the pinned certificate must be accepted.
		code, out, errs := b.run(`{"api_key":"`+pstest.DefaultKey+`"}`, "create", "--app", "prestashop", "--name", c.name,
			"--set", "store_url="+c.host, "--set", "use_https=true", "--set", "tls_fingerprint="+c.pin, "--secrets-stdin")
		if code != 0 {
			t.Fatalf("create %s: exit %d: %s %s", c.name, code, out, errs)
		}
		if c.warn != "" && !strings.Contains(out+errs, "is for shop.example, not 127.0.0.1") {
			t.Errorf("create %s does not warn about the name: %q %q", c.name, out, errs)
		}
		_, out, errs = b.run("", "test", c.name, "--json")
		var line pinLine
		if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &line); err != nil {
			t.Fatalf("test %s --json: %v: %q %q", c.name, err, out, errs)
		}
		if !line.OK || line.Code != "ok" {
			t.Errorf("%s: a pinned certificate passes: %+v", c.name, line)
		}
		var got []string
		for _, w := range line.Warnings {
			if w.Code == string(connectors.CodeTLS) {
				got = append(got, w.Message)
			}
		}
		switch {
		case c.warn == "" && len(got) != 0:
			t.Errorf("%s: the certificate lists the address, yet warnings %q", c.name, got)
		case c.warn != "" && (len(got) != 1 || got[0] != c.warn):
			t.Errorf("%s: tls warnings %q, want [%q]", c.name, got, c.warn)
		}
	}
	b.assertNoLeak(pstest.DefaultKey)
}
