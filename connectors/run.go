package connectors

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"
)

// Run tests one connection: it times the test, turns a panic into a failure
// and a cancelled context into CodeCanceled or CodeTimeout. The window and the
// command line both test through here.
func Run(ctx context.Context, info Info, cfg Config) (r Result) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			stack := string(debug.Stack())
			if len(stack) > 4096 {
				stack = stack[:4096]
			}
			r = Fail(CodeInternalError, fmt.Sprintf("Storelink failed while testing (%v).", p),
				"This is a bug in Storelink, not a fault of the store: please report it with the technical details and the log file.")
			r.Checks = append(r.Checks, Check{Name: "internal error", OK: false, Detail: stack})
		}
		if !r.OK {
			if cr, done := FromContext(ctx); done {
				cr.Exchanges, cr.Requests, cr.Checks = r.Exchanges, r.Requests, r.Checks
				r = cr
			}
		}
		r.Duration = time.Since(start)
		if r.Warnings == nil {
			r.Warnings = []Warning{}
		}
		if r.Checks == nil {
			r.Checks = []Check{}
		}
		if r.Permissions == nil {
			r.Permissions = []Permission{}
		}
	}()
	if cr, done := FromContext(ctx); done {
		return cr
	}
	if cfg.Values.String(FieldMode) == ModeOnPremise {
		// Agents (reverse SSH tunnels) come in a later release; never fall back
		// to a direct connection the user did not ask for.
		return Fail(CodeAgentUnavailable,
			fmt.Sprintf("The agent %q is not available: this version of Storelink cannot reach stores through on-premise agents yet.", cfg.Values.String(FieldAgent)),
			"Choose Mode: Cloud if this computer can reach the store directly (the local network and localhost count).")
	}
	return info.New().Test(ctx, cfg)
}
