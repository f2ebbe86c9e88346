package upgates

// commands.go: `storelink upgates import` and `storelink upgates serve`,
// declared here and run by the command line without it knowing Upgates.

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
	"strings"
	"time"

	"storelink/connectors"
)

func commands() []connectors.Command {
	return []connectors.Command{
		{Name: "import", Args: "FILE [--public-key PEM] [--name NAME] [--no-verify] [--json]",
			Summary: "save a connection from an add-on installation request (signature token on standard input)",
			Run:     runImport},
		{Name: "serve", Args: "--listen ADDR [--public-key PEM] [--no-verify]",
			Summary: "receive installation requests over HTTP (signature token on standard input)",
			Run:     runServe},
	}
}

// parseFlags parses flags that may come before or after positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, connectors.Usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos, args = append(pos, args[0]), args[1:]
	}
}

// readToken reads the add-on's signature token: the first line of stdin.
func readToken(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", connectors.Usagef("reading the signature token from standard input: %v", err)
	}
	token := strings.TrimSpace(line)
	if token == "" {
		return "", connectors.Usagef("signature token: required; pass it on standard input (Marketplace > Add-on details > Add-on development)")
	}
	return token, nil
}

// installationSetup reads the signature token, masks it from now on, and
// picks where the public key comes from: --public-key, or Upgates'
// published key cached with the other fetched data.
func installationSetup(env connectors.CommandEnv, pub string) (string, *KeySource, error) {
	token, err := readToken(env.Stdin)
	if err != nil {
		return "", nil, err
	}
	env.Redact(token)
	if pub != "" {
		key, err := readPublicKeyFile("--public-key", pub)
		if err != nil {
			return "", nil, connectors.Usagef("%v", err)
		}
		return token, &KeySource{File: pub, key: key}, nil
	}
	return token, &KeySource{CacheDir: env.Import.CacheDir, Client: env.Import.Client, Logf: env.Logf}, nil
}

func installError(err error) error {
	var ie *InstallError
	if errors.As(err, &ie) {
		return fmt.Errorf("the installation request was refused (%s): %w", ie.Code, err)
	}
	return err
}

func runImport(ctx context.Context, env connectors.CommandEnv, args []string) error {
	fs := flag.NewFlagSet("upgates import", flag.ContinueOnError)
	pub := fs.String("public-key", "", "")
	name := fs.String("name", "", "")
	noVerify := fs.Bool("no-verify", false, "")
	asJSON := fs.Bool("json", false, "")
	timeout := fs.Duration("timeout", 0, "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return connectors.Usagef("upgates import takes one FILE: the installation request's JSON body")
	}
	body, err := connectors.ReadLocalFile("FILE (the installation request)", pos[0], connectors.MaxImportFileSize)
	if err != nil {
		return connectors.Usagef("%v", err)
	}
	token, keys, err := installationSetup(env, *pub)
	if err != nil {
		return err
	}
	in, err := keys.Verify(ctx, body, token, time.Now())
	if err != nil {
		return installError(err)
	}
	env.Redact(in.APIKey)
	values := in.Values()
	values[connectors.FieldName] = *name
	if *name == "" {
		values[connectors.FieldName] = InstallationName(in)
	}
	return env.Connections.Save(ctx, connectors.SaveRequest{App: ID, Values: values,
		NoVerify: *noVerify, Reason: "saved from an installation request without verifying", JSON: *asJSON, Timeout: *timeout})
}

// InstallationName names a connection after the shop in its API address.
func InstallationName(in Installation) string {
	u, err := url.Parse(in.Values()[FieldAPIURL])
	if err != nil || u.Hostname() == "" {
		return "Upgates " + in.Token
	}
	shop, _, _ := strings.Cut(u.Hostname(), ".")
	return "Upgates " + shop
}

func runServe(ctx context.Context, env connectors.CommandEnv, args []string) error {
	fs := flag.NewFlagSet("upgates serve", flag.ContinueOnError)
	listen := fs.String("listen", "", "")
	pub := fs.String("public-key", "", "")
	noVerify := fs.Bool("no-verify", false, "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 || *listen == "" {
		return connectors.Usagef("usage: storelink upgates serve --listen ADDR [--public-key PEM] [--no-verify]")
	}
	token, keys, err := installationSetup(env, *pub)
	if err != nil {
		return err
	}
	h, err := NewHandler(HandlerOptions{
		Keys: keys, SignatureToken: token,
		Save: func(ctx context.Context, in Installation) error { return saveInstallation(ctx, env, in) },
		Verify: func(in Installation) {
			if *noVerify {
				return
			}
			r := env.Connections.Test(ctx, InstallationName(in))
			fmt.Fprintf(env.Stderr, "Tested %q: %s\n", InstallationName(in), r.Code)
		},
		Logf: env.Logf,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return connectors.Usagef("--listen %s: %v", *listen, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	fmt.Fprintf(env.Stderr, "Listening for Upgates installation requests on http://%s/ (Ctrl+C stops)\n", ln.Addr())
	env.Logf("upgates serve listening on %s", ln.Addr())
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
// login replaces the earlier one; a different connection of that name is
// never replaced.
func saveInstallation(ctx context.Context, env connectors.CommandEnv, in Installation) error {
	env.Redact(in.APIKey)
	values := in.Values()
	values[connectors.FieldName] = InstallationName(in)
	return env.Connections.Save(ctx, connectors.SaveRequest{App: ID, Values: values, NoVerify: true,
		Reason: "saved from an installation request",
		Replaces: func(saved connectors.Values) bool {
			n, _ := NormalizeAPIURL(saved[FieldAPIURL])
			return n == values[FieldAPIURL] && saved[FieldAPIUser] == values[FieldAPIUser]
		}})
}
