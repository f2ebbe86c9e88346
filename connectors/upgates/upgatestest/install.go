package upgatestest

// Installation requests signed like Upgates signs them (seed 004,
// "Signature_v2 PHP"), with a key pair generated for the test.

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"

	"storelink/connectors/upgates"
)

// Signer signs installation requests as Upgates does.
type Signer struct {
	Key            *rsa.PrivateKey
	SignatureToken string
}

// NewSigner generates a 2048-bit key pair and a random signature token.
func NewSigner(tb testing.TB) *Signer {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatalf("upgatestest: generating a key: %v", err)
	}
	tok := make([]byte, 16)
	if _, err := rand.Read(tok); err != nil {
		tb.Fatalf("upgatestest: random token: %v", err)
	}
	return &Signer{Key: key, SignatureToken: hex.EncodeToString(tok)}
}

// Public is the public half.
func (s *Signer) Public() *rsa.PublicKey { return &s.Key.PublicKey }

// PublicKeyPEM is the public key as "PUBLIC KEY" (PKIX), the form Upgates
// publishes.
func (s *Signer) PublicKeyPEM() []byte {
	der, err := x509.MarshalPKIXPublicKey(s.Public())
	if err != nil {
		panic(err) // an RSA key always marshals
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// PublicKeyPKCS1PEM is the public key as "RSA PUBLIC KEY" (PKCS#1).
func (s *Signer) PublicKeyPKCS1PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(s.Public())})
}

// WritePublicKey writes PublicKeyPEM to dir and returns the path (for
// --public-key).
func (s *Signer) WritePublicKey(tb testing.TB, dir string) string {
	tb.Helper()
	p := filepath.Join(dir, "api.signature.pub.key")
	if err := os.WriteFile(p, s.PublicKeyPEM(), 0o600); err != nil {
		tb.Fatalf("upgatestest: writing the public key: %v", err)
	}
	return p
}

// InstallRequest is the content of an installation request. Time is sent as
// written; empty means ten minutes from now in RFC 3339.
type InstallRequest struct {
	Token    string
	Version  int
	APIUser  string
	APIKey   string
	APIURL   string
	Language string
	Time     string
}

// ValidRequest is a request for the API at apiURL, valid until expires.
func ValidRequest(apiURL string, expires time.Time) InstallRequest {
	return InstallRequest{
		Token: "e3b0c44298fc1c149afbf4c8996fb924", Version: 1,
		APIUser: DefaultLogin, APIKey: DefaultKey, APIURL: apiURL,
		Language: "sk", Time: expires.Format(time.RFC3339),
	}
}

func (r InstallRequest) time() string {
	if r.Time == "" {
		return time.Now().Add(10 * time.Minute).Format(time.RFC3339)
	}
	return r.Time
}

// Sign returns signature_v2 for r: base64 of RSA PKCS#1 v1.5 SHA-256 over
// implode(";", [token, apiUser, apiKey, apiUrl, time, signature_token]).
func (s *Signer) Sign(r InstallRequest) string {
	sum := sha256.Sum256(upgates.SignedData(upgates.Signed{Token: r.Token, APIUser: r.APIUser, APIKey: r.APIKey, APIURL: r.APIURL, Time: r.time(), SignatureToken: s.SignatureToken}))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.Key, crypto.SHA256, sum[:])
	if err != nil {
		panic(err) // only fails for a key too small for SHA-256
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// Request returns the JSON body Upgates would POST, signed.
func (s *Signer) Request(r InstallRequest) []byte {
	r.Time = r.time()
	return Body(r, s.Sign(r))
}

// Body is the JSON of r with the given signature_v2 (to build tampered
// requests).
func Body(r InstallRequest, signature string) []byte {
	data, err := json.Marshal(map[string]any{
		"token": r.Token, "version": r.Version, "apiUser": r.APIUser, "apiKey": r.APIKey,
		"apiUrl": r.APIURL, "current_admin_language": r.Language, "time": r.Time, "signature_v2": signature,
	})
	if err != nil {
		panic(err) // strings and an int always marshal
	}
	return data
}

// Compress encodes body with a Content-Encoding: gzip, deflate (zlib), br
// or zstd.
func Compress(body []byte, encoding string) ([]byte, error) {
	var buf bytes.Buffer
	var w io.WriteCloser
	switch encoding {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w = zlib.NewWriter(&buf)
	case "deflate-raw": // not an HTTP coding: raw DEFLATE, sent by some as "deflate"
		fw, err := flate.NewWriter(&buf, flate.DefaultCompression)
		if err != nil {
			return nil, err
		}
		w = fw
	case "br":
		w = brotli.NewWriter(&buf)
	case "zstd":
		zw, err := zstd.NewWriter(&buf)
		if err != nil {
			return nil, err
		}
		w = zw
	default:
		return nil, fmt.Errorf("upgatestest: unknown encoding %q", encoding)
	}
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// KeyServer serves a public key as files.upgates.com does, on 127.0.0.1,
// counting fetches. Set PEM to rotate the key.
type KeyServer struct {
	*httptest.Server
	KeyURL string

	mu      sync.Mutex
	pem     []byte
	fetches int
}

// NewKeyServer starts a KeyServer serving pemData at /addons/signature/api.signature.pub.key.
func NewKeyServer(tb testing.TB, pemData []byte) *KeyServer {
	tb.Helper()
	ks := &KeyServer{pem: pemData}
	ks.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ks.mu.Lock()
		defer ks.mu.Unlock()
		ks.fetches++
		if r.URL.Path != "/addons/signature/api.signature.pub.key" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(ks.pem)
	}))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("upgatestest: listening on 127.0.0.1: %v", err)
	}
	ks.Server.Listener.Close()
	ks.Server.Listener = l
	ks.Server.Start()
	ks.KeyURL = ks.Server.URL + "/addons/signature/api.signature.pub.key"
	tb.Cleanup(ks.Close)
	return ks
}

// SetPEM changes the key served.
func (ks *KeyServer) SetPEM(pemData []byte) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.pem = pemData
}

// Fetches is how many requests the key server has had.
func (ks *KeyServer) Fetches() int {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	return ks.fetches
}
