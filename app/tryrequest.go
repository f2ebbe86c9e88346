package app

// tryrequest.go: Try a request, from a connection's details: a method, a
// path under the API root (with the platform's safe examples), a body for
// the methods that carry one, Send, and the answer read back: status and
// time, headers (closed), the body pretty-printed in a monospace view. The
// call runs through engine.Call in the background with a context Cancel
// stops; a write asks first, naming the shop.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
	"storelink/engine"
)

// maxShown caps the answer's body fetched and shown: a page of an API is
// readable, a dump of a catalogue is not.
const maxShown = 1 << 20

// tryMethods are the methods offered; the first is the default.
var tryMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// The sentences of Try a request, whole, with named parameters ({shop}).
const (
	tryTitle         = "Try a request of {shop}"
	tryConfirmTitle  = "Change the shop's data?"
	tryConfirm       = "Send {request} to {shop} ({host})? This changes the shop's data."
	tryConfirmDo     = "Send {method}"
	trySending       = "Sending {request}… {elapsed}"
	tryAnswered      = "{status} in {took}"
	tryStopped       = "Stopped. The store may still have received {request}."
	tryTruncated     = "The answer is longer than {limit}; the rest is not shown."
	tryNoBody        = "The answer has no body."
	tryHTTPError     = "The store refused the request with {status}."
	tryWithCode      = "{message} Code: {code}."
	tryExamplesHint  = "Examples"
	tryExamplesPick  = "Choose a safe request to try"
	tryBodyHint      = "The body to send, as the API expects it."
	tryPathHint      = "/products"
	tryNoPath        = "Give a path under the API root, like /products."
	tryCopy          = "Copy the answer"
	tryCopied        = "Answer copied"
	tryHeadersTitle  = "Headers"
	tryHeadersNoneOf = "The answer has no headers."
)

// fill fills a text's named parameters: pairs of name and value.
func fill(text string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		text = strings.ReplaceAll(text, "{"+pairs[i]+"}", pairs[i+1])
	}
	return text
}

// tryEngine is what Try a request needs of the engine.
type tryEngine interface {
	Call(ctx context.Context, name string, req connectors.APIRequest, o engine.CallOptions, page func(connectors.APIRequest, *connectors.Response) error) (engine.Called, error)
}

// TryRequest is the open Try a request dialog of one connection.
type TryRequest struct {
	ui   runner
	eng  tryEngine
	w    fyne.Window
	name string // the connection
	host string // the API root's host, named in a write's confirmation
	api  *connectors.API

	dialog   *dialog.CustomDialog
	method   *widget.Select
	examples *widget.Select
	path     *tryEntry
	body     *tryEntry
	bodyBox  *fyne.Container
	root     *widget.Label

	sendButton, cancelButton, closeButton, copyButton *dialogButton
	statusRow                                         *fyne.Container
	// status is "200 OK in 120 ms" or the progress; problem the error in
	// words with its code.
	status, problem *widget.Label
	headers         *widget.Label
	headersItem     *widget.AccordionItem
	response        *widget.TextGrid
	more            *widget.Label

	run      *verification
	inFlight string // "GET /", the request under way
	confirm  *question
	shown    string // the body shown, for Copy
}

// tryAnswer is how one call ended, prepared off the UI goroutine.
type tryAnswer struct {
	resp    *connectors.Response
	took    time.Duration
	err     error
	text    string // the body, pretty-printed and capped
	headers string
	problem string
}

// showTryRequest opens Try a request of the saved connection name.
func showTryRequest(w fyne.Window, r runner, eng tryEngine, name string, info connectors.Info, values connectors.Values) *TryRequest {
	t := &TryRequest{ui: r, eng: eng, w: w, name: name, api: info.API}
	rootText, err := info.API.Root(values)
	if err != nil {
		rootText = err.Error()
	} else if u, perr := url.Parse(rootText); perr == nil {
		t.host = u.Host
	}
	closeIt := func() { t.close() }
	t.root = widget.NewLabelWithStyle(rootText, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	t.path = newTryEntry(t.send, closeIt)
	t.path.SetPlaceHolder(tryPathHint)
	t.path.OnSubmitted = func(string) { t.send() }
	t.body = newTryEntry(t.send, closeIt)
	t.body.MultiLine = true
	t.body.SetPlaceHolder(tryBodyHint)
	t.body.SetMinRowsVisible(4)
	t.bodyBox = container.NewVBox(t.body)
	t.method = widget.NewSelect(tryMethods, func(m string) { t.showBody(m) })
	labels := make([]string, len(info.API.Examples))
	for i, x := range info.API.Examples {
		labels[i] = x.Label
	}
	t.examples = widget.NewSelect(labels, func(label string) { t.useExample(label) })
	t.examples.PlaceHolder = tryExamplesPick

	t.sendButton = newDialogButton("Send", t.send, closeIt)
	t.sendButton.Importance = widget.HighImportance
	t.cancelButton = newDialogButton("Cancel", t.cancel, closeIt)
	t.cancelButton.Hide()
	t.closeButton = newDialogButton("Close", closeIt, closeIt)
	t.copyButton = newDialogButton(tryCopy, t.copyAnswer, closeIt)
	t.copyButton.Hide()

	t.status = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.problem = detailText("")
	t.problem.Importance = widget.DangerImportance
	t.problem.Hide()
	t.headers = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	t.headers.Selectable = true
	t.headersItem = widget.NewAccordionItem(tryHeadersTitle, t.headers)
	headers := widget.NewAccordion(t.headersItem)
	t.response = widget.NewTextGrid()
	t.response.Scroll = fyne.ScrollBoth
	t.more = detailText("")
	t.more.Importance = widget.WarningImportance
	t.more.Hide()

	request := container.NewBorder(nil, nil, container.NewHBox(t.method, t.root), nil, t.path)
	examples := container.NewBorder(nil, nil, widget.NewLabel(tryExamplesHint), nil, t.examples)
	t.statusRow = container.NewHBox(t.status, t.copyButton)
	top := container.NewVBox(request, examples, t.bodyBox, t.statusRow, t.problem, headers, t.more)
	content := container.NewBorder(top, nil, nil, nil, t.response)

	t.dialog = dialog.NewCustomWithoutButtons(fill(tryTitle, "shop", name), content, w)
	t.dialog.SetButtons([]fyne.CanvasObject{t.closeButton, t.cancelButton, t.sendButton})
	t.dialog.Resize(fyne.NewSize(820, 600))
	if len(info.API.Examples) > 0 {
		t.examples.SetSelected(labels[0])
	} else {
		t.method.SetSelected(tryMethods[0])
	}
	showDialog(w, t.dialog, closeIt)
	w.Canvas().Focus(t.path)
	return t
}

// useExample puts the example labelled label into the method and path.
func (t *TryRequest) useExample(label string) {
	for _, x := range t.api.Examples {
		if x.Label == label {
			t.method.SetSelected(cmp.Or(strings.ToUpper(x.Method), http.MethodGet))
			t.path.SetText(x.Path)
			return
		}
	}
}

// showBody shows the body only for the methods that carry one.
func (t *TryRequest) showBody(method string) {
	if hasBody(method) {
		t.bodyBox.Show()
	} else {
		t.bodyBox.Hide()
	}
}

func hasBody(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// isWrite says whether method may change the shop's data.
func isWrite(method string) bool { return hasBody(method) || method == http.MethodDelete }

// request is the request the inputs describe.
func (t *TryRequest) request() connectors.APIRequest {
	req := connectors.APIRequest{Method: cmp.Or(t.method.Selected, http.MethodGet), Path: strings.TrimSpace(t.path.Text)}
	if hasBody(req.Method) && t.body.Text != "" {
		req.Body = []byte(t.body.Text)
		req.Header = http.Header{"Content-Type": {contentTypeOf(t.api.Fields)}}
	}
	return req
}

// contentTypeOf is the type of a body written for an API whose fields are fields.
func contentTypeOf(fields string) string {
	switch fields {
	case "xml":
		return "application/xml"
	case "form":
		return "application/x-www-form-urlencoded"
	}
	return "application/json"
}

// send is Send (Enter, Ctrl+Enter): a write is asked about first.
func (t *TryRequest) send() {
	if t.run != nil || t.sendButton.Disabled() {
		return
	}
	req := t.request()
	if req.Path == "" {
		t.showProblem(tryNoPath)
		return
	}
	if !isWrite(req.Method) {
		t.start(req)
		return
	}
	msg := wrapped(fill(tryConfirm, "request", req.Method+" "+req.Path, "shop", t.name, "host", t.host), widget.MediumImportance)
	t.confirm = ask(t.w, questionSpec{
		title: tryConfirmTitle, content: msg, safe: "Cancel", do: fill(tryConfirmDo, "method", req.Method),
		onDo: func() { t.start(req) }, danger: req.Method == http.MethodDelete, size: fyne.NewSize(480, 200),
	})
}

// start sends req in the background.
func (t *TryRequest) start(req connectors.APIRequest) {
	what := req.Method + " " + req.Path
	t.sendButton.Disable()
	t.cancelButton.Show()
	t.copyButton.Hide()
	t.problem.Hide()
	t.more.Hide()
	t.status.SetText(fill(trySending, "request", what, "elapsed", ""))
	var run *verification
	run = start(t.ui, job[tryAnswer]{
		work: func(ctx context.Context, _ func(string)) tryAnswer {
			return t.call(ctx, req)
		},
		tick: func(elapsed time.Duration) {
			t.status.SetText(fill(trySending, "request", what, "elapsed", fmt.Sprintf("%.1f s", elapsed.Seconds())))
		},
		finish: func(a tryAnswer, abandoned bool) {
			if run != t.run || abandoned {
				return
			}
			t.show(a)
		},
	})
	t.run, t.inFlight = run, what
}

// call makes the request and prepares its answer for showing.
func (t *TryRequest) call(ctx context.Context, req connectors.APIRequest) tryAnswer {
	var a tryAnswer
	began := time.Now()
	_, err := t.eng.Call(ctx, t.name, req, engine.CallOptions{MaxBody: maxShown}, func(rq connectors.APIRequest, resp *connectors.Response) error {
		a.took = time.Since(began)
		a.resp = resp
		if resp.Status >= 400 {
			a.problem = fill(tryHTTPError, "status", statusText(resp))
			if t.api.Diagnose != nil {
				if r, ok := t.api.Diagnose(rq, resp); ok {
					a.problem = inWords(r.Code, r.Message, r.Hint)
				}
			}
		}
		return nil
	})
	if err != nil {
		a.err = err
		a.problem = errorInWords(err)
		return a
	}
	if a.resp != nil {
		a.headers = headerLines(a.resp.Header)
		a.text = shown(a.resp.Header.Get("Content-Type"), a.resp.Body)
	}
	return a
}

// errorInWords is a call's error for people, with its code.
func errorInWords(err error) string {
	var re *connectors.ResultError
	var ne *connectors.NetError
	switch {
	case errors.As(err, &re):
		return inWords(re.Result.Code, re.Result.Message, re.Result.Hint)
	case errors.As(err, &ne):
		return inWords(ne.Code, ne.Message, ne.Hint)
	}
	return err.Error()
}

func inWords(code connectors.Code, message, hint string) string {
	text := strings.TrimSpace(message + " " + hint)
	if code == "" {
		return text
	}
	return fill(tryWithCode, "message", text, "code", string(code))
}

func statusText(resp *connectors.Response) string {
	if resp.StatusText != "" {
		return resp.StatusText
	}
	return fmt.Sprintf("%d %s", resp.Status, http.StatusText(resp.Status))
}

// show puts an answer on screen (UI goroutine).
func (t *TryRequest) show(a tryAnswer) {
	t.run = nil
	t.sendButton.Enable()
	t.cancelButton.Hide()
	t.shown = a.text
	if a.resp == nil {
		t.status.SetText("")
	} else {
		t.status.SetText(fill(tryAnswered, "status", statusText(a.resp), "took", fmt.Sprintf("%d ms", a.took.Milliseconds())))
	}
	if a.problem != "" {
		t.showProblem(a.problem)
	}
	t.headers.SetText(cmp.Or(a.headers, tryHeadersNoneOf))
	body := a.text
	if a.resp != nil && body == "" {
		body = tryNoBody
	}
	t.response.SetText(body)
	if a.text != "" {
		t.copyButton.SetText(tryCopy)
		t.copyButton.Show()
		t.statusRow.Refresh() // lay the button out beside the status it joins
	}
	if a.resp != nil && a.resp.Truncated {
		t.more.SetText(fill(tryTruncated, "limit", "1 MiB"))
		t.more.Show()
	}
}

func (t *TryRequest) showProblem(text string) {
	t.problem.SetText(text)
	t.problem.Show()
}

// cancel is Cancel while a request runs: its context ends, the window is free.
func (t *TryRequest) cancel() {
	if t.run == nil {
		return
	}
	t.run.abandon()
	t.run = nil
	t.sendButton.Enable()
	t.cancelButton.Hide()
	t.status.SetText(fill(tryStopped, "request", t.inFlight))
}

// close is Close and Esc: a request under way is stopped.
func (t *TryRequest) close() {
	if t.run != nil {
		t.run.abandon()
		t.run = nil
	}
	t.dialog.Hide()
}

func (t *TryRequest) copyAnswer() {
	fyne.CurrentApp().Clipboard().SetContent(t.shown)
	t.copyButton.SetText(tryCopied)
}

// headerLines are the answer's headers, one "Name: value" a line, sorted.
func headerLines(h http.Header) string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// tryEntry is an entry of Try a request: Ctrl+Enter sends, Esc closes.
type tryEntry struct {
	widget.Entry
	send, esc func()
}

func newTryEntry(send, esc func()) *tryEntry {
	e := &tryEntry{send: send, esc: esc}
	e.ExtendBaseWidget(e)
	return e
}

func (e *tryEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		e.esc()
		return
	}
	e.Entry.TypedKey(k)
}

func (e *tryEntry) TypedShortcut(s fyne.Shortcut) {
	if c, ok := s.(*desktop.CustomShortcut); ok && (c.KeyName == fyne.KeyReturn || c.KeyName == fyne.KeyEnter) &&
		c.Modifier == fyne.KeyModifierShortcutDefault {
		e.send()
		return
	}
	e.Entry.TypedShortcut(s)
}

// TryRequest opens Try a request of the saved connection name; nothing
// when its platform has no API to try.
func (s *ConnectionsScreen) TryRequest(name string) {
	r := s.byName[name]
	if r == nil {
		return
	}
	info, ok := s.eng.Registry().Lookup(r.c.App)
	if !ok || info.API == nil || info.API.Root == nil {
		return
	}
	s.Try = showTryRequest(s.ui.window(), s.ui, s.eng, name, info, r.c.Values)
}
