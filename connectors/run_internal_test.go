package connectors

import (
	"context"
	"testing"
	"time"
)

// The client Run builds, seen from inside: the durations a slow store meets
// cannot be waited for in a test (a 25 s request timeout once ended at the
// 20 s header timeout), so they are read off the options.
func TestRunClientTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name        string
		value       string // request_timeout; "-" leaves it out
		client      ClientOptions
		want, wantH time.Duration
	}{
		{"the user's timeout beats the 20 s header default", "25", ClientOptions{}, 25 * time.Second, 25 * time.Second},
		{"the user's timeout beats the caller's", "25", ClientOptions{Timeout: 90 * time.Second}, 25 * time.Second, 25 * time.Second},
		{"a short one", "5", ClientOptions{}, 5 * time.Second, 5 * time.Second},
		{"a longer header timeout stays", "25", ClientOptions{HeaderTimeout: time.Minute}, 25 * time.Second, time.Minute},
		{"a shorter header timeout is raised", "25", ClientOptions{HeaderTimeout: time.Second}, 25 * time.Second, 25 * time.Second},
		{"the largest allowed", "300", ClientOptions{}, 300 * time.Second, 300 * time.Second},
		{"none: the caller's", "-", ClientOptions{Timeout: 45 * time.Second}, 45 * time.Second, 45 * time.Second},
		{"none and no caller's: 30 s", "-", ClientOptions{}, DefaultTimeout, DefaultTimeout},
		{"empty", "", ClientOptions{}, DefaultTimeout, DefaultTimeout},
		{"zero", "0", ClientOptions{Timeout: 45 * time.Second}, 45 * time.Second, 45 * time.Second},
		{"too long", "301", ClientOptions{}, DefaultTimeout, DefaultTimeout},
		{"not a number", "soon", ClientOptions{}, DefaultTimeout, DefaultTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got *Client
			info := Info{ID: "stub", New: func() Connector {
				return connectorFunc(func(_ context.Context, cfg Config) Result {
					got = cfg.HTTP
					return Success("fine")
				})
			}}
			values := Values{"store_url": "https://shop.example"}
			if tc.value != "-" {
				values[FieldRequestTimeout] = tc.value
			}
			Run(t.Context(), info, Config{Values: values, Client: tc.client})
			if got == nil {
				t.Fatal("the connector got no Config.HTTP")
			}
			if got.opts.Timeout != tc.want || got.opts.HeaderTimeout != tc.wantH {
				t.Errorf("timeout %v, header timeout %v; want %v, %v", got.opts.Timeout, got.opts.HeaderTimeout, tc.want, tc.wantH)
			}
			if got.opts.HeaderTimeout < got.opts.Timeout {
				t.Errorf("the header timeout %v would end a request before its timeout %v", got.opts.HeaderTimeout, got.opts.Timeout)
			}
			if got.Redactor() == nil {
				t.Error("the client has no redactor")
			}
		})
	}
}

type connectorFunc func(ctx context.Context, cfg Config) Result

func (f connectorFunc) Test(ctx context.Context, cfg Config) Result { return f(ctx, cfg) }
