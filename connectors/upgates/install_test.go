package upgates_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

const shopAPI = "https://myshop.admin.s15.upgates.com/api/v2"

// One key pair for the package's tests: generating RSA keys under -race is slow.
var (
	signerOnce sync.Once
	signer     *upgatestest.Signer
)

func testSigner(t testing.TB) *upgatestest.Signer {
	signerOnce.Do(func() { signer = upgatestest.NewSigner(t) })
	return signer
}

func validRequest() upgatestest.InstallRequest {
	return upgatestest.ValidRequest(shopAPI, fixedClock().Add(10*time.Minute))
}

func TestVerifyInstallationAccepts(t *testing.T) {
	s := testSigner(t)
	for name, pem := range map[string][]byte{"PKIX": s.PublicKeyPEM(), "PKCS#1": s.PublicKeyPKCS1PEM()} {
		t.Run(name, func(t *testing.T) {
			key, err := upgates.ParsePublicKey(pem)
			if err != nil {
				t.Fatal(err)
			}
			in, err := upgates.VerifyInstallation(s.Request(validRequest()), key, s.SignatureToken, fixedClock())
			if err != nil {
				t.Fatal(err)
			}
			want := connectors.Values{upgates.FieldAPIURL: shopAPI, upgates.FieldAPIUser: upgatestest.DefaultLogin,
				upgates.FieldAPIKey: upgatestest.DefaultKey, upgates.FieldLanguage: "sk"}
			got := in.Values()
			for k, v := range want {
				if got[k] != v {
					t.Errorf("Values()[%q] = %q, want %q", k, got[k], v)
				}
			}
			if in.Token != validRequest().Token || in.Version != 1 || !in.Expires.Equal(fixedClock().Add(10*time.Minute)) {
				t.Errorf("installation = %+v", in)
			}
		})
	}
}

func TestVerifyInstallationRefuses(t *testing.T) {
	s := testSigner(t)
	other := func() []byte { // signed, then apiUser changed
		r := validRequest()
		sig := s.Sign(r)
		r.APIUser = "attacker"
		return upgatestest.Body(r, sig)
	}
	expired := validRequest()
	expired.Time = fixedClock().Add(-time.Second).Format(time.RFC3339)
	badTime := validRequest()
	badTime.Time = "next Tuesday"
	missing := strings.Replace(string(s.Request(validRequest())), `"apiKey"`, `"apiKeyX"`, 1)

	for _, c := range []struct {
		name  string
		body  []byte
		token string
		code  connectors.Code
		field string
		is    error
	}{
		{"changed field", other(), s.SignatureToken, connectors.CodeSignatureInvalid, "signature_v2", upgates.ErrSignatureInvalid},
		{"wrong signature token", s.Request(validRequest()), "not-the-token", connectors.CodeSignatureInvalid, "signature_v2", upgates.ErrSignatureInvalid},
		{"expired", s.Request(expired), s.SignatureToken, connectors.CodeSignatureExpired, "time", upgates.ErrSignatureExpired},
		{"malformed base64", upgatestest.Body(validRequest(), "%%%not base64%%%"), s.SignatureToken, connectors.CodeInvalidInput, "signature_v2", upgates.ErrInvalidInput},
		{"malformed JSON", []byte(`{"token": "abc", `), s.SignatureToken, connectors.CodeInvalidInput, "", upgates.ErrInvalidInput},
		{"not an object", []byte(`["token"]`), s.SignatureToken, connectors.CodeInvalidInput, "", upgates.ErrInvalidInput},
		{"empty body", nil, s.SignatureToken, connectors.CodeInvalidInput, "", upgates.ErrInvalidInput},
		{"missing apiKey", []byte(missing), s.SignatureToken, connectors.CodeInvalidInput, "apiKey", upgates.ErrInvalidInput},
		{"time not ISO 8601", s.Request(badTime), s.SignatureToken, connectors.CodeInvalidInput, "time", upgates.ErrInvalidInput},
		{"old signature only", []byte(`{"token":"t","apiUser":"u","apiKey":"k","apiUrl":"https://x.admin.s1.upgates.com/api/v2","time":"2025-03-10T13:30:00Z","signature":"abc"}`),
			s.SignatureToken, connectors.CodeInvalidInput, "signature_v2", upgates.ErrInvalidInput},
		{"empty signature token", s.Request(validRequest()), "", connectors.CodeInvalidInput, "signature_token", upgates.ErrInvalidInput},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := upgates.VerifyInstallation(c.body, s.Public(), c.token, fixedClock())
			var ie *upgates.InstallError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want *InstallError", err)
			}
			if ie.Code != c.code || ie.Field != c.field || !errors.Is(err, c.is) {
				t.Fatalf("code %s field %q (%v), want %s field %q", ie.Code, ie.Field, err, c.code, c.field)
			}
			for _, secret := range []string{upgatestest.DefaultKey, s.SignatureToken, s.Sign(validRequest())[:20]} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error text leaks a secret: %v", err)
				}
			}
		})
	}
}

func TestLanguageIsNotSigned(t *testing.T) {
	s := testSigner(t)
	r := validRequest()
	sig := s.Sign(r)
	r.Language = "en"
	in, err := upgates.VerifyInstallation(upgatestest.Body(r, sig), s.Public(), s.SignatureToken, fixedClock())
	if err != nil || in.Language != "en" {
		t.Fatalf("language change: %v, %q (current_admin_language is not part of the signed data)", err, in.Language)
	}
}

func TestSignedDataIsImplode(t *testing.T) {
	got := string(upgates.SignedData(upgates.Signed{Token: "t", APIUser: "u", APIKey: "k", APIURL: "https://x/api/v2", Time: "2025-01-01T00:00:00+01:00", SignatureToken: "st"}))
	if got != "t;u;k;https://x/api/v2;2025-01-01T00:00:00+01:00;st" {
		t.Errorf("signed data = %q", got)
	}
}

func TestParsePublicKeyRefuses(t *testing.T) {
	for _, in := range []string{"", "not pem", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"} {
		if _, err := upgates.ParsePublicKey([]byte(in)); err == nil {
			t.Errorf("ParsePublicKey(%q) accepted it", in)
		}
	}
}

func TestImporter(t *testing.T) {
	s := testSigner(t)
	dir := t.TempDir()
	keyFile := s.WritePublicKey(t, dir)
	r := validRequest()
	r.Time = time.Now().Add(10 * time.Minute).Format(time.RFC3339) // Import uses the wall clock
	imp := info(t).Importer
	if len(imp.Params) != 2 || imp.Params[0].Key != "signature_token" || !imp.Params[0].IsSecret() || imp.Params[1].Key != "public_key_file" {
		t.Fatalf("params = %+v", imp.Params)
	}
	v, err := imp.Import(context.Background(), s.Request(r), connectors.Values{"signature_token": s.SignatureToken, "public_key_file": keyFile}, connectors.ImportEnv{})
	if err != nil {
		t.Fatal(err)
	}
	if v[upgates.FieldAPIKey] != upgatestest.DefaultKey || v[upgates.FieldAPIURL] != shopAPI || v[upgates.FieldLanguage] != "sk" {
		t.Errorf("values = %v", v)
	}
	_, err = imp.Import(context.Background(), s.Request(r), connectors.Values{"signature_token": "wrong", "public_key_file": keyFile}, connectors.ImportEnv{})
	if !errors.Is(err, upgates.ErrSignatureInvalid) {
		t.Errorf("wrong token: %v", err)
	}
	_, err = imp.Import(context.Background(), s.Request(r), connectors.Values{"signature_token": s.SignatureToken, "public_key_file": filepath.Join(dir, "missing.pem")}, connectors.ImportEnv{})
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing key file: %v", err)
	}
}

// Without a key file the importer uses Upgates' published key: fetched once,
// kept in memory for the next import and in the cache folder with its date
// for the next start, and fetched again when Upgates changes its key.
func TestImporterCachesThePublishedKey(t *testing.T) {
	s := testSigner(t)
	ks := upgatestest.NewKeyServer(t, s.PublicKeyPEM())
	// Each InfoWith is a process of its own: its keys are in memory only there.
	process := func() *connectors.Importer {
		return upgates.InfoWith(upgates.Options{PublicKeyURL: ks.KeyURL}).Importer
	}
	env := connectors.ImportEnv{CacheDir: t.TempDir()}
	r := validRequest()
	r.Time = time.Now().Add(10 * time.Minute).Format(time.RFC3339)
	imp := process()
	params := connectors.Values{"signature_token": s.SignatureToken}
	for i := range 2 {
		if _, err := imp.Import(context.Background(), s.Request(r), params, env); err != nil {
			t.Fatalf("import %d: %v", i+1, err)
		}
	}
	if ks.Fetches() != 1 {
		t.Fatalf("two imports fetched the key %d times, want 1", ks.Fetches())
	}
	cached, err := os.ReadFile(filepath.Join(env.CacheDir, upgates.KeyCacheFile))
	if err != nil || !strings.Contains(string(cached), `"fetched"`) || !strings.Contains(string(cached), "PUBLIC KEY") {
		t.Fatalf("the cache file holds %q (%v), want the key with its date", cached, err)
	}
	imp = process() // a restart: the disk cache serves
	if _, err := imp.Import(context.Background(), s.Request(r), params, env); err != nil || ks.Fetches() != 1 {
		t.Fatalf("after a restart: %v, %d fetches; want the cached key", err, ks.Fetches())
	}

	// Ten minutes later Upgates rotates its key: the first refused signature
	// fetches it again. (Within a minute of a fetch it would not, so forged
	// requests cannot make Storelink hammer Upgates' server.)
	var c map[string]any
	if err := json.Unmarshal(cached, &c); err != nil {
		t.Fatal(err)
	}
	c["fetched"] = time.Now().Add(-10 * time.Minute).Format(time.RFC3339Nano)
	older, _ := json.Marshal(c)
	if err := os.WriteFile(filepath.Join(env.CacheDir, upgates.KeyCacheFile), older, 0o600); err != nil {
		t.Fatal(err)
	}
	imp = process()
	rotated := upgatestest.NewSigner(t)
	rotated.SignatureToken = s.SignatureToken
	ks.SetPEM(rotated.PublicKeyPEM())
	if _, err := imp.Import(context.Background(), rotated.Request(r), connectors.Values{"signature_token": rotated.SignatureToken}, env); err != nil {
		t.Fatalf("a request signed with the new key: %v", err)
	}
	if ks.Fetches() != 2 {
		t.Errorf("the rotated key took %d fetches in all, want 2", ks.Fetches())
	}
}

func FuzzVerifyInstallation(f *testing.F) {
	s := testSigner(f)
	f.Add(s.Request(validRequest()))
	f.Add(upgatestest.Body(validRequest(), base64.StdEncoding.EncodeToString([]byte("short"))))
	f.Add([]byte(`{"token":1,"version":"x"}`))
	f.Add([]byte(`{"token":"a","apiUser":"b","apiKey":"c","apiUrl":"https://x","time":"2025-01-01","signature_v2":"AA=="}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := upgates.VerifyInstallation(body, s.Public(), s.SignatureToken, fixedClock())
		if err == nil {
			// Whatever passes must be bound to the signature token and unexpired.
			if _, err := upgates.VerifyInstallation(body, s.Public(), s.SignatureToken+"x", fixedClock()); err == nil {
				t.Fatalf("accepted %q with another signature token", body)
			}
			if in.APIKey == "" || in.Expires.Before(fixedClock()) {
				t.Fatalf("accepted %q as %+v", body, in.Expires)
			}
			return
		}
		var ie *upgates.InstallError
		if !errors.As(err, &ie) || !connectors.KnownCode(ie.Code) {
			t.Fatalf("error %v is not an InstallError with a known code", err)
		}
	})
}
