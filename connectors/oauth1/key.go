package oauth1

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// Errors of ParsePrivateKey, in words for the form (the caller adds the label).
var (
	ErrKeyEmpty     = errors.New("paste the private key, from -----BEGIN to -----END")
	ErrKeyNotPEM    = errors.New("this is not a PEM key: it must start with -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----")
	ErrKeyEncrypted = errors.New("the key is protected by a passphrase; export it without one (openssl pkey -in key.pem -out plain.pem)")
	ErrKeyPublic    = errors.New("this is a public key or certificate; paste the private key instead")
	ErrKeyEC        = errors.New("this is an elliptic-curve key; RSA-SHA* needs an RSA key (openssl genrsa 2048)")
	ErrKeyNotRSA    = errors.New("this is not an RSA key; RSA-SHA* needs an RSA key (openssl genrsa 2048)")
	ErrKeyMalformed = errors.New("the key is damaged or incomplete; copy it again, every line from -----BEGIN to -----END")
	ErrKeyTooShort  = errors.New("the key is shorter than 1024 bits; generate one of 2048 bits or more")
)

// ParsePrivateKey reads an RSA private key from PEM, in PKCS#1 ("RSA
// PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") form. Every failure is one of the
// errors above, never a panic.
func ParsePrivateKey(data []byte) (key *rsa.PrivateKey, err error) {
	defer func() {
		if recover() != nil { // x509 must not take the form down with it
			key, err = nil, ErrKeyMalformed
		}
	}()
	text := strings.TrimSpace(string(data))
	if text == "" {
		return nil, ErrKeyEmpty
	}
	// A key pasted through a single-line field may have lost its newlines.
	text = strings.ReplaceAll(text, `\n`, "\n")
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		if strings.Contains(text, "-----BEGIN") {
			return nil, ErrKeyMalformed
		}
		return nil, ErrKeyNotPEM
	}
	if block.Headers["Proc-Type"] != "" && strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, ErrKeyEncrypted
	}
	var parsed any
	switch block.Type {
	case "ENCRYPTED PRIVATE KEY":
		return nil, ErrKeyEncrypted
	case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
		return nil, ErrKeyPublic
	case "EC PRIVATE KEY":
		return nil, ErrKeyEC
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w (%v)", ErrKeyMalformed, err)
		}
		parsed = k
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("%w (%v)", ErrKeyMalformed, err)
		}
		parsed = k
	default:
		return nil, fmt.Errorf("%w (found %q)", ErrKeyNotRSA, block.Type)
	}
	switch k := parsed.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 1024 {
			return nil, ErrKeyTooShort
		}
		return k, nil
	case *ecdsa.PrivateKey:
		return nil, ErrKeyEC
	case ed25519.PrivateKey:
		return nil, ErrKeyNotRSA
	}
	return nil, ErrKeyNotRSA
}
