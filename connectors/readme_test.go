package connectors

import (
	"os"
	"strings"
	"testing"
)

// The README's failure-code table is the public documentation of the closed set.
func TestREADMEDocumentsEveryCode(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range AllCodes {
		if !strings.Contains(string(data), "| `"+string(c.Code)+"` |") {
			t.Errorf("README.md has no row for code %q", c.Code)
		}
	}
}

func TestVersionMatchesFyneAppToml(t *testing.T) {
	data, err := os.ReadFile("../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	// Both: a plain "go build" reports defaultVersion, the Makefile's build Version.
	for _, v := range []string{defaultVersion, Version} {
		if !strings.Contains(string(data), `Version = "`+v+`"`) {
			t.Errorf("FyneApp.toml does not say Version = %q", v)
		}
	}
}
