package upgates

// Where Upgates' signature public key comes from: the address the seed gives,
// kept on disk with the date it was fetched, fetched again when a signature
// does not verify (Upgates may change keys: the API docs advise loading the
// current key for each verification), or a file for offline use.

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"storelink/connectors"
)

// DefaultPublicKeyURL is where Upgates publishes its signature public key
// (seed 004, "Signature_v2 PHP").
const DefaultPublicKeyURL = "https://files.upgates.com/addons/signature/api.signature.pub.key"

// KeyCacheFile is the cache's file name inside KeySource.CacheDir.
const KeyCacheFile = "upgates-signature-key.json"

// Defaults for KeySource.
const (
	DefaultKeyMaxAge     = 24 * time.Hour
	DefaultKeyMinRefresh = time.Minute
	maxKeySize           = 64 << 10
)

// KeySource gives the public key installation requests are verified with.
// Safe for concurrent use. The zero value fetches DefaultPublicKeyURL and
// keeps it in memory only.
type KeySource struct {
	URL      string // "" means DefaultPublicKeyURL
	File     string // a PEM file: used alone, nothing is fetched (offline use)
	CacheDir string // where the fetched key is kept with its date; "" keeps it in memory only
	// MaxAge is how old a cached key may be before it is fetched again;
	// MinRefresh how soon after a fetch a failed verification may fetch again
	// (so a stream of forged requests cannot hammer Upgates' server).
	MaxAge, MinRefresh time.Duration
	Client             connectors.ClientOptions
	Now                func() time.Time
	// Logf, when set, hears about a cache that could not be written.
	Logf func(format string, args ...any)

	mu      sync.Mutex
	key     *rsa.PublicKey
	fetched time.Time
	pem     []byte
}

// cachedKey is the file in CacheDir.
type cachedKey struct {
	URL     string    `json:"url"`
	Fetched time.Time `json:"fetched"`
	PEM     string    `json:"pem"`
}

func (s *KeySource) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *KeySource) url() string {
	if s.URL != "" {
		return s.URL
	}
	return DefaultPublicKeyURL
}

func (s *KeySource) maxAge() time.Duration {
	if s.MaxAge > 0 {
		return s.MaxAge
	}
	return DefaultKeyMaxAge
}

// Key returns the current key: from File, from memory or the disk cache while
// younger than MaxAge, or fetched. When fetching fails, an older cached key
// is used rather than none.
func (s *KeySource) Key(ctx context.Context) (*rsa.PublicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.File != "" {
		return s.fromFile()
	}
	if s.key == nil {
		s.loadCache()
	}
	if s.key != nil && s.now().Sub(s.fetched) < s.maxAge() {
		return s.key, nil
	}
	key, err := s.fetch(ctx)
	if err != nil && s.key != nil {
		return s.key, nil
	}
	return key, err
}

// Refresh fetches the key again now (File: reads it again).
func (s *KeySource) Refresh(ctx context.Context) (*rsa.PublicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.File != "" {
		s.key = nil
		return s.fromFile()
	}
	return s.fetch(ctx)
}

// Fetched says when the key in use was fetched (zero when none was).
func (s *KeySource) Fetched() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetched
}

// Verify verifies an installation request. When the signature does not match
// and the key was not fetched within MinRefresh, the key is fetched once more
// and, if it changed, the request is verified again.
func (s *KeySource) Verify(ctx context.Context, body []byte, signatureToken string, now time.Time) (Installation, error) {
	key, err := s.Key(ctx)
	if err != nil {
		return Installation{}, err
	}
	in, err := VerifyInstallation(body, key, signatureToken, now)
	if !errors.Is(err, ErrSignatureInvalid) || s.File != "" {
		return in, err
	}
	minRefresh := s.MinRefresh
	if minRefresh == 0 {
		minRefresh = DefaultKeyMinRefresh
	}
	if s.now().Sub(s.Fetched()) < minRefresh {
		return in, err
	}
	fresh, ferr := s.Refresh(ctx)
	if ferr != nil || fresh.Equal(key) {
		return in, err
	}
	return VerifyInstallation(body, fresh, signatureToken, now)
}

func (s *KeySource) fromFile() (*rsa.PublicKey, error) {
	if s.key != nil {
		return s.key, nil
	}
	key, err := readPublicKeyFile("Signature public key file", s.File)
	if err != nil {
		return nil, err
	}
	s.key = key
	return key, nil
}

// readPublicKeyFile reads a PEM public key from a regular file of at most
// connectors.MaxKeyFileSize; label names the field or flag in the error.
func readPublicKeyFile(label, path string) (*rsa.PublicKey, error) {
	data, err := connectors.ReadLocalFile(label, path, connectors.MaxKeyFileSize)
	if err != nil {
		return nil, err
	}
	key, err := ParsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", label, path, err)
	}
	return key, nil
}

func (s *KeySource) cachePath() string {
	if s.CacheDir == "" {
		return ""
	}
	return filepath.Join(s.CacheDir, KeyCacheFile)
}

// loadCache reads the disk cache if it is for this URL; damage is ignored
// (the key is fetched instead).
func (s *KeySource) loadCache() {
	p := s.cachePath()
	if p == "" {
		return
	}
	data, err := connectors.ReadLocalFile("Upgates key cache", p, 2*maxKeySize)
	if err != nil {
		return
	}
	var c cachedKey
	if json.Unmarshal(data, &c) != nil || c.URL != s.url() {
		return
	}
	key, err := ParsePublicKey([]byte(c.PEM))
	if err != nil {
		return
	}
	s.key, s.fetched, s.pem = key, c.Fetched, []byte(c.PEM)
}

func (s *KeySource) fetch(ctx context.Context) (*rsa.PublicKey, error) {
	opts := s.Client
	opts.MaxBody = maxKeySize
	if opts.Timeout == 0 {
		opts.Timeout = 10 * time.Second
	}
	resp, err := connectors.NewClient(opts).Do(ctx, connectors.Request{URL: s.url(), FollowRedirects: true})
	if err != nil {
		return nil, fmt.Errorf("upgates: fetching the signature public key: %w", err)
	}
	if resp.Status != http.StatusOK {
		return nil, fmt.Errorf("upgates: fetching the signature public key from %s: %s", s.url(), resp.StatusText)
	}
	key, err := ParsePublicKey(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("upgates: the key at %s: %w", s.url(), err)
	}
	s.key, s.fetched, s.pem = key, s.now(), bytes.TrimSpace(resp.Body)
	if err := s.saveCache(); err != nil && s.Logf != nil {
		// The key is good; without the cache it is only fetched again next time.
		s.Logf("upgates: could not keep the signature public key in %s: %v", s.CacheDir, err)
	}
	return key, nil
}

func (s *KeySource) saveCache() error {
	p := s.cachePath()
	if p == "" {
		return nil
	}
	data, err := json.MarshalIndent(cachedKey{URL: s.url(), Fetched: s.fetched.UTC(), PEM: string(s.pem)}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.CacheDir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.CacheDir, KeyCacheFile+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}
