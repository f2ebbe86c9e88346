package upgates

// The add-on installation request Upgates POSTs to an add-on's installation
// endpoint (seed 004, "Request body" and "Signature_v2 PHP"): the shop's API
// credentials, signed by Upgates with signature_v2 =
// base64(RSA PKCS#1 v1.5 SHA-256 over implode(";", [token, apiUser, apiKey,
// apiUrl, time, signature_token])).

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"storelink/connectors"
)

// Installation is a verified installation request.
type Installation struct {
	Token    string // e-shop identifier
	Version  int
	APIUser  string
	APIKey   string // secret
	APIURL   string // as sent; Values normalizes it
	Language string // cs, sk or en
	Expires  time.Time
}

// Values are the connection fields the installation fills in.
func (in Installation) Values() connectors.Values {
	u, _ := NormalizeAPIURL(in.APIURL)
	return connectors.Values{
		FieldAPIURL:   u,
		FieldAPIUser:  in.APIUser,
		FieldAPIKey:   in.APIKey,
		FieldLanguage: in.Language,
	}
}

// Sentinel errors an *InstallError matches with errors.Is.
var (
	ErrSignatureInvalid = errors.New("upgates: installation request signature does not match")
	ErrSignatureExpired = errors.New("upgates: installation request has expired")
	ErrInvalidInput     = errors.New("upgates: installation request is malformed")
)

// InstallError says why an installation request was refused. It never holds
// a secret: not the API key, the signature token or the signature.
type InstallError struct {
	Code   connectors.Code // CodeSignatureInvalid, CodeSignatureExpired or CodeInvalidInput
	Field  string          // the JSON key at fault ("time", "signature_v2"); "" for the body as a whole
	Reason string          // plain words, without the field name
	Err    error           // the underlying error, when there is one
}

func (e *InstallError) Error() string {
	if e.Field == "" {
		return "installation request: " + e.Reason
	}
	return "installation request: " + e.Field + " " + e.Reason
}

func (e *InstallError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrSignatureInvalid) and friends work.
func (e *InstallError) Is(target error) bool {
	switch target {
	case ErrSignatureInvalid:
		return e.Code == connectors.CodeSignatureInvalid
	case ErrSignatureExpired:
		return e.Code == connectors.CodeSignatureExpired
	case ErrInvalidInput:
		return e.Code == connectors.CodeInvalidInput
	}
	return false
}

func invalid(field, reason string, err error) *InstallError {
	return &InstallError{Code: connectors.CodeInvalidInput, Field: field, Reason: reason, Err: err}
}

// requestBody mirrors the seed's JSON. Version is "intiger" in the seed; a
// quoted number is accepted as well.
type requestBody struct {
	Token       *string         `json:"token"`
	Version     json.RawMessage `json:"version"`
	APIUser     *string         `json:"apiUser"`
	APIKey      *string         `json:"apiKey"`
	APIURL      *string         `json:"apiUrl"`
	Language    *string         `json:"current_admin_language"`
	Time        *string         `json:"time"`
	SignatureV2 *string         `json:"signature_v2"`
}

// request is a parsed, not yet verified, installation request.
type request struct {
	inst      Installation
	time      string // exactly as sent: it is part of the signed data
	signature []byte
}

// Signed are the parts of an installation request Upgates signs, each
// exactly as sent; current_admin_language and version are not signed.
type Signed struct {
	Token, APIUser, APIKey, APIURL string
	Time                           string // exactly as sent
	SignatureToken                 string // the add-on's, never sent
}

// SignedData is what Upgates signs: the seed's implode(";", [token, apiUser,
// apiKey, apiUrl, time, signature_token]).
func SignedData(s Signed) []byte {
	return []byte(strings.Join([]string{s.Token, s.APIUser, s.APIKey, s.APIURL, s.Time, s.SignatureToken}, ";"))
}

// parseRequest checks the body's shape; it does not verify the signature.
func parseRequest(body []byte) (request, error) {
	var rb requestBody
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&rb); err != nil {
		return request{}, invalid("", "is not the JSON object Upgates sends ("+jsonProblem(err)+")", err)
	}
	if dec.More() {
		return request{}, invalid("", "has more than one JSON value", nil)
	}
	var rq request
	for _, f := range []struct {
		key string
		v   *string
		dst *string
	}{
		{"token", rb.Token, &rq.inst.Token},
		{"apiUser", rb.APIUser, &rq.inst.APIUser},
		{"apiKey", rb.APIKey, &rq.inst.APIKey},
		{"apiUrl", rb.APIURL, &rq.inst.APIURL},
		{"time", rb.Time, &rq.time},
	} {
		if f.v == nil {
			return request{}, invalid(f.key, "is missing", nil)
		}
		if *f.v == "" {
			return request{}, invalid(f.key, "is empty", nil)
		}
		*f.dst = *f.v
	}
	if rb.SignatureV2 == nil || strings.TrimSpace(*rb.SignatureV2) == "" {
		return request{}, invalid("signature_v2", "is missing; Upgates has signed installation requests with signature_v2 since 1 January 2025", nil)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(*rb.SignatureV2), ""))
	if err != nil {
		return request{}, invalid("signature_v2", "is not valid base64", err)
	}
	rq.signature = sig
	if rq.inst.Expires, err = ParseTime(rq.time); err != nil {
		return request{}, invalid("time", "is not an ISO 8601 date and time", err)
	}
	if u, err := url.Parse(rq.inst.APIURL); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return request{}, invalid("apiUrl", "is not a web address", err)
	}
	if v := bytes.TrimSpace(rb.Version); len(v) > 0 && string(v) != "null" {
		n, err := strconv.Atoi(strings.Trim(string(v), `"`))
		if err != nil {
			return request{}, invalid("version", "is not a whole number", err)
		}
		rq.inst.Version = n
	}
	// current_admin_language is not signed and only picks a language: an
	// unknown one falls back to the default instead of failing the install.
	rq.inst.Language = DefaultLanguage
	if rb.Language != nil {
		for _, c := range Languages {
			if strings.EqualFold(strings.TrimSpace(*rb.Language), c.Value) {
				rq.inst.Language = c.Value
			}
		}
	}
	return rq, nil
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("%s must be a %s, not a %s", te.Field, te.Type, te.Value)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "empty or cut short"
	}
	return "unreadable"
}

// ISO 8601 forms accepted for time. PHP's date('c') gives RFC 3339. The seed
// says only "ISO 8601"; a time without a zone is read as UTC.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05"}

// ParseTime reads the installation request's time.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var first error
	for _, l := range timeLayouts {
		t, err := time.Parse(l, s)
		if err == nil {
			return t, nil
		}
		if first == nil {
			first = err
		}
	}
	return time.Time{}, first
}

// VerifyInstallation parses an installation request, verifies signature_v2
// with publicKey and signatureToken, and checks that its time has not passed
// at now. Errors are *InstallError.
func VerifyInstallation(body []byte, publicKey *rsa.PublicKey, signatureToken string, now time.Time) (Installation, error) {
	if publicKey == nil {
		return Installation{}, invalid("", "cannot be checked: no Upgates public key was given", nil)
	}
	if signatureToken == "" {
		return Installation{}, invalid("signature_token", "is empty; copy it from Marketplace > Add-on details > Add-on development in Upgates", nil)
	}
	rq, err := parseRequest(body)
	if err != nil {
		return Installation{}, err
	}
	return rq.verify(publicKey, signatureToken, now)
}

func (rq request) verify(publicKey *rsa.PublicKey, signatureToken string, now time.Time) (Installation, error) {
	in := rq.inst
	sum := sha256.Sum256(SignedData(Signed{Token: in.Token, APIUser: in.APIUser, APIKey: in.APIKey, APIURL: in.APIURL, Time: rq.time, SignatureToken: signatureToken}))
	if err := rsa.VerifyPKCS1v15(publicKey, crypto.SHA256, sum[:], rq.signature); err != nil {
		return Installation{}, &InstallError{Code: connectors.CodeSignatureInvalid, Field: "signature_v2", Err: err,
			Reason: "does not match: the request was changed, was not signed by Upgates' current key, or the signature token is wrong"}
	}
	if now.After(in.Expires) {
		return Installation{}, &InstallError{Code: connectors.CodeSignatureExpired, Field: "time",
			Reason: fmt.Sprintf("has passed: the request was valid until %s, %s ago; start the installation again in Upgates, and check this computer's clock",
				in.Expires.UTC().Format(time.RFC3339), now.Sub(in.Expires).Round(time.Second))}
	}
	return in, nil
}

// ParsePublicKey reads an RSA public key from PEM: "PUBLIC KEY" (PKIX, what
// Upgates publishes), "RSA PUBLIC KEY" (PKCS#1) or a "CERTIFICATE".
func ParsePublicKey(data []byte) (*rsa.PublicKey, error) {
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("upgates: no PEM public key found (expected -----BEGIN PUBLIC KEY-----)")
		}
		var (
			key any
			err error
		)
		switch block.Type {
		case "PUBLIC KEY":
			key, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			key, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "CERTIFICATE":
			var cert *x509.Certificate
			if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
				key = cert.PublicKey
			}
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("upgates: reading the %s block: %w", block.Type, err)
		}
		rk, ok := key.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("upgates: the public key is a %T, not an RSA key", key)
		}
		return rk, nil
	}
}
