package connectors

// Code is a stable, machine-readable outcome of a connection test. The set is
// closed and documented in the README: scripts depend on these strings.
type Code string

const (
	CodeOK                         Code = "ok"
	CodeInvalidInput               Code = "invalid_input"
	CodeUnreachable                Code = "unreachable"
	CodeTimeout                    Code = "timeout"
	CodeTLS                        Code = "tls"
	CodeNotAPI                     Code = "not_api"
	CodeAPIDisabled                Code = "api_disabled"
	CodeAuthInvalid                Code = "auth_invalid"
	CodeAuthHeaderStripped         Code = "auth_header_stripped"
	CodeForbidden                  Code = "forbidden"
	CodeSignatureInvalid           Code = "signature_invalid"
	CodeSignatureMethodUnsupported Code = "signature_method_unsupported"
	CodeSignatureExpired           Code = "signature_expired"
	CodeClockSkew                  Code = "clock_skew"
	CodeBearerDisabled             Code = "bearer_disabled"
	CodeRateLimited                Code = "rate_limited"
	CodeLockedOut                  Code = "locked_out"
	CodeStoreUnavailable           Code = "store_unavailable"
	CodeMoved                      Code = "moved"
	CodeServerError                Code = "server_error"
	CodeCanceled                   Code = "canceled"
	CodeKeychain                   Code = "keychain"
	CodeAgentUnavailable           Code = "agent_unavailable"
	CodeInternalError              Code = "internal_error"

	// Codes that only appear as warnings next to a passing test.
	CodeInsecureHTTP   Code = "insecure_http"
	CodeRewriteMissing Code = "rewrite_missing"
	CodeNormalized     Code = "normalized"

	// On-premise agents (SSH tunnels).
	CodeHostKeyUnknown         Code = "host_key_unknown"
	CodeHostKeyChanged         Code = "host_key_changed"
	CodeAgentUnreachable       Code = "agent_unreachable"
	CodeAgentAuthInvalid       Code = "agent_auth_invalid"
	CodeAgentForwardingRefused Code = "agent_forwarding_refused"

	// CodeConcurrencyFallback warns that a connection's lender of
	// concurrency is gone, so its own level was used.
	CodeConcurrencyFallback Code = "concurrency_fallback"
	// CodeAPIVersionFallback warns that the platform no longer serves the
	// API version asked for and answered with another (Shopify).
	CodeAPIVersionFallback Code = "api_version_fallback"
)

// CodeInfo documents one code for the README and `storelink codes`.
type CodeInfo struct {
	Code    Code
	Warning bool // appears only as a warning
	Meaning string
	// Short is two or three words for a status column ("Failed: key refused").
	Short string
}

// AllCodes is the closed set of codes, in the order the README lists them.
var AllCodes = []CodeInfo{
	{CodeOK, false, "The connection works.", "works"},
	{CodeInvalidInput, false, "A field is missing or malformed; the message names it.", "invalid settings"},
	{CodeUnreachable, false, "The host name does not resolve, or nothing accepts connections at that address.", "not reachable"},
	{CodeTimeout, false, "The store did not answer in time.", "timed out"},
	{CodeTLS, false, "The HTTPS certificate or handshake was refused; the message says why and whose certificate it was.", "HTTPS refused"},
	{CodeNotAPI, false, "Something answered, but not the platform's API: wrong URL, missing rewrite rule, a web page.", "not the API"},
	{CodeAPIDisabled, false, "The store's API is switched off (PrestaShop webservice), or blocked by a WordPress plugin or the host.", "API disabled"},
	{CodeAuthInvalid, false, "The key, token or login is unknown, disabled or wrong.", "key refused"},
	{CodeAuthHeaderStripped, false, "The server drops the Authorization header before the application sees it (PHP as CGI/FPM); a warning when another way of sending the key worked.", "header dropped"},
	{CodeForbidden, false, "The credentials are valid but lack a permission, or are not allowed on this shop.", "no permission"},
	{CodeSignatureInvalid, false, "The OAuth or installation-request signature does not match.", "bad signature"},
	{CodeSignatureMethodUnsupported, false, "The server refuses the chosen OAuth signature method.", "method refused"},
	{CodeSignatureExpired, false, "The signed installation request's validity time has passed.", "request expired"},
	{CodeClockSkew, false, "The local clock and the server's differ too much for a signed request.", "clock differs"},
	{CodeBearerDisabled, false, "The server does not accept an integration's access token as a Bearer token.", "token refused"},
	{CodeRateLimited, false, "The API's request limit is reached; the message says when to try again.", "rate limited"},
	{CodeLockedOut, false, "Too many failed logins: the API blocks this address for a while, or Storelink refused to send one more.", "locked out"},
	{CodeStoreUnavailable, false, "The store is closed, frozen or locked: the platform refuses API calls until its owner acts.", "store unavailable"},
	{CodeMoved, false, "The API has moved; the message gives the new address.", "API moved"},
	{CodeServerError, false, "The store answered with a server error (5xx).", "server error"},
	{CodeCanceled, false, "The test was cancelled before it finished.", "cancelled"},
	{CodeKeychain, false, "The connection's secrets could not be read from the OS keychain.", "keychain error"},
	{CodeAgentUnavailable, false, "The on-premise agent the connection goes through no longer exists or cannot be used (its secrets, its jump agents).", "no agent"},
	{CodeHostKeyUnknown, false, "The agent's SSH host key is not pinned yet: the message shows its fingerprint to check and accept.", "host key unknown"},
	{CodeHostKeyChanged, false, "The agent's SSH host key differs from the pinned one; it is never accepted silently.", "host key changed"},
	{CodeAgentUnreachable, false, "Nothing answers at the agent's host and port, or its name does not resolve; the message names the hop.", "agent offline"},
	{CodeAgentAuthInvalid, false, "The agent refused to sign in: the key, its passphrase, the password or the ssh-agent's keys; the message says which.", "agent login failed"},
	{CodeAgentForwardingRefused, false, "The agent's SSH server refuses to open the tunnel (AllowTcpForwarding no, PermitOpen).", "tunnel refused"},
	{CodeInternalError, false, "Storelink itself failed while testing (a bug, not the store's fault); the log has the details.", "Storelink error"},
	{CodeInsecureHTTP, true, "The connection uses plain HTTP to a host that is not local.", "plain HTTP"},
	{CodeRewriteMissing, true, "The API answered only through its dispatcher: a URL rewrite rule is missing.", "no rewrite rule"},
	{CodeNormalized, true, "A pasted value was rewritten into the expected form.", "value tidied"},
	{CodeConcurrencyFallback, true, "The connection it borrows its concurrency level from no longer exists: its own level was used.", "own level used"},
	{CodeAPIVersionFallback, true, "The platform no longer serves the API version the connection asks for and answered with a newer one; the warning names both.", "API version retired"},
}

// Short is the code's few words for a status ("key refused"); the code
// itself when it is not in the set.
func (c Code) Short() string {
	for _, ci := range AllCodes {
		if ci.Code == c {
			return ci.Short
		}
	}
	return string(c)
}

// KnownCode reports whether c belongs to the closed set.
func KnownCode(c Code) bool {
	for _, ci := range AllCodes {
		if ci.Code == c {
			return true
		}
	}
	return false
}
