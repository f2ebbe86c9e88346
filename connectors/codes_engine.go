package connectors

// CodeConcurrencyFallback warns that a connection's lender of concurrency
// is gone, so its own level was used. Listed in AllCodes.
const CodeConcurrencyFallback Code = "concurrency_fallback"
