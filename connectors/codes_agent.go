package connectors

// Codes of on-premise agents (SSH tunnels). They live apart from codes.go
// until AllCodes and the README table list them.
const (
	CodeHostKeyUnknown         Code = "host_key_unknown"
	CodeHostKeyChanged         Code = "host_key_changed"
	CodeAgentUnreachable       Code = "agent_unreachable"
	CodeAgentAuthInvalid       Code = "agent_auth_invalid"
	CodeAgentForwardingRefused Code = "agent_forwarding_refused"
)

// CodedError is an error that already knows its code and hint: an agent's
// failure, which reaches the HTTP client through its DialFunc.
type CodedError interface {
	error
	FailureCode() Code
	FailureHint() string
}
