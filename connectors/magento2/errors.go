package magento2

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// Magento's messages, verbatim from its source, that the test tells apart.
const (
	// lib/internal/Magento/Framework/Oauth/Oauth.php
	msgMethod           = "Signature method %1 is not supported"
	msgSignatureInvalid = "The signature is invalid. Verify and try again."
	msgTokenLength      = "The token length is invalid. Check the length and try again."
	// app/code/Magento/Integration/Model/Oauth/Token/Provider.php
	msgConsumerLength  = "Consumer key is not the correct length"
	msgConsumerUnknown = "A consumer having the specified key does not exist"
	msgConsumerExpired = "Consumer key has expired"
	msgTokenLength2    = "Token is not the correct length"
	msgTokenUnknown    = "Specified token does not exist"
	msgTokenOther      = "Token is not associated with the specified consumer"
	msgTokenNotAccess  = "Token is not an access token"
	msgRevoked         = "Access token has been revoked"
	// app/code/Magento/Integration/Model/Oauth/Nonce/Generator.php
	msgNonce     = "An error occurred validating the nonce"
	msgNonceUsed = "The nonce is already being used by the consumer with ID %1"
	msgTimestamp = "Incorrect timestamp value in the oauth_timestamp parameter"
	// app/code/Magento/Webapi/Controller/Rest/Router.php, RequestValidator.php
	msgNoRoute       = "Request does not match any route."
	msgAllStores     = "Cannot perform GET operation with store code 'all'"
	msgNotAuthorized = "The consumer isn't authorized to access %resources."
	// Integration's AdminTokenService, TwoFactorAuth's AdminAccessTokenService
	msgSignIn       = "The account sign-in was incorrect or your account is disabled temporarily. Please wait and try again later."
	msg2FA          = "Please use the 2fa provider-specific endpoints to obtain a token."
	msg2FAConfigure = "You are required to configure personal Two-Factor Authorization in order to login. Please check your email."
	msg2FAAsk       = "Please ask an administrator with sufficient access to configure 2FA first"
)

// apiError is the body Magento's Webapi Rest\Response renders for an
// exception: {"message": ..., "parameters": [...] or {...}}.
type apiError struct {
	Message    string          `json:"message"`
	Parameters json.RawMessage `json:"parameters"`
}

// parseError reads a Magento error body; ok is false for anything else.
func parseError(body []byte) (apiError, bool) {
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || e.Message == "" {
		return apiError{}, false
	}
	return e, true
}

// params returns the parameters by placeholder name: "1", "2"... for a
// list (Magento's %1 is the first), the keys of an object.
func (e apiError) params() map[string]string {
	out := map[string]string{}
	var list []any
	if json.Unmarshal(e.Parameters, &list) == nil {
		for i, v := range list {
			out[fmt.Sprint(i+1)] = text(v)
		}
		return out
	}
	var obj map[string]any
	if json.Unmarshal(e.Parameters, &obj) == nil {
		for k, v := range obj {
			out[k] = text(v)
		}
	}
	return out
}

func (e apiError) param(name string) string { return e.params()[name] }

func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = text(p)
		}
		return strings.Join(parts, ", ")
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

var placeholder = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`%([A-Za-z0-9_]+)`) })

// Text is the message with its placeholders filled in, as Magento's Phrase
// renderer does (%1 from a list, %name from an object).
func (e apiError) Text() string {
	p := e.params()
	return placeholder().ReplaceAllStringFunc(e.Message, func(m string) string {
		if v, ok := p[m[1:]]; ok {
			return v
		}
		return m
	})
}

// storeConfig is one element of GET /V1/store/storeConfigs.
type storeConfig struct {
	Code            string `json:"code"`
	Locale          string `json:"locale"`
	BaseCurrency    string `json:"base_currency_code"`
	DisplayCurrency string `json:"default_display_currency_code"`
	Timezone        string `json:"timezone"`
	BaseURL         string `json:"base_url"`
	SecureBaseURL   string `json:"secure_base_url"`
}

// parseStoreConfig picks the store view asked for, else "default", else the first.
func parseStoreConfig(body []byte, code string) *storeConfig {
	var all []storeConfig
	if json.Unmarshal(body, &all) != nil || len(all) == 0 {
		return nil
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Code == "default" && all[j].Code != "default" })
	for _, want := range []string{code, "default"} {
		for i := range all {
			if want != "" && all[i].Code == want {
				return &all[i]
			}
		}
	}
	return &all[0]
}
