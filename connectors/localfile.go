package connectors

// localfile.go: the one way Storelink reads a file the user named (a CA
// file, a public key, an installation request to import). Only a regular
// file under a stated size is read, and never more than that size: a
// device (/dev/zero), a pipe, a directory or a huge file is refused with
// the field's label and the path, before anything is read whole.

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Size limits of the files Storelink reads. PEM bundles of every public CA
// are about 250 KiB; a signed installation request or a public key is a
// few KiB.
const (
	MaxCAFileSize     = 4 << 20
	MaxKeyFileSize    = 64 << 10
	MaxImportFileSize = 1 << 20
)

// ErrNotRegularFile and ErrFileTooLarge are what ReadLocalFile refuses.
var (
	ErrNotRegularFile = errors.New("not a regular file")
	ErrFileTooLarge   = errors.New("file too large")
)

// LocalFileError names the field, the file and what is wrong with it.
type LocalFileError struct {
	Label string // the field's label, "CA file"
	Path  string
	Err   error
	Limit int64
}

func (e *LocalFileError) Error() string {
	switch {
	case errors.Is(e.Err, ErrNotRegularFile):
		return fmt.Sprintf("%s: %s is not a regular file (a device, a pipe or a folder); choose the file itself", e.Label, e.Path)
	case errors.Is(e.Err, ErrFileTooLarge):
		return fmt.Sprintf("%s: %s is larger than %s, more than such a file ever is; choose the right file", e.Label, e.Path, byteSize(e.Limit))
	case errors.Is(e.Err, os.ErrNotExist):
		return fmt.Sprintf("%s: %s does not exist", e.Label, e.Path)
	case errors.Is(e.Err, os.ErrPermission):
		return fmt.Sprintf("%s: %s cannot be read (permission denied)", e.Label, e.Path)
	}
	return fmt.Sprintf("%s: cannot read %s: %v", e.Label, e.Path, e.Err)
}

func (e *LocalFileError) Unwrap() error { return e.Err }

// ReadLocalFile reads the regular file at path, at most limit bytes.
// label names the field or flag in the error. The file is opened without
// blocking first, so a FIFO with no writer cannot hang the caller, and its
// type is checked on the open descriptor, so a swap after the check does
// not matter.
func ReadLocalFile(label, path string, limit int64) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		return nil, &LocalFileError{Label: label, Path: path, Err: err, Limit: limit}
	}
	f, err := openNoBlock(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if !st.Mode().IsRegular() {
		return fail(ErrNotRegularFile)
	}
	if st.Size() > limit {
		return fail(ErrFileTooLarge)
	}
	// The file may grow while it is read: read one byte past the limit.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return fail(err)
	}
	if int64(len(data)) > limit {
		return fail(ErrFileTooLarge)
	}
	return data, nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
