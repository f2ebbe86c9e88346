package oauth1

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

func pemOf(typ string, der []byte, headers map[string]string) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der, Headers: headers})
}

func TestParsePrivateKey(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := pemOf("RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), nil)
	for name, data := range map[string][]byte{
		"PKCS#1":           pkcs1,
		"PKCS#8":           pemOf("PRIVATE KEY", pkcs8, nil),
		"CRLF and spaces":  []byte("  \r\n" + strings.ReplaceAll(string(pkcs1), "\n", "\r\n") + "\n\n"),
		"escaped newlines": []byte(strings.ReplaceAll(string(pkcs1), "\n", `\n`)),
	} {
		got, err := ParsePrivateKey(data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !got.Equal(key) {
			t.Errorf("%s: a different key came back", name)
		}
	}

	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ecDER, _ := x509.MarshalECPrivateKey(ec)
	ec8, _ := x509.MarshalPKCS8PrivateKey(ec)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	ed8, _ := x509.MarshalPKCS8PrivateKey(ed)
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	truncated := string(pkcs1[:len(pkcs1)/2]) + "\n-----END RSA PRIVATE KEY-----\n"
	damaged := strings.Replace(string(pkcs1), "MII", "AAA", 1)
	for name, tc := range map[string]struct {
		data string
		want error
	}{
		"empty":             {"  \n", ErrKeyEmpty},
		"not PEM":           {"hello, this is my key", ErrKeyNotPEM},
		"encrypted PKCS#8":  {string(pemOf("ENCRYPTED PRIVATE KEY", []byte{1, 2, 3}, nil)), ErrKeyEncrypted},
		"encrypted PKCS#1":  {string(pemOf("RSA PRIVATE KEY", []byte{1, 2, 3}, map[string]string{"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-128-CBC,00112233445566778899AABBCCDDEEFF"})), ErrKeyEncrypted},
		"EC SEC1":           {string(pemOf("EC PRIVATE KEY", ecDER, nil)), ErrKeyEC},
		"EC PKCS#8":         {string(pemOf("PRIVATE KEY", ec8, nil)), ErrKeyEC},
		"Ed25519":           {string(pemOf("PRIVATE KEY", ed8, nil)), ErrKeyNotRSA},
		"public key":        {string(pemOf("PUBLIC KEY", pub, nil)), ErrKeyPublic},
		"certificate":       {string(pemOf("CERTIFICATE", []byte{0x30, 0}, nil)), ErrKeyPublic},
		"OpenSSH":           {string(pemOf("OPENSSH PRIVATE KEY", []byte("openssh-key-v1"), nil)), ErrKeyNotRSA},
		"truncated":         {truncated, ErrKeyMalformed},
		"damaged":           {damaged, ErrKeyMalformed},
		"garbage in PEM":    {string(pemOf("RSA PRIVATE KEY", []byte("garbage"), nil)), ErrKeyMalformed},
		"garbage in PKCS#8": {string(pemOf("PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01, 0x00}, nil)), ErrKeyMalformed},
		"header only":       {"-----BEGIN RSA PRIVATE KEY-----", ErrKeyMalformed},
	} {
		got, err := ParsePrivateKey([]byte(tc.data))
		if got != nil || !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, %v; want %v", name, got, err, tc.want)
		}
	}
}

func FuzzParsePrivateKey(f *testing.F) {
	f.Add(vectorRSAKey(f))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParsePrivateKey(data)
		if (key == nil) == (err == nil) {
			t.Fatalf("key %v with error %v", key != nil, err)
		}
	})
}
