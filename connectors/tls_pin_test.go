package connectors_test

// tls_pin_test.go: a pinned certificate is accepted whatever names it holds,
// and a name it does not hold is a warning, whether the store is addressed
// by host name or by IP address (issue 17, finding 8).

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
)

// issueNamed makes a self-signed certificate holding exactly these names.
func issueNamed(t *testing.T, dns []string, ips ...string) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "pinned"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), DNSNames: dns,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, ip := range ips {
		tmpl.IPAddresses = append(tmpl.IPAddresses, net.ParseIP(ip))
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return &testCert{cert: cert, key: key,
		pem:  string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		kpem: string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))}
}

// nameWarning is the pinned-name warning among r's, or "".
func nameWarning(r connectors.Result) string {
	for _, w := range r.Warnings {
		if w.Code == connectors.CodeTLS && strings.Contains(w.Message, "The trusted certificate is for") {
			return w.Message
		}
	}
	return ""
}

func TestAPinnedCertificateForAnotherNameIsAWarningByIPAndByName(t *testing.T) {
	for _, c := range []struct {
		what string
		cert *testCert
		host string // how the URL names the store
		warn string // "" no warning; else what it says
	}{
		{what: "by IP, only a DNS name", cert: issueNamed(t, []string{"shop.example"}), host: "127.0.0.1",
			warn: "The trusted certificate is for shop.example, not 127.0.0.1; it was accepted because its fingerprint is pinned."},
		{what: "by IP, another IP", cert: issueNamed(t, []string{"shop.example"}, "10.1.2.3"), host: "127.0.0.1",
			warn: "is for shop.example, 10.1.2.3, not 127.0.0.1"},
		{what: "by IP, its IP", cert: issueNamed(t, []string{"shop.example"}, "127.0.0.1"), host: "127.0.0.1"},
		{what: "by name, another name", cert: issueNamed(t, []string{"shop.example"}, "127.0.0.1"), host: "localhost",
			warn: "is for shop.example, 127.0.0.1, not localhost"},
		{what: "by name, its name", cert: issueNamed(t, []string{"localhost"}), host: "localhost"},
	} {
		t.Run(c.what, func(t *testing.T) {
			srv := tlsStore(t, c.cert, nil)
			_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "https://"))
			url := "https://" + net.JoinHostPort(c.host, port)
			r := runTLS(t, url, connectors.Values{"tls_fingerprint": connectors.Fingerprint(c.cert.cert)})
			if !r.OK {
				t.Fatalf("a pinned certificate passes: %s %s", r.Code, r.Message)
			}
			got := nameWarning(r)
			switch {
			case c.warn == "" && got != "":
				t.Errorf("the certificate holds the name: no warning, got %q", got)
			case c.warn != "" && !strings.Contains(got, c.warn):
				t.Errorf("warning %q, want it to say %q (warnings %+v)", got, c.warn, r.Warnings)
			}
		})
	}
}
