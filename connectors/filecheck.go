package connectors

// filecheck.go: a file field is checked when the connection is saved, even
// without a test (--no-verify skips the network, not the input): the file
// must exist, be a regular file under its size limit and hold what the
// field expects. The test reads it again, as it is then.

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
)

// CheckLocalFile reads the file a field names with ReadLocalFile and
// returns it, or an error worded for the field (without its label).
func CheckLocalFile(label, path string, limit int64) ([]byte, error) {
	data, err := ReadLocalFile(label, path, limit)
	if err == nil {
		return data, nil
	}
	msg := strings.TrimPrefix(err.Error(), label+": ")
	if errors.Is(err, ErrNotRegularFile) || errors.Is(err, ErrFileTooLarge) {
		return nil, errors.New(msg)
	}
	return nil, errors.New(msg + "; enter the full path of the file, or leave the field empty")
}

// validateCAFile is the ca_file field's check: a PEM file with at least one
// certificate.
func validateCAFile(path string) error {
	data, err := CheckLocalFile("CA file", path, MaxCAFileSize)
	if err != nil {
		return err
	}
	if !x509.NewCertPool().AppendCertsFromPEM(data) {
		return fmt.Errorf("%s holds no PEM certificate; choose your certificate authority's PEM file (-----BEGIN CERTIFICATE-----)", path)
	}
	return nil
}
