package upgates_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"storelink/connectors/upgates"
	"storelink/connectors/upgates/upgatestest"
)

func TestKeySourceFetchesAndCaches(t *testing.T) {
	s := testSigner(t)
	ks := upgatestest.NewKeyServer(t, s.PublicKeyPEM())
	dir := t.TempDir()
	now := fixedClock()
	clock := func() time.Time { return now }
	ctx := context.Background()

	src := &upgates.KeySource{URL: ks.KeyURL, CacheDir: dir, Now: clock}
	if _, err := src.Verify(ctx, s.Request(validRequest()), s.SignatureToken, now); err != nil {
		t.Fatal(err)
	}
	if ks.Fetches() != 1 {
		t.Fatalf("fetches = %d", ks.Fetches())
	}
	data, err := os.ReadFile(filepath.Join(dir, upgates.KeyCacheFile))
	if err != nil {
		t.Fatal(err)
	}
	var cached struct {
		URL     string    `json:"url"`
		Fetched time.Time `json:"fetched"`
		PEM     string    `json:"pem"`
	}
	if err := json.Unmarshal(data, &cached); err != nil || cached.URL != ks.KeyURL || !cached.Fetched.Equal(now) || cached.PEM == "" {
		t.Fatalf("cache file = %s (%v)", data, err)
	}

	// A new process within MaxAge uses the disk cache.
	now = now.Add(time.Hour)
	again := &upgates.KeySource{URL: ks.KeyURL, CacheDir: dir, Now: clock}
	if _, err := again.Verify(ctx, s.Request(validRequest()), s.SignatureToken, fixedClock()); err != nil {
		t.Fatal(err)
	}
	if ks.Fetches() != 1 {
		t.Fatalf("the cached key was fetched again (%d fetches)", ks.Fetches())
	}
	// After MaxAge it is fetched again.
	now = now.Add(upgates.DefaultKeyMaxAge)
	if _, err := again.Key(ctx); err != nil || ks.Fetches() != 2 {
		t.Fatalf("after MaxAge: %v, %d fetches", err, ks.Fetches())
	}
	// When fetching fails, the older key is still used.
	ks.SetPEM([]byte("garbage"))
	now = now.Add(2 * upgates.DefaultKeyMaxAge)
	if k, err := again.Key(ctx); err != nil || !k.Equal(s.Public()) {
		t.Fatalf("stale key not used when the fetch failed: %v", err)
	}
}

func TestKeySourceRefreshesOnceOnFailure(t *testing.T) {
	old, fresh := upgatestest.NewSigner(t), testSigner(t)
	ks := upgatestest.NewKeyServer(t, old.PublicKeyPEM())
	now := fixedClock()
	clock := func() time.Time { return now }
	src := &upgates.KeySource{URL: ks.KeyURL, Now: clock}
	ctx := context.Background()
	if _, err := src.Key(ctx); err != nil {
		t.Fatal(err)
	}
	// Upgates rotates its key; the request is signed with the new one.
	ks.SetPEM(fresh.PublicKeyPEM())
	now = now.Add(2 * time.Minute)
	in, err := src.Verify(ctx, fresh.Request(validRequest()), fresh.SignatureToken, fixedClock())
	if err != nil || in.APIKey != upgatestest.DefaultKey {
		t.Fatalf("after rotation: %v", err)
	}
	if ks.Fetches() != 2 {
		t.Fatalf("fetches = %d, want 2 (one refresh)", ks.Fetches())
	}
	// Forged requests do not make it fetch again within MinRefresh.
	for range 5 {
		_, err := src.Verify(ctx, fresh.Request(validRequest()), "wrong-token", fixedClock())
		if !errors.Is(err, upgates.ErrSignatureInvalid) {
			t.Fatalf("forged: %v", err)
		}
	}
	if ks.Fetches() != 2 {
		t.Fatalf("forged requests caused %d fetches", ks.Fetches()-2)
	}
}

func TestKeySourceFileIsOffline(t *testing.T) {
	s := testSigner(t)
	ks := upgatestest.NewKeyServer(t, s.PublicKeyPEM())
	src := &upgates.KeySource{URL: ks.KeyURL, File: s.WritePublicKey(t, t.TempDir())}
	if _, err := src.Verify(context.Background(), s.Request(validRequest()), s.SignatureToken, fixedClock()); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Verify(context.Background(), s.Request(validRequest()), "wrong", fixedClock()); !errors.Is(err, upgates.ErrSignatureInvalid) {
		t.Fatal(err)
	}
	if ks.Fetches() != 0 {
		t.Errorf("a file key source went online (%d fetches)", ks.Fetches())
	}
}

func TestHandlerWithKeySource(t *testing.T) {
	s := testSigner(t)
	ks := upgatestest.NewKeyServer(t, s.PublicKeyPEM())
	e := newEndpoint(t, func(o *upgates.HandlerOptions) {
		o.Key = nil
		o.Keys = &upgates.KeySource{URL: ks.KeyURL, CacheDir: t.TempDir()}
	})
	status, a := post(t, e.srv.URL, s.Request(validRequest()), "")
	if status != 200 || a.Error {
		t.Fatalf("answer %d %+v", status, a)
	}
	ks.Close()
	e2 := newEndpoint(t, func(o *upgates.HandlerOptions) {
		o.Key = nil
		o.Keys = &upgates.KeySource{URL: ks.KeyURL}
	})
	if _, a := post(t, e2.srv.URL, s.Request(validRequest()), ""); !a.Error || a.Message == "" {
		t.Fatalf("no key available: %+v", a)
	}
}
