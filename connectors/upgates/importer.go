package upgates

// "Import installation request...": the window fills the Upgates form from a
// saved or pasted installation request, verified like the endpoint does.
// A refusal says what is wrong and what to do next, in the window's words.

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode"

	"storelink/connectors"
)

// Keys of the importer's parameters.
const (
	ParamSignatureToken = "signature_token"
	ParamPublicKeyFile  = FieldPublicKeyFile
)

func (c *Connector) importer() *connectors.Importer {
	return &connectors.Importer{
		Label: "Import installation request...",
		Params: []connectors.Field{
			{Key: ParamSignatureToken, Label: "Signature token", Kind: connectors.KindSecret, Required: true,
				Help: "The add-on's signature token, from Marketplace > Add-on details > Add-on development in Upgates. It proves the request was signed for this add-on."},
			{Key: ParamPublicKeyFile, Label: "Signature public key file", Kind: connectors.KindFile,
				Help: "A PEM file with Upgates' signature public key, for use offline. Empty: the key is fetched from " + DefaultPublicKeyURL + "."},
		},
		Import: c.Import,
	}
}

// publishedKeySource is the KeySource of Upgates' published key for
// env.CacheDir, shared by the imports made through c.
func (c *Connector) publishedKeySource(env connectors.ImportEnv) *KeySource {
	ks, _ := c.keys.LoadOrStore(env.CacheDir, &KeySource{URL: c.keyURL, CacheDir: env.CacheDir, Client: env.Client})
	return ks.(*KeySource)
}

// Import verifies an installation request and returns the connection values
// it carries, with a name after the shop and the public key file it was
// checked with, if one was given. The time check uses the wall clock: a
// request saved earlier than its validity is refused as expired. Errors are
// *ImportError.
func (c *Connector) Import(ctx context.Context, data []byte, params connectors.Values, env connectors.ImportEnv) (connectors.Values, error) {
	file := params.String(ParamPublicKeyFile)
	var keys *KeySource
	if file != "" {
		key, err := readPublicKeyFile("Signature public key file", file)
		var lfe *connectors.LocalFileError
		if errors.As(err, &lfe) {
			return nil, keyFileError(err)
		}
		// A file that holds no usable key is importError's to explain.
		keys = &KeySource{File: file, key: key}
	} else {
		keys = c.publishedKeySource(env)
	}
	in, err := keys.Verify(ctx, data, params.String(ParamSignatureToken), time.Now())
	if err != nil {
		return nil, importError(err, data, keys)
	}
	values := in.Values()
	values[connectors.FieldName] = InstallationName(in)
	if file != "" {
		values[FieldPublicKeyFile] = file
	}
	return values, nil
}

// ImportError is a refused import in words for the shop owner: Problem says
// what is wrong, Next what to do about it. Err is the cause, so
// errors.Is(err, ErrSignatureInvalid) and os.ErrNotExist still hold.
type ImportError struct {
	Problem, Next string
	Err           error
}

func (e *ImportError) Error() string { return e.Problem + ": " + e.Next }
func (e *ImportError) Unwrap() error { return e.Err }

const (
	tokenPlace = "Marketplace > Add-on details > Add-on development"
	keyFileFix = "choose the PEM file with Upgates' signature public key, or clear the field to fetch the key from Upgates, then Import again"
)

func keyFileError(err error) *ImportError {
	e := &ImportError{Err: err, Next: keyFileFix}
	var lfe *connectors.LocalFileError
	switch {
	case !errors.As(err, &lfe):
		e.Problem = "The signature public key file cannot be read (" + detail(err) + ")"
	case errors.Is(err, connectors.ErrNotRegularFile):
		e.Problem = "The signature public key file " + lfe.Path + " is not a regular file (a device, a pipe or a folder)"
	case errors.Is(err, connectors.ErrFileTooLarge):
		e.Problem = "The signature public key file " + lfe.Path + " is far larger than a public key"
	default: // "no such file or directory", without the label and path before it
		e.Problem = "The signature public key file cannot be read (" + detail(lfe.Err) + ")"
	}
	return e
}

// importError explains why keys refused the request data.
func importError(err error, data []byte, keys *KeySource) *ImportError {
	var ie *InstallError
	switch {
	case !errors.As(err, &ie) && keys.File != "":
		return &ImportError{Err: err, Problem: "The signature public key file holds no key Storelink can use; " + detail(err), Next: keyFileFix}
	case ie == nil:
		return &ImportError{Err: err, Problem: "Upgates' signature public key could not be fetched; " + detail(err),
			Next: "check this computer's internet connection and Import again, or save the key from " + keys.url() + " to a file and choose it as the signature public key file"}
	case ie.Code == connectors.CodeSignatureInvalid && keys.File != "":
		return &ImportError{Err: err, Problem: "The signature does not match",
			Next: "check the signature token under " + tokenPlace + " and that the key file holds Upgates' current key, then Import again. " +
				"If both are right, the request was changed after Upgates sent it: start the installation again in Upgates"}
	case ie.Code == connectors.CodeSignatureInvalid:
		return &ImportError{Err: err, Problem: "The signature does not match",
			Next: "check the signature token under " + tokenPlace + ", then Import again. " +
				"If the token is right, the request was changed after Upgates sent it: start the installation again in Upgates"}
	case ie.Code == connectors.CodeSignatureExpired:
		problem := "The installation request has expired"
		if rq, perr := parseRequest(data); perr == nil {
			problem += " (it was valid until " + rq.inst.Expires.Local().Format("2 Jan 2006 15:04") + ")"
		}
		return &ImportError{Err: err, Problem: problem,
			Next: "start the installation of the add-on again in Upgates and import the new request at once; if it has just arrived, check this computer's clock"}
	case ie.Field == ParamSignatureToken:
		return &ImportError{Err: err, Problem: "The signature token is empty",
			Next: "copy it from " + tokenPlace + " in Upgates, then Import again"}
	case ie.Field == "":
		return &ImportError{Err: err, Problem: "This is not an Upgates installation request; it " + ie.Reason,
			Next: "open the .json file saved from the add-on's installation request, or paste all of its text, then Import again"}
	default:
		return &ImportError{Err: err, Problem: "The installation request's " + requestFieldWords(ie.Field) + " " + ie.Reason,
			Next: "import the request exactly as Upgates sent it, or start the installation of the add-on again in Upgates"}
	}
}

// requestFieldNames put the installation request's JSON keys into words.
var requestFieldNames = map[string]string{
	"token": "token", "version": "version", "apiUser": "API login", "apiKey": "API key", "apiUrl": "API address",
	"current_admin_language": "administration language", "signature_v2": "signature",
}

// requestFieldWords is a request key in words, or the key when it has none.
func requestFieldWords(key string) string {
	if w, ok := requestFieldNames[key]; ok {
		return w
	}
	return key
}

// detail is the end of an error's text, without the paths and prefixes
// before it: "no such file or directory", "404 Not Found", or a network
// error's message.
func detail(err error) string {
	var ne *connectors.NetError
	if errors.As(err, &ne) && len(ne.Message) > 1 {
		msg := strings.TrimSuffix(ne.Message, ".")
		if unicode.IsLower(rune(msg[1])) { // "Nothing accepts" reads on after a semicolon; "TLS" stays
			msg = strings.ToLower(msg[:1]) + msg[1:]
		}
		return msg
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}
