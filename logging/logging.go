// Package logging sets up logrus: a rotating file under the Storelink home,
// with every secret the process knows masked before anything is written.
package logging

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"
	"gopkg.in/natefinch/lumberjack.v2"

	"storelink/redact"
)

// LevelEnv sets the level when --log-level is not given.
const LevelEnv = "STORELINK_LOG_LEVEL"

// Options configure the logger.
type Options struct {
	Dir      string // logs/ under the Storelink home
	Level    string // "" means $STORELINK_LOG_LEVEL or info
	Redactor *redact.Redactor
	// MaxSizeMB and MaxBackups control rotation; zero means 5 MB and 3 files.
	MaxSizeMB  int
	MaxBackups int
}

// FileName is the log file inside Dir.
const FileName = "storelink.log"

// ParseLevel reads a level name, with an error that names the option.
func ParseLevel(s string) (logrus.Level, error) {
	if s == "" {
		s = os.Getenv(LevelEnv)
	}
	if s == "" {
		return logrus.InfoLevel, nil
	}
	l, err := logrus.ParseLevel(strings.ToLower(s))
	if err != nil {
		return 0, fmt.Errorf("log level: %q is not one of panic, fatal, error, warn, info, debug, trace", s)
	}
	return l, nil
}

// Setup returns a logger writing to Dir/storelink.log, and the closer of the
// file.
func Setup(o Options) (*logrus.Logger, io.Closer, error) {
	level, err := ParseLevel(o.Level)
	if err != nil {
		return nil, nil, err
	}
	if o.Dir == "" {
		return nil, nil, errors.New("logging: no folder given")
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("cannot create the log folder %s: %w", o.Dir, err)
	}
	if o.MaxSizeMB == 0 {
		o.MaxSizeMB = 5
	}
	if o.MaxBackups == 0 {
		o.MaxBackups = 3
	}
	file := &lumberjack.Logger{
		Filename: filepath.Join(o.Dir, FileName), MaxSize: o.MaxSizeMB, MaxBackups: o.MaxBackups, MaxAge: 30,
	}
	log := logrus.New()
	log.SetLevel(level)
	// Two nets: the hook masks messages and fields before formatting (an
	// error's text, a struct printed), the formatter masks the line after
	// it (quoting and joining can cut a secret in pieces).
	log.SetFormatter(&RedactFormatter{R: o.Redactor, Inner: &logrus.TextFormatter{DisableColors: true, FullTimestamp: true}})
	log.AddHook(&RedactHook{R: o.Redactor})
	log.SetOutput(file)
	return log, file, nil
}

// RedactFormatter masks secrets in the line Inner formats: what is written
// is exactly what passed the redactor.
type RedactFormatter struct {
	R     *redact.Redactor
	Inner logrus.Formatter
}

// Format implements logrus.Formatter.
func (f *RedactFormatter) Format(e *logrus.Entry) ([]byte, error) {
	b, err := f.Inner.Format(e)
	if err != nil {
		return nil, err
	}
	return []byte(f.R.String(string(b))), nil
}

// RedactHook masks secrets in an entry's message and fields. Add it first.
type RedactHook struct{ R *redact.Redactor }

// Levels implements logrus.Hook.
func (h *RedactHook) Levels() []logrus.Level { return logrus.AllLevels }

// Fire implements logrus.Hook.
func (h *RedactHook) Fire(e *logrus.Entry) error {
	e.Message = h.R.String(e.Message)
	data := make(logrus.Fields, len(e.Data))
	for k, v := range e.Data {
		switch x := v.(type) {
		case string:
			data[k] = h.R.String(x)
		case error:
			data[k] = h.R.String(x.Error())
		case fmt.Stringer:
			data[k] = h.R.String(x.String())
		case int, int64, bool, float64, uint, int32:
			data[k] = x
		default:
			data[k] = h.R.String(fmt.Sprintf("%+v", x))
		}
	}
	e.Data = data
	return nil
}
