package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"storelink/connectors"
	"storelink/connectors/upgates"
	"storelink/vault"
)

func cmdUpgates(ctx context.Context, c *call, args []string) error {
	if len(args) == 0 {
		return usagef("usage: storelink upgates import FILE [--public-key PEM] [--name NAME] [--no-verify] | upgates serve --listen ADDR [--public-key PEM]")
	}
	switch args[0] {
	case "import":
		return cmdUpgatesImport(ctx, c, args[1:])
	case "serve":
		return cmdUpgatesServe(ctx, c, args[1:])
	}
	return usagef("upgates: unknown subcommand %q (import or serve)", args[0])
}

// readToken reads the add-on's signature token: the first line of stdin.
func readToken(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", usagef("reading the signature token from standard input: %v", err)
	}
	token := strings.TrimSpace(line)
	if token == "" {
		return "", usagef("signature token: required; pass it on standard input (Marketplace > Add-on details > Add-on development)")
	}
	return token, nil
}

// keySource is the --public-key file, or Upgates' published key cached in
// the Storelink home.
func keySource(rt *Runtime, file string) (*upgates.KeySource, error) {
	if file != "" {
		if _, err := os.Stat(file); err != nil {
			return nil, usagef("--public-key: %v", err)
		}
		return &upgates.KeySource{File: file}, nil
	}
	return &upgates.KeySource{CacheDir: filepath.Join(rt.Home, "cache"), Client: rt.Client, Logf: rt.Log.Warnf}, nil
}

func installError(err error) error {
	var ie *upgates.InstallError
	if errors.As(err, &ie) {
		return failedError{msg: fmt.Sprintf("the installation request was refused (%s): %v", ie.Code, err)}
	}
	return err
}

// installationSetup reads the signature token from standard input, opens
// the runtime with the token masked in its log, and picks where the public
// key comes from (--public-key or Upgates' published key).
func (c *call) installationSetup(pub string) (*Runtime, string, *upgates.KeySource, error) {
	token, err := readToken(c.env.Stdin)
	if err != nil {
		return nil, "", nil, err
	}
	rt, err := c.runtime()
	if err != nil {
		return nil, "", nil, err
	}
	rt.Redactor.Add(token)
	keys, err := keySource(rt, pub)
	if err != nil {
		return nil, "", nil, err
	}
	return rt, token, keys, nil
}

func cmdUpgatesImport(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("upgates import", flag.ContinueOnError)
	pub := fs.String("public-key", "", "")
	name := fs.String("name", "", "")
	noVerify := fs.Bool("no-verify", false, "")
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 60*time.Second, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("upgates import takes one FILE: the installation request's JSON body")
	}
	body, err := os.ReadFile(pos[0])
	if err != nil {
		return usagef("FILE: %v", err)
	}
	rt, token, keys, err := c.installationSetup(*pub)
	if err != nil {
		return err
	}
	in, err := keys.Verify(ctx, body, token, time.Now())
	if err != nil {
		return installError(err)
	}
	rt.Redactor.Add(in.APIKey)
	info, _ := c.env.Registry.Lookup("upgates")
	values := in.Values()
	secrets := connectors.Values{"api_key": values["api_key"]}
	delete(values, "api_key")
	if *name == "" {
		*name = installationName(in)
	}
	return c.saveConnection(ctx, connectionInput{
		info: info, name: *name, values: values, secrets: secrets,
		noVerify: *noVerify, asJSON: *asJSON, test: testOptions{timeout: *timeout},
	})
}

// installationName names a connection after the shop in its API address.
func installationName(in upgates.Installation) string {
	u, err := url.Parse(in.Values()["api_url"])
	if err != nil || u.Hostname() == "" {
		return "Upgates " + in.Token
	}
	shop, _, _ := strings.Cut(u.Hostname(), ".")
	return "Upgates " + shop
}

func cmdUpgatesServe(ctx context.Context, c *call, args []string) error {
	fs := flag.NewFlagSet("upgates serve", flag.ContinueOnError)
	listen := fs.String("listen", "", "")
	pub := fs.String("public-key", "", "")
	noVerify := fs.Bool("no-verify", false, "")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *listen == "" {
		return usagef("usage: storelink upgates serve --listen ADDR [--public-key PEM] [--no-verify]")
	}
	rt, token, keys, err := c.installationSetup(*pub)
	if err != nil {
		return err
	}
	info, _ := c.env.Registry.Lookup("upgates")
	h, err := upgates.NewHandler(upgates.HandlerOptions{
		Keys: keys, SignatureToken: token,
		Save: func(_ context.Context, in upgates.Installation) error { return c.saveInstallation(rt, info, in) },
		Verify: func(in upgates.Installation) {
			if !*noVerify {
				c.verifyInstallation(ctx, rt, in)
			}
		},
		Logf: rt.Log.Infof,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return usagef("--listen %s: %v", *listen, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	fmt.Fprintf(c.env.Stderr, "Listening for Upgates installation requests on http://%s/ (Ctrl+C stops)\n", ln.Addr())
	rt.Log.WithField("addr", ln.Addr().String()).Info("upgates serve listening")
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut) // stopping anyway; pending answers get up to 5 s
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// saveInstallation stores the connection an installation request carries,
// quickly and without network: a resent activation for the same shop and
// login replaces the earlier one.
func (c *call) saveInstallation(rt *Runtime, info connectors.Info, in upgates.Installation) error {
	rt.Redactor.Add(in.APIKey)
	all := info.Defaults(in.Values())
	name := installationName(in)
	all[connectors.FieldName] = name
	opts := vault.SaveOptions{}
	if old, err := rt.Vault.Get(name); err == nil {
		if old.App != "upgates" || old.Values["api_url"] != all["api_url"] || old.Values["api_user"] != all["api_user"] {
			return fmt.Errorf("a different connection is already called %q", name)
		}
		opts.Replace = old.Name
	}
	plain, secret := info.SplitSecrets(all)
	conn := vault.Connection{Name: name, App: info.ID, Values: plain,
		Last: &vault.Verification{At: time.Now().UTC(), Unverified: true, Message: "saved from an installation request"}}
	if _, err := rt.Vault.Save(conn, secret, opts); err != nil {
		return err
	}
	rt.Log.WithFields(map[string]any{"connection": name, "app": info.ID}).Info("saved from an installation request")
	return nil
}

func (c *call) verifyInstallation(ctx context.Context, rt *Runtime, in upgates.Installation) {
	k, err := rt.Vault.Get(installationName(in))
	if err != nil {
		rt.Log.WithError(err).Warn("verifying an installed connection")
		return
	}
	out := c.testSaved(ctx, rt, k, testOptions{timeout: 60 * time.Second})
	fmt.Fprintf(c.env.Stderr, "Tested %q: %s\n", out.Name, out.Code)
}
