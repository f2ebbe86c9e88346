//go:build e2e

// Stores that put the key just before the place Storelink shortens their
// text (a page title or realm at 80 characters, an error message at 160 or
// 200), or in text it never used to mask (the version, the shop's name, the
// resources and privileges, a certificate's subject): no run of 8
// characters of the key may reach standard output, standard error,
// connections.json or the log.

package cli

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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"storelink/connectors/connectortest"
	"storelink/connectors/prestashop/pstest"
)

const (
	cutPSKey  = "ZQ7X4RLAGCBSSNQ1VPXQ271Z1KE22XRN" // 32
	cutUpUser = "apilogin"
	cutUpKey  = "Ux4kP9qL2mZ7wR3tY6uA1sD8fG5hJ" // 29
)

// cutShape answers with text (the key after filler) where a platform's
// answer puts a message Storelink shortens to cut characters.
type cutShape struct {
	name, app string
	cut       int // 0: the text is not shortened
	serve     func(w http.ResponseWriter, r *http.Request, text string)
}

func cutHTML(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html><head><title>%s</title></head><body>x</body></html>", title)
}

func cutJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

var cutShapes = []cutShape{
	{"ps-title", "prestashop", 80, func(w http.ResponseWriter, _ *http.Request, s string) { cutHTML(w, http.StatusOK, s) }},
	{"ps-500-title", "prestashop", 80, func(w http.ResponseWriter, _ *http.Request, s string) {
		cutHTML(w, http.StatusInternalServerError, s)
	}},
	{"ps-realm", "prestashop", 80, func(w http.ResponseWriter, _ *http.Request, s string) {
		w.Header().Set("WWW-Authenticate", "Basic realm="+s)
		w.WriteHeader(http.StatusUnauthorized)
	}},
	{"ps-error", "prestashop", 200, func(w http.ResponseWriter, _ *http.Request, s string) {
		w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<prestashop xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<errors>\n<error>\n<code><![CDATA[99]]></code>\n<message><![CDATA[%s]]></message>\n</error>\n</errors>\n</prestashop>\n", s)
	}},
	{"ps-shop", "prestashop", 0, func(w http.ResponseWriter, r *http.Request, s string) {
		base, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		pstest.Handler(pstest.Options{Key: cutPSKey, BasePath: "/" + base, Version: "8.1.4-" + s, ShopName: s,
			Permissions: map[string][]string{"r" + strings.Trim(s, ".-"): {"GET"}}}).ServeHTTP(w, r)
	}},
	{"up-message", "upgates", 160, func(w http.ResponseWriter, _ *http.Request, s string) {
		cutJSON(w, http.StatusInternalServerError, map[string]string{"message": s})
	}},
	{"up-messages", "upgates", 160, func(w http.ResponseWriter, _ *http.Request, s string) {
		cutJSON(w, http.StatusTeapot, map[string]any{"messages": []map[string]string{{"message": s}}})
	}},
	{"up-not-status", "upgates", 80, func(w http.ResponseWriter, _ *http.Request, s string) {
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, s)
	}},
	{"up-services", "upgates", 0, func(w http.ResponseWriter, _ *http.Request, s string) {
		cutJSON(w, http.StatusOK, map[string]any{"services": []map[string]string{{"service": s, "url": "/" + s, "privilege": cutUpKey}}})
	}},
}

// cutServer serves shape at /o<offset>/...: the key starts at that offset
// of the text.
func cutServer(t *testing.T, shape cutShape, key string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/o"), "/")
		o, err := strconv.Atoi(first)
		if err != nil || o > 400 {
			http.NotFound(w, r)
			return
		}
		shape.serve(w, r, strings.Repeat(".", o)+key+"-tail")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// cutOffsets put the key across the cut: 31, 16, 9 and 8 characters of it
// before the cut (what an unmasked cut would print), and whole.
func cutOffsets(cut, keyLen int) []int {
	if cut == 0 {
		return []int{0}
	}
	return []int{cut - keyLen + 1, cut - 16, cut - 9, cut - 8, cut - keyLen - 2}
}

func TestE2ENoPieceOfTheKeyNearACut(t *testing.T) {
	b := newBinary(t)
	var printed []string
	var names []string
	create := func(name, app string, sets ...string) {
		secrets := fmt.Sprintf(`{"api_key":%q}`, cutPSKey)
		if app == "upgates" {
			secrets = fmt.Sprintf(`{"api_key":%q}`, cutUpKey)
		}
		args := func(name string) []string {
			a := []string{"--log-level", "debug", "create", "--app", app, "--name", name, "--secrets-stdin", "--json"}
			for _, s := range sets {
				a = append(a, "--set", s)
			}
			return a
		}
		// Verified first (printed, not saved when it fails), then saved unverified.
		_, out, stderr := b.run(secrets, args(name+"-v")...)
		printed = append(printed, out, stderr)
		code, out, stderr := b.run(secrets, append(args(name), "--no-verify")...)
		if code != 0 {
			t.Fatalf("%s: create --no-verify: %d %s %s", name, code, out, stderr)
		}
		printed = append(printed, out, stderr)
		names = append(names, name)
	}
	for _, shape := range cutShapes {
		key := cutPSKey
		if shape.app == "upgates" {
			key = cutUpKey
		}
		srv := cutServer(t, shape, key)
		for _, o := range cutOffsets(shape.cut, len(key)) {
			name := fmt.Sprintf("%s-%d", shape.name, o)
			if shape.app == "prestashop" {
				create(name, "prestashop", "store_url="+hostPort(t, srv.URL)+"/o"+strconv.Itoa(o), "use_https=false")
			} else {
				create(name, "upgates", "api_url="+srv.URL+"/o"+strconv.Itoa(o)+"/api/v2", "api_user="+cutUpUser)
			}
		}
	}
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.TLS = &tls.Config{Certificates: []tls.Certificate{cutCertificate(t, cutPSKey)}}
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	create("ps-certificate", "prestashop", "store_url="+hostPort(t, tlsSrv.URL), "use_https=true")

	for _, name := range names {
		_, out, stderr := b.run("", "--log-level", "debug", "test", name, "--json")
		printed = append(printed, out, stderr)
	}
	_, out, stderr := b.run("", "--log-level", "debug", "test", "--all")
	printed = append(printed, out, stderr)
	_, out, stderr = b.run("", "list", "--json")
	printed = append(printed, out, stderr)

	all := strings.Join(printed, "\n")
	for _, want := range []string{`"code":"not_api"`, `"code":"server_error"`, `"code":"auth_invalid"`, "****"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s in the output: the servers were not reached as planned, this test would prove nothing", want)
		}
	}
	settings, err := os.ReadFile(filepath.Join(b.home, "connections.json"))
	if err != nil || !strings.Contains(string(settings), "****") {
		t.Errorf("connections.json records no masked message (%v): this test would prove nothing", err)
	}
	for _, secret := range []string{cutPSKey, cutUpKey, base64.StdEncoding.EncodeToString([]byte(cutPSKey + ":")),
		base64.StdEncoding.EncodeToString([]byte(cutUpUser + ":" + cutUpKey))} {
		b.assertNoPiece(secret, printed...)
	}
}

// assertNoPiece fails on any run of 8 characters of secret printed or in
// any file under the home folder (connections.json and the log included).
func (b *binary) assertNoPiece(secret string, printed ...string) {
	b.t.Helper()
	for _, p := range printed {
		if piece := connectortest.Piece(p, secret); piece != "" {
			b.t.Errorf("%d characters of the key (%q) were printed: %q", len(piece), piece, p)
		}
	}
	_ = filepath.Walk(b.home, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			data, _ := os.ReadFile(p)
			if piece := connectortest.Piece(string(data), secret); piece != "" {
				b.t.Errorf("%s holds %d characters of the key (%q)", p, len(piece), piece)
			}
		}
		return nil
	})
}

// cutCertificate is a self-signed certificate for 127.0.0.1 whose subject
// and issuer name key, whole and cut.
func cutCertificate(t *testing.T, key string) tls.Certificate {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	name := pkix.Name{CommonName: key, Organization: []string{"Shop " + key[:len(key)-1]}}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: name, Issuer: name,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}
}
