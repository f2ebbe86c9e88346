package all_test

// Servers that echo the key into every text Storelink shows of them, at
// every offset around each length the text is cut to: no run of 8 or more
// characters of the key may survive in any string of the result (found by
// reflection), its JSON or its description.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"storelink/connectors"
	_ "storelink/connectors/all"
	"storelink/connectors/connectortest"
	"storelink/connectors/prestashop/pstest"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

const (
	psKey   = "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE22XRN" // 32, PrestaShop's alphabet
	upUser  = "apilogin"
	upKey   = "Ux4kP9qL2mZ7wR3tY6uA1sD8fG5hJ" // 29, as Upgates generates them
	keyMask = "****"
)

// echo is a server shape that shows text somewhere Storelink cuts it.
type echo struct {
	name  string
	cuts  []int // the lengths the text is cut to; none: offsets 0 and 5
	serve func(w http.ResponseWriter, text string)
}

// placed is the key at offset o of a text, after filler that is no part of it.
func placed(key string, o int) string { return strings.Repeat(".", o) + key + "-tail" }

func offsets(cuts []int, keyLen int) []int {
	if len(cuts) == 0 {
		return []int{0, 5}
	}
	var out []int
	for _, cut := range cuts {
		for o := max(0, cut-keyLen-2); o <= cut+2; o++ {
			out = append(out, o)
		}
	}
	return out
}

func html(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%s</title></head><body>x</body></html>", title)
}

// psErrors is WebserviceOutputXML::renderErrors with a code Storelink does
// not know, so the message is shown as PrestaShop's own.
func psErrors(w http.ResponseWriter, message string) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Header().Set("PSWS-Version", "8.1.4")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<errors>\n<error>\n<code><![CDATA[99]]></code>\n<message><![CDATA[%s]]></message>\n</error>\n</errors>\n</prestashop>\n", message)
}

func upJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprint(w, body)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestNoPieceOfAKeyNearAnyCut(t *testing.T) {
	ps := []echo{
		{"page title", []int{80}, func(w http.ResponseWriter, s string) { html(w, http.StatusOK, s) }},
		{"500 page title", []int{80}, func(w http.ResponseWriter, s string) { html(w, http.StatusInternalServerError, s) }},
		{"realm", []int{80}, func(w http.ResponseWriter, s string) {
			w.Header().Set("WWW-Authenticate", "Basic realm="+s)
			w.WriteHeader(http.StatusUnauthorized)
		}},
		{"error message", []int{200}, func(w http.ResponseWriter, s string) { psErrors(w, s) }},
		{"answer excerpt", []int{300}, func(w http.ResponseWriter, s string) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, s)
		}},
		{"version header", nil, func(w http.ResponseWriter, s string) {
			pstest.Handler(pstest.Options{Key: psKey, Version: "8.1.4-" + s}).ServeHTTP(w, lastRequest(w))
		}},
		{"shop name", nil, func(w http.ResponseWriter, s string) {
			pstest.Handler(pstest.Options{Key: psKey, ShopName: s}).ServeHTTP(w, lastRequest(w))
		}},
		{"permission resource", nil, func(w http.ResponseWriter, s string) {
			pstest.Handler(pstest.Options{Key: psKey, Permissions: map[string][]string{"r" + strings.Trim(s, ".-"): {"GET"}}}).ServeHTTP(w, lastRequest(w))
		}},
	}
	up := []echo{
		{"error message", []int{160}, func(w http.ResponseWriter, s string) {
			upJSON(w, http.StatusInternalServerError, `{"message":`+quote(s)+`}`)
		}},
		{"error messages list", []int{160}, func(w http.ResponseWriter, s string) {
			upJSON(w, http.StatusTeapot, `{"messages":[{"object":null,"property":null,"message":`+quote(s)+`,"level":"error"}]}`)
		}},
		{"plain error", []int{160}, func(w http.ResponseWriter, s string) { upJSON(w, http.StatusBadGateway, s) }},
		{"refusal", []int{160}, func(w http.ResponseWriter, s string) {
			upJSON(w, http.StatusForbidden, `{"message":`+quote(s)+`}`)
		}},
		{"not the status list", []int{80}, func(w http.ResponseWriter, s string) { upJSON(w, http.StatusOK, s) }},
		{"services and privileges", nil, func(w http.ResponseWriter, s string) {
			body, _ := json.Marshal(map[string]any{"services": []upgates.Service{{Service: s, URL: "/" + s, Privilege: upKey}}})
			upJSON(w, http.StatusOK, string(body))
		}},
	}
	for _, e := range ps {
		t.Run("PrestaShop "+e.name, func(t *testing.T) {
			masked := false
			for _, o := range offsets(e.cuts, len(psKey)) {
				srv := echoServer(t, e.serve, placed(psKey, o))
				r := run(t, "prestashop", connectors.Values{"store_url": srv.Listener.Addr().String(), "use_https": "false", "api_key": psKey})
				masked = assertNoPiece(t, fmt.Sprintf("offset %d", o), r, psKey, base64.StdEncoding.EncodeToString([]byte(psKey+":"))) || masked
				srv.Close()
			}
			if !masked {
				t.Error("the key never reached the result: this case proves nothing")
			}
		})
	}
	for _, e := range up {
		t.Run("Upgates "+e.name, func(t *testing.T) {
			masked := false
			for _, o := range offsets(e.cuts, len(upKey)) {
				srv := echoServer(t, e.serve, placed(upKey, o))
				r := run(t, "upgates", connectors.Values{"api_url": srv.URL + "/api/v2", "api_user": upUser, "api_key": upKey})
				masked = assertNoPiece(t, fmt.Sprintf("offset %d", o), r, upKey, base64.StdEncoding.EncodeToString([]byte(upUser+":"+upKey))) || masked
				srv.Close()
			}
			if !masked {
				t.Error("the key never reached the result: this case proves nothing")
			}
		})
	}
}

// A certificate that names the key in its subject and issuer: a refused
// TLS test shows the certificate, never the key.
func TestNoPieceOfAKeyInACertificate(t *testing.T) {
	for _, c := range []struct {
		app    string
		values func(srv *httptest.Server) connectors.Values
		key    string
	}{
		{"prestashop", func(srv *httptest.Server) connectors.Values {
			return connectors.Values{"store_url": srv.Listener.Addr().String(), "use_https": "true", "api_key": psKey}
		}, psKey},
		{"upgates", func(srv *httptest.Server) connectors.Values {
			return connectors.Values{"api_url": srv.URL + "/api/v2", "api_user": upUser, "api_key": upKey}
		}, upKey},
	} {
		srv := httptest.NewUnstartedServer(http.NotFoundHandler())
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{certNaming(t, c.key)}}
		srv.StartTLS()
		r := run(t, c.app, c.values(srv))
		srv.Close()
		if r.Certificate == nil {
			t.Fatalf("%s: no certificate in the result %+v: this test proves nothing", c.app, r)
		}
		if !assertNoPiece(t, c.app, r, c.key) {
			t.Errorf("%s: the subject %q holds no mask", c.app, r.Certificate.Subject)
		}
	}
}

// certNaming is a self-signed certificate for 127.0.0.1 whose subject (and
// so issuer) names key, once whole and once cut.
func certNaming(t *testing.T, key string) tls.Certificate {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	name := pkix.Name{CommonName: key, Organization: []string{"Shop " + key[:len(key)-1]}, OrganizationalUnit: []string{key[1:]}}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: name, Issuer: name,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}
}

// echoServer answers every request with serve(text) on 127.0.0.1.
func echoServer(t *testing.T, serve func(http.ResponseWriter, string), text string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serve(&withRequest{w, r}, text)
	}))
	return srv
}

// withRequest lets a shape hand the request on to an emulator.
type withRequest struct {
	http.ResponseWriter
	r *http.Request
}

func lastRequest(w http.ResponseWriter) *http.Request { return w.(*withRequest).r }

func run(t *testing.T, app string, values connectors.Values) connectors.Result {
	t.Helper()
	info, ok := connectors.Lookup(app)
	if !ok {
		t.Fatalf("%s is not registered", app)
	}
	values["name"] = "Echo"
	values, _ = info.Normalize(info.Defaults(values))
	return connectors.Run(t.Context(), info, connectors.Config{Name: "Echo", Values: values, State: upgatestest.NewState(), Now: time.Now})
}

// assertNoPiece fails on any run of 8 characters of a secret in any string
// of r, its JSON or its description; it reports whether r shows a mask.
func assertNoPiece(t *testing.T, where string, r connectors.Result, secrets ...string) bool {
	t.Helper()
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	all := append(connectortest.Strings(&r), string(js), connectors.Describe(r))
	masked := false
	for _, s := range all {
		masked = masked || strings.Contains(s, keyMask)
		for _, secret := range secrets {
			if p := connectortest.Piece(s, secret); p != "" {
				t.Errorf("%s: %d characters of the key (%q) in %q", where, len(p), p, s)
				return masked
			}
		}
	}
	return masked
}
