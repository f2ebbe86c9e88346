package connectors

// tls.go: trusting a local store's certificate without switching
// verification off. A pinned fingerprint accepts exactly one certificate
// (its expiry and names are still reported, as warnings); a CA file adds
// private authorities to the system's; a client certificate answers stores
// that require mutual TLS. Every refusal carries the certificate it saw.

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Keys of the common trust fields (public contract).
const (
	FieldTLSFingerprint    = "tls_fingerprint"
	FieldCAFile            = "ca_file"
	FieldClientCertificate = "client_certificate"
)

// CertificateInfo is a certificate as people and scripts read it; the JSON
// keys are a public contract (test --json "certificate").
type CertificateInfo struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	SHA256    string    `json:"sha256"` // AB:CD:…, as browsers and openssl print it
}

// DescribeCertificate returns what a refusal shows of c (nil for nil).
func DescribeCertificate(c *x509.Certificate) *CertificateInfo {
	if c == nil {
		return nil
	}
	return &CertificateInfo{Subject: c.Subject.String(), Issuer: c.Issuer.String(),
		NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC(), SHA256: Fingerprint(c)}
}

// Fingerprint is the SHA-256 of the certificate, upper-case hex in pairs
// separated by colons.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	h := strings.ToUpper(hex.EncodeToString(sum[:]))
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

// NormalizeFingerprint reads a SHA-256 fingerprint as browsers, openssl and
// people write it (colons, spaces and case ignored, an "SHA256" prefix
// allowed) and returns it as Fingerprint prints it.
func NormalizeFingerprint(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(strings.TrimPrefix(t, "sha256 fingerprint="), "sha256:")
	t = strings.NewReplacer(":", "", " ", "", "-", "").Replace(t)
	raw, err := hex.DecodeString(t)
	if err != nil || len(raw) != sha256.Size {
		return "", errors.New("is not a SHA-256 fingerprint: 64 hexadecimal digits, like AB:CD:… as openssl x509 -fingerprint -sha256 prints it")
	}
	u := strings.ToUpper(t)
	var b strings.Builder
	for i := 0; i < len(u); i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(u[i : i+2])
	}
	return b.String(), nil
}

// TLSTrust is what a connection trusts besides the system's authorities.
type TLSTrust struct {
	Fingerprint       string // pinned certificate; "" none
	CAFile            string // PEM file of private authorities; "" none
	ClientCertificate string // PEM certificate and private key; secret
}

// trustFrom reads the trust fields of a connection's values.
func trustFrom(v Values) TLSTrust {
	return TLSTrust{Fingerprint: v.String(FieldTLSFingerprint), CAFile: v.String(FieldCAFile), ClientCertificate: v[FieldClientCertificate]}
}

// pinError: the store showed another certificate than the pinned one.
type pinError struct {
	cert *x509.Certificate
	want string
}

func (e *pinError) Error() string {
	return "the certificate changed: it is not the one whose fingerprint is pinned (" + e.want + ")"
}

// tlsConfig builds the client's TLS set-up; warn hears what a pinned
// certificate would otherwise have been refused for.
func (t TLSTrust) tlsConfig(roots *x509.CertPool, warn func(string)) (*tls.Config, error) {
	cfg := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	if t.CAFile != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if roots != nil {
			pool = roots.Clone()
		}
		data, err := ReadLocalFile("CA file", t.CAFile, MaxCAFileSize)
		if err != nil {
			return nil, err
		}
		if !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("CA file: %s holds no PEM certificate", t.CAFile)
		}
		cfg.RootCAs = pool
	}
	if strings.TrimSpace(t.ClientCertificate) != "" {
		cert, err := clientCertificate(t.ClientCertificate)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	if t.Fingerprint != "" {
		want, err := NormalizeFingerprint(t.Fingerprint)
		if err != nil {
			return nil, fmt.Errorf("Trusted certificate fingerprint %w", err)
		}
		// Verification is not switched off: it is replaced by a stricter one,
		// exactly this certificate. Names and dates are still checked, and
		// reported as warnings.
		cfg.InsecureSkipVerify = true
		cfg.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the store sent no certificate")
			}
			leaf := cs.PeerCertificates[0]
			if Fingerprint(leaf) != want {
				return &pinError{cert: leaf, want: want}
			}
			now := time.Now()
			if now.After(leaf.NotAfter) || now.Before(leaf.NotBefore) {
				warn(fmt.Sprintf("The trusted certificate is outside its validity (%s to %s); it was accepted because its fingerprint is pinned.", leaf.NotBefore.Format("2 Jan 2006"), leaf.NotAfter.Format("2 Jan 2006")))
			}
			// The name is checked per request (pinnedNameWarning): for an IP
			// address cs.ServerName is empty, SNI carrying no addresses.
			return nil
		}
	}
	return cfg, nil
}

// pinnedNameWarning is the warning for a pinned certificate that does not
// name host (a host name, or an IP address its IP SANs must hold); "" when
// it does.
func pinnedNameWarning(leaf *x509.Certificate, host string) string {
	if host == "" || leaf.VerifyHostname(host) == nil {
		return ""
	}
	return fmt.Sprintf("The trusted certificate is for %s, not %s; it was accepted because its fingerprint is pinned.", certNames(leaf), host)
}

// clientCertificate reads a PEM holding a certificate (chain) and its key.
func clientCertificate(data string) (tls.Certificate, error) {
	var certs, keys bytes.Buffer
	rest := []byte(data)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			_ = pem.Encode(&certs, block)
		} else if strings.Contains(block.Type, "PRIVATE KEY") {
			_ = pem.Encode(&keys, block)
		}
	}
	if certs.Len() == 0 || keys.Len() == 0 {
		return tls.Certificate{}, errors.New("Client certificate: paste the PEM certificate and its private key together (both -----BEGIN blocks)")
	}
	cert, err := tls.X509KeyPair(certs.Bytes(), keys.Bytes())
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("Client certificate: the certificate and key do not belong together or cannot be read (%s)", strings.TrimPrefix(err.Error(), "tls: "))
	}
	return cert, nil
}

// validateFingerprint is the tls_fingerprint field's check.
func validateFingerprint(v string) error {
	_, err := NormalizeFingerprint(v)
	return err
}

// validateClientCertificate is the client_certificate field's check.
func validateClientCertificate(v string) error {
	if _, err := clientCertificate(v); err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "Client certificate: "))
	}
	return nil
}

// trustFields are the common advanced fields for local stores' certificates.
func trustFields() []Field {
	return []Field{
		{Key: FieldTLSFingerprint, Label: "Trusted certificate fingerprint", Kind: KindText, Advanced: true,
			Placeholder: "AB:CD:EF:… (SHA-256)",
			Help:        "Trust exactly this certificate (its SHA-256 fingerprint), for a store with a self-signed certificate, such as one on this computer or the office network. Any other certificate is then refused; verification is never switched off.",
			Validate:    validateFingerprint,
			Normalize: func(v string) (string, string) {
				n, err := NormalizeFingerprint(v)
				if err != nil || n == v {
					return v, ""
				}
				return n, "written as AB:CD:… pairs"
			}},
		{Key: FieldCAFile, Label: "CA file", Kind: KindFile, Advanced: true, Validate: validateCAFile,
			Help: "A PEM file of your own certificate authorities, added to this computer's, for stores whose certificates a private CA issued."},
		{Key: FieldClientCertificate, Label: "Client certificate", Kind: KindMultilineSecret, Advanced: true,
			Help:     "For stores that require a client certificate (mutual TLS): the PEM certificate and its private key, pasted together. It is kept in the OS keychain.",
			Validate: validateClientCertificate},
	}
}
