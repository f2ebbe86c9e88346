package connectors

// CodedError is an error that already knows its code and hint: an agent's
// failure, which reaches the HTTP client through its DialFunc.
type CodedError interface {
	error
	FailureCode() Code
	FailureHint() string
}
