package sshtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"golang.org/x/crypto/ssh"
)

// Key kinds NewKey makes.
const (
	Ed25519 = "ed25519"
	ECDSA   = "ecdsa"
	RSA     = "rsa"
)

// Key is a private key and its encodings.
type Key struct {
	Kind    string
	Private crypto.Signer
	Signer  ssh.Signer
}

// NewKey makes a key of kind (Ed25519, ECDSA P-256 or RSA 2048).
func NewKey(kind string) (*Key, error) {
	var priv crypto.Signer
	var err error
	switch kind {
	case Ed25519:
		_, priv, err = ed25519.GenerateKey(rand.Reader)
	case ECDSA:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RSA:
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		return nil, fmt.Errorf("sshtest: unknown key kind %q", kind)
	}
	if err != nil {
		return nil, err
	}
	signer, err := ssh.NewSignerFromSigner(priv)
	if err != nil {
		return nil, err
	}
	return &Key{Kind: kind, Private: priv, Signer: signer}, nil
}

// Public is the public key.
func (k *Key) Public() ssh.PublicKey { return k.Signer.PublicKey() }

// AuthorizedKey is the public key as an authorized_keys line.
func (k *Key) AuthorizedKey() string { return string(ssh.MarshalAuthorizedKey(k.Public())) }

// OpenSSH encodes the key as ssh-keygen writes it today, encrypted when
// passphrase is not empty.
func (k *Key) OpenSSH(passphrase string) (string, error) {
	var block *pem.Block
	var err error
	if passphrase == "" {
		block, err = ssh.MarshalPrivateKey(k.Private, "test@storelink")
	} else {
		block, err = ssh.MarshalPrivateKeyWithPassphrase(k.Private, "test@storelink", []byte(passphrase))
	}
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(block)), nil
}

// PEM encodes the key in the older PEM formats: PKCS#1 for RSA, SEC 1 for
// ECDSA (both encrypted the legacy way when passphrase is not empty), and
// PKCS#8 for Ed25519 (never encrypted: OpenSSL's PKCS#8 encryption is not
// read by x/crypto/ssh either).
func (k *Key) PEM(passphrase string) (string, error) {
	var block *pem.Block
	switch priv := k.Private.(type) {
	case *rsa.PrivateKey:
		block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)}
	case *ecdsa.PrivateKey:
		der, err := x509.MarshalECPrivateKey(priv)
		if err != nil {
			return "", err
		}
		block = &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
	default:
		if passphrase != "" {
			return "", fmt.Errorf("sshtest: no encrypted PEM form for %s keys", k.Kind)
		}
		der, err := x509.MarshalPKCS8PrivateKey(priv)
		if err != nil {
			return "", err
		}
		block = &pem.Block{Type: "PRIVATE KEY", Bytes: der}
	}
	if passphrase != "" {
		var err error
		//lint:ignore SA1019 legacy encrypted PEM is what old ssh-keygen wrote; agents must read it
		block, err = x509.EncryptPEMBlock(rand.Reader, block.Type, block.Bytes, []byte(passphrase), x509.PEMCipherAES256) //nolint:staticcheck
		if err != nil {
			return "", err
		}
	}
	return string(pem.EncodeToMemory(block)), nil
}
