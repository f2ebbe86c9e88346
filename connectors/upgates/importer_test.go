package upgates_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

// The importer hands the window the name of the shop and the key file the
// request was checked with, so the pane keeps what was typed in the dialog.
func TestImportCarriesNameAndKeyFile(t *testing.T) {
	s := testSigner(t)
	keyFile := s.WritePublicKey(t, t.TempDir())
	r := validRequest()
	r.Time = time.Now().Add(10 * time.Minute).Format(time.RFC3339)
	imp := info(t).Importer
	v, err := imp.Import(context.Background(), s.Request(r),
		connectors.Values{upgates.ParamSignatureToken: s.SignatureToken, upgates.ParamPublicKeyFile: keyFile}, connectors.ImportEnv{})
	if err != nil {
		t.Fatal(err)
	}
	if v[connectors.FieldName] != "Upgates myshop" || v[upgates.FieldPublicKeyFile] != keyFile {
		t.Errorf("name %q, key file %q; want the shop's name and %s", v[connectors.FieldName], v[upgates.FieldPublicKeyFile], keyFile)
	}

	ks := upgatestest.NewKeyServer(t, s.PublicKeyPEM())
	imp = upgates.InfoWith(upgates.Options{PublicKeyURL: ks.KeyURL}).Importer
	v, err = imp.Import(context.Background(), s.Request(r), connectors.Values{upgates.ParamSignatureToken: s.SignatureToken}, connectors.ImportEnv{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v[upgates.FieldPublicKeyFile]; ok {
		t.Errorf("without a key file the values carry one: %v", v)
	}
}

// Every refusal says what is wrong and what to do next, and still matches
// its cause with errors.Is.
func TestImportRefusalsSayWhatToDoNext(t *testing.T) {
	s := testSigner(t)
	dir := t.TempDir()
	keyFile := s.WritePublicKey(t, dir)
	notKey := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notKey, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := validRequest()
	fresh.Time = time.Now().Add(10 * time.Minute).Format(time.RFC3339)
	stale := validRequest()
	stale.Time = time.Now().Add(-time.Hour).Format(time.RFC3339)
	badTime := fresh
	badTime.Time = "yesterday"
	refuse := func(context.Context, string, string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	offline := upgates.InfoWith(upgates.Options{PublicKeyURL: "https://keys.example/upgates.pub"}).Importer

	for _, tc := range []struct {
		name    string
		imp     *connectors.Importer
		data    []byte
		token   string
		file    string
		is      error
		problem string
		next    []string
	}{
		{"wrong token", nil, s.Request(fresh), "wrong", keyFile, upgates.ErrSignatureInvalid,
			"The signature does not match", []string{"signature token under Marketplace > Add-on details > Add-on development", "then Import again"}},
		{"expired", nil, s.Request(stale), s.SignatureToken, keyFile, upgates.ErrSignatureExpired,
			"The installation request has expired (it was valid until", []string{"start the installation of the add-on again in Upgates", "clock"}},
		{"not JSON", nil, []byte("hello"), s.SignatureToken, keyFile, upgates.ErrInvalidInput,
			"This is not an Upgates installation request", []string{".json file", "Import again"}},
		{"bad field", nil, s.Request(badTime), s.SignatureToken, keyFile, upgates.ErrInvalidInput,
			"The installation request's time is not an ISO 8601 date and time", []string{"exactly as Upgates sent it"}},
		{"no key file", nil, s.Request(fresh), s.SignatureToken, filepath.Join(dir, "missing.pem"), os.ErrNotExist,
			"The signature public key file cannot be read (no such file or directory)", []string{"choose the PEM file", "clear the field"}},
		{"key file is a device", nil, s.Request(fresh), s.SignatureToken, "/dev/zero", connectors.ErrNotRegularFile,
			"The signature public key file /dev/zero is not a regular file", []string{"choose the PEM file"}},
		{"not a key file", nil, s.Request(fresh), s.SignatureToken, notKey, nil,
			"The signature public key file holds no key Storelink can use; no PEM public key found", []string{"choose the PEM file"}},
		{"key not fetched", offline, s.Request(fresh), s.SignatureToken, "", nil,
			"Upgates' signature public key could not be fetched; nothing accepts connections at keys.example", []string{"internet connection", "https://keys.example/upgates.pub"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			imp := tc.imp
			if imp == nil {
				imp = info(t).Importer
			}
			params := connectors.Values{upgates.ParamSignatureToken: tc.token, upgates.ParamPublicKeyFile: tc.file}
			_, err := imp.Import(context.Background(), tc.data, params, connectors.ImportEnv{Client: connectors.ClientOptions{Dial: refuse}})
			var ie *upgates.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *ImportError", err)
			}
			if !strings.HasPrefix(ie.Problem, tc.problem) || ie.Next == "" {
				t.Errorf("problem %q, want it to start %q, with a next step", ie.Problem, tc.problem)
			}
			for _, want := range tc.next {
				if !strings.Contains(ie.Next, want) {
					t.Errorf("next step %q lacks %q", ie.Next, want)
				}
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
			}
			if strings.Contains(err.Error(), tc.token) && tc.token != "wrong" {
				t.Errorf("the refusal shows the signature token: %v", err)
			}
		})
	}
}
