package logging

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"storelink/redact"
)

func TestSecretsNeverReachTheLogAtDebug(t *testing.T) {
	dir := t.TempDir()
	r := redact.New()
	const key = "ZQ8W3RTY6UIP1ASD2FGH4JKL5XCV7BNM"
	const pemLine = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"
	r.Add(key, "-----BEGIN RSA PRIVATE KEY-----\n"+pemLine+"\n-----END RSA PRIVATE KEY-----")
	log, closer, err := Setup(Options{Dir: dir, Level: "debug", Redactor: r})
	if err != nil {
		t.Fatal(err)
	}
	log.Debugf("testing with key %s", key)
	log.WithField("api_key", key).WithError(errors.New("bad key " + key)).Debug("failed")
	log.Debug("Authorization: Basic " + "WlE4VzNSVFk2VUlQMUFTRDJGR0g0SktMNVhDVjdCTk06")
	log.Debug("GET http://shop.local/api/?ws_key=SOMEOTHERKEYNOTREGISTERED00000000")
	log.Debug(`OAuth oauth_consumer_key="ck", oauth_signature="c2lnbmF0dXJl%3D"`)
	log.WithField("struct", struct{ K string }{key}).Info("struct field")
	log.Debug("pem line " + pemLine)
	_ = closer.Close()
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	for _, leak := range []string{key, pemLine, "WlE4VzNSVFk2", "SOMEOTHERKEY", "c2lnbmF0dXJl"} {
		if strings.Contains(got, leak) {
			t.Errorf("log contains %q:\n%s", leak, got)
		}
	}
	if strings.Count(got, redact.Mask) < 7 {
		t.Errorf("expected masks in the log, got:\n%s", got)
	}
	if !strings.Contains(got, "level=debug") {
		t.Error("debug lines were not written at debug level")
	}
}

func TestLevelFromEnvironmentAndErrors(t *testing.T) {
	t.Setenv(LevelEnv, "warn")
	if l, err := ParseLevel(""); err != nil || l != logrus.WarnLevel {
		t.Fatalf("level = %v, %v", l, err)
	}
	if l, _ := ParseLevel("DEBUG"); l != logrus.DebugLevel {
		t.Fatalf("flag must win over the environment: %v", l)
	}
	if _, err := ParseLevel("loud"); err == nil || !strings.HasPrefix(err.Error(), "log level:") {
		t.Fatalf("err = %v", err)
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	log, closer, err := Setup(Options{Dir: dir, Level: "info", MaxSizeMB: 1, MaxBackups: 2})
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Repeat("x", 1000)
	for i := 0; i < 2500; i++ {
		log.Info(line)
	}
	_ = closer.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "storelink*.log"))
	if len(files) < 2 {
		t.Fatalf("no rotation happened: %v", files)
	}
	for _, f := range files {
		if fi, _ := os.Stat(f); fi.Size() > 1<<20+2000 {
			t.Errorf("%s is %d bytes, over the 1 MB limit", f, fi.Size())
		}
	}
}

// The formatter masks the line as written, after quoting and joining: a
// field the hook never saw (added by another hook) and a key cut short.
func TestFormatterMasksTheFormattedLine(t *testing.T) {
	const key = "ZQ8W3RTY6UIP1ASD2FGH4JKL5XCV7BNM"
	r := redact.New()
	r.Add(key)
	f := &RedactFormatter{R: r, Inner: &logrus.TextFormatter{DisableColors: true}}
	e := logrus.NewEntry(logrus.New())
	e.Message = "page titled \"" + key[:31] + "...\""
	e.Data = logrus.Fields{"title": "x" + key[3:] + `"q`, "n": 3}
	b, err := f.Format(e)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+redact.RunLen <= len(key); i++ {
		if strings.Contains(string(b), key[i:i+redact.RunLen]) {
			t.Fatalf("the formatted line keeps %q: %s", key[i:i+redact.RunLen], b)
		}
	}
	if !strings.Contains(string(b), "n=3") {
		t.Errorf("the rest of the line is lost: %s", b)
	}
}
