package connectors_test

// tls_test.go: a self-signed store (refused with its fingerprint, accepted
// when pinned, refused when its certificate changes), a private-CA store
// with ca_file, and a store that requires a client certificate.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
)

type testCert struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  string // certificate
	kpem string // key
}

// issue makes a certificate for 127.0.0.1 signed by parent (nil: itself).
func issue(t *testing.T, cn string, ca bool, parent *testCert, notAfter time.Time) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: notAfter, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true, IsCA: ca}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	kder, _ := x509.MarshalECPrivateKey(key)
	return &testCert{cert: cert, key: key,
		pem:  string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		kpem: string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}))}
}

func (c *testCert) tls() tls.Certificate {
	pair, _ := tls.X509KeyPair([]byte(c.pem), []byte(c.kpem))
	return pair
}

func tlsStore(t *testing.T, leaf *testCert, clientCAs *x509.CertPool) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{leaf.tls()}}
	if clientCAs != nil {
		srv.TLS.ClientAuth, srv.TLS.ClientCAs = tls.RequireAndVerifyClientCert, clientCAs
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func runTLS(t *testing.T, url string, extra connectors.Values) connectors.Result {
	t.Helper()
	v := webValues(url)
	for k, val := range extra {
		v[k] = val
	}
	return connectors.Run(context.Background(), webInfo(nil), connectors.Config{Values: v})
}

func TestASelfSignedStoreIsTrustedByItsFingerprintOnly(t *testing.T) {
	self := issue(t, "shop.local", false, nil, time.Now().Add(time.Hour))
	srv := tlsStore(t, self, nil)
	r := runTLS(t, srv.URL, nil)
	fp := connectors.Fingerprint(self.cert)
	if r.Code != connectors.CodeTLS || r.Certificate == nil || r.Certificate.SHA256 != fp || r.Certificate.Subject != "CN=shop.local" {
		t.Fatalf("unknown self-signed: %s %+v", r.Code, r.Certificate)
	}
	if !strings.Contains(r.Hint, "trust it") || strings.Contains(r.Hint, "Let's Encrypt") {
		t.Errorf("a local store's hint suggests trusting, not buying: %q", r.Hint)
	}
	// Pinned, written as openssl prints it or without colons in lower case.
	for _, pin := range []string{fp, strings.ToLower(strings.ReplaceAll(fp, ":", ""))} {
		if r := runTLS(t, srv.URL, connectors.Values{"tls_fingerprint": pin}); !r.OK {
			t.Errorf("pinned %q: %s %s", pin, r.Code, r.Message)
		}
	}
	// The store's certificate changes: refused, and says so.
	other := issue(t, "shop.local", false, nil, time.Now().Add(time.Hour))
	srv2 := tlsStore(t, other, nil)
	r = runTLS(t, srv2.URL, connectors.Values{"tls_fingerprint": fp})
	if r.Code != connectors.CodeTLS || !strings.Contains(r.Message, "changed") || r.Certificate == nil || r.Certificate.SHA256 != connectors.Fingerprint(other.cert) {
		t.Errorf("a changed certificate: %s %q %+v", r.Code, r.Message, r.Certificate)
	}
	// An expired certificate that is pinned passes with a warning.
	old := issue(t, "old.local", false, nil, time.Now().Add(-time.Hour))
	srv3 := tlsStore(t, old, nil)
	r = runTLS(t, srv3.URL, connectors.Values{"tls_fingerprint": connectors.Fingerprint(old.cert)})
	if !r.OK || !r.HasWarning(connectors.CodeTLS) {
		t.Errorf("a pinned expired certificate: %s %+v", r.Code, r.Warnings)
	}
	if _, err := connectors.NormalizeFingerprint("AB:CD"); err == nil {
		t.Error("a short fingerprint is refused")
	}
}

func TestAPrivateCAStoreWithCAFile(t *testing.T) {
	ca := issue(t, "Office CA", true, nil, time.Now().Add(24*time.Hour))
	leaf := issue(t, "staging.office", false, ca, time.Now().Add(time.Hour))
	srv := tlsStore(t, leaf, nil)
	if r := runTLS(t, srv.URL, nil); r.Code != connectors.CodeTLS || r.Certificate == nil || !strings.Contains(r.Certificate.Issuer, "Office CA") {
		t.Fatalf("without the CA: %s %+v", r.Code, r.Certificate)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, []byte(ca.pem), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runTLS(t, srv.URL, connectors.Values{"ca_file": file}); !r.OK {
		t.Errorf("with the CA file: %s %s", r.Code, r.Message)
	}
	if r := runTLS(t, srv.URL, connectors.Values{"ca_file": filepath.Join(t.TempDir(), "missing.pem")}); r.Code != connectors.CodeInvalidInput || !strings.Contains(r.Message, "CA file") {
		t.Errorf("a missing CA file: %s %s", r.Code, r.Message)
	}
}

func TestAStoreRequiringAClientCertificate(t *testing.T) {
	ca := issue(t, "Office CA", true, nil, time.Now().Add(24*time.Hour))
	leaf := issue(t, "mtls.office", false, ca, time.Now().Add(time.Hour))
	client := issue(t, "storelink", false, ca, time.Now().Add(time.Hour))
	pool := x509.NewCertPool()
	pool.AddCert(ca.cert)
	srv := tlsStore(t, leaf, pool)
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, []byte(ca.pem), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runTLS(t, srv.URL, connectors.Values{"ca_file": file}); r.OK {
		t.Error("without a client certificate the store refuses")
	}
	r := runTLS(t, srv.URL, connectors.Values{"ca_file": file, "client_certificate": client.pem + client.kpem})
	if !r.OK {
		t.Errorf("with the client certificate: %s %s", r.Code, r.Message)
	}
	for _, x := range r.Exchanges {
		if strings.Contains(x.Request+x.Error+x.Excerpt, "PRIVATE KEY") {
			t.Error("the client key shows in an exchange")
		}
	}
	info := webInfo(nil)
	reg := connectors.NewRegistry()
	reg.Register(info)
	info, _ = reg.Lookup("web")
	f, _ := info.Field("client_certificate")
	if !f.IsSecret() || f.Check(connectors.Values{"client_certificate": client.pem}) == "" {
		t.Error("the client certificate is a secret, and needs its key")
	}
}
