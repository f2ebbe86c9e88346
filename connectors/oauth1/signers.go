package oauth1

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // crypto.SHA1 in VerifyRSA
	_ "crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"

	lib "github.com/dghubble/oauth1"
)

// Signature method names, as they travel in oauth_signature_method.
const (
	HMACSHA1   = "HMAC-SHA1"
	HMACSHA256 = "HMAC-SHA256"
	HMACSHA512 = "HMAC-SHA512"
	RSASHA1    = "RSA-SHA1"
	RSASHA256  = "RSA-SHA256"
	RSASHA512  = "RSA-SHA512"
	PLAINTEXT  = "PLAINTEXT"
)

// Methods lists the seven signature methods.
var Methods = []string{HMACSHA1, HMACSHA256, HMACSHA512, RSASHA1, RSASHA256, RSASHA512, PLAINTEXT}

// IsRSA reports whether method signs with a private key.
func IsRSA(method string) bool {
	return method == RSASHA1 || method == RSASHA256 || method == RSASHA512
}

// NewHMACSHA1Signer is the library's HMAC-SHA1 signer.
func NewHMACSHA1Signer(consumerSecret string) Signer {
	return &lib.HMACSigner{ConsumerSecret: consumerSecret}
}

// NewHMACSHA256Signer is the library's HMAC-SHA256 signer.
func NewHMACSHA256Signer(consumerSecret string) Signer {
	return &lib.HMAC256Signer{ConsumerSecret: consumerSecret}
}

// NewHMACSHA512Signer signs with HMAC-SHA512, keyed like the others with
// the encoded consumer secret and token secret joined by "&".
func NewHMACSHA512Signer(consumerSecret string) Signer {
	return &hmacSigner{name: HMACSHA512, consumerSecret: consumerSecret, hash: sha512.New}
}

type hmacSigner struct {
	name           string
	consumerSecret string
	hash           func() hash.Hash
}

func (s *hmacSigner) Name() string { return s.name }

func (s *hmacSigner) Sign(tokenSecret, message string) (string, error) {
	mac := hmac.New(s.hash, []byte(SigningKey(s.consumerSecret, tokenSecret)))
	mac.Write([]byte(message))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// SigningKey is the HMAC key and the PLAINTEXT signature of RFC 5849
// 3.4.2 and 3.4.4: both secrets encoded, joined by "&" (kept when the token
// secret is empty).
func SigningKey(consumerSecret, tokenSecret string) string {
	return PercentEncode(consumerSecret) + "&" + PercentEncode(tokenSecret)
}

// NewRSASHA1Signer is the library's RSA-SHA1 signer.
func NewRSASHA1Signer(key *rsa.PrivateKey) Signer { return &lib.RSASigner{PrivateKey: key} }

// NewRSASHA256Signer signs a SHA-256 digest with RSASSA-PKCS1-v1_5.
func NewRSASHA256Signer(key *rsa.PrivateKey) Signer {
	return &rsaSigner{name: RSASHA256, key: key, hash: crypto.SHA256}
}

// NewRSASHA512Signer signs a SHA-512 digest with RSASSA-PKCS1-v1_5.
func NewRSASHA512Signer(key *rsa.PrivateKey) Signer {
	return &rsaSigner{name: RSASHA512, key: key, hash: crypto.SHA512}
}

type rsaSigner struct {
	name string
	key  *rsa.PrivateKey
	hash crypto.Hash
}

func (s *rsaSigner) Name() string { return s.name }

// Sign ignores the token secret, which RSA methods do not use.
func (s *rsaSigner) Sign(_ string, message string) (string, error) {
	if s.key == nil {
		return "", errors.New("no private key")
	}
	h := s.hash.New()
	h.Write([]byte(message))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, s.hash, h.Sum(nil))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// NewPlaintextSigner returns the PLAINTEXT "signature": the encoded
// secrets joined by "&", whatever the base string (RFC 5849 3.4.4).
func NewPlaintextSigner(consumerSecret string) Signer {
	return &plaintextSigner{consumerSecret: consumerSecret}
}

type plaintextSigner struct{ consumerSecret string }

func (s *plaintextSigner) Name() string { return PLAINTEXT }

func (s *plaintextSigner) Sign(tokenSecret, _ string) (string, error) {
	return SigningKey(s.consumerSecret, tokenSecret), nil
}

// SignerConfig holds what NewSigner needs for any method.
type SignerConfig struct {
	Method         string
	ConsumerSecret string          // HMAC-* and PLAINTEXT
	PrivateKey     *rsa.PrivateKey // RSA-*
}

// NewSigner returns the signer for c.Method.
func NewSigner(c SignerConfig) (Signer, error) {
	if IsRSA(c.Method) && c.PrivateKey == nil {
		return nil, fmt.Errorf("oauth1: %s needs a private key", c.Method)
	}
	switch c.Method {
	case HMACSHA1:
		return NewHMACSHA1Signer(c.ConsumerSecret), nil
	case HMACSHA256:
		return NewHMACSHA256Signer(c.ConsumerSecret), nil
	case HMACSHA512:
		return NewHMACSHA512Signer(c.ConsumerSecret), nil
	case RSASHA1:
		return NewRSASHA1Signer(c.PrivateKey), nil
	case RSASHA256:
		return NewRSASHA256Signer(c.PrivateKey), nil
	case RSASHA512:
		return NewRSASHA512Signer(c.PrivateKey), nil
	case PLAINTEXT:
		return NewPlaintextSigner(c.ConsumerSecret), nil
	}
	return nil, fmt.Errorf("oauth1: unknown signature method %q", c.Method)
}

// hashOf is the digest an RSA method signs, for VerifyRSA.
func hashOf(method string) (crypto.Hash, bool) {
	switch method {
	case RSASHA1:
		return crypto.SHA1, true
	case RSASHA256:
		return crypto.SHA256, true
	case RSASHA512:
		return crypto.SHA512, true
	}
	return 0, false
}

// VerifyRSA checks an RSA-* signature of base with the public key.
func VerifyRSA(method string, pub *rsa.PublicKey, base, signature string) error {
	h, ok := hashOf(method)
	if !ok {
		return fmt.Errorf("oauth1: %q is not an RSA method", method)
	}
	sig, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return fmt.Errorf("oauth1: signature is not base64: %w", err)
	}
	d := h.New()
	d.Write([]byte(base))
	return rsa.VerifyPKCS1v15(pub, h, d.Sum(nil), sig)
}
