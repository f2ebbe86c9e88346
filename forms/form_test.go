package forms

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"storelink/connectors"
)

// testInfo has one field of every kind, a condition on a choice and
// advanced fields, registered so the common fields are added.
func testInfo(t *testing.T) connectors.Info {
	t.Helper()
	reg := connectors.NewRegistry()
	reg.Register(connectors.Info{
		ID: "testshop", Title: "Test Shop", Description: "A shop for tests.",
		New: func() connectors.Connector { return nil },
		Fields: []connectors.Field{
			{Key: "store_url", Label: "Store URL", Kind: connectors.KindURL, Required: true,
				Help: "The shop's address. More words.",
				Validate: func(v string) error {
					if strings.Contains(v, " ") {
						return errors.New("enter the address without spaces")
					}
					return nil
				},
				Normalize: func(v string) (string, string) {
					if s, ok := strings.CutPrefix(v, "https://"); ok {
						return s, "removed https://"
					}
					return v, ""
				}},
			{Key: "method", Label: "Signature method", Kind: connectors.KindChoice, Required: true, Default: "hmac",
				Choices: []connectors.Choice{{Value: "hmac", Label: "HMAC-SHA256"}, {Value: "rsa", Label: "RSA-SHA256"}, {Value: "plain", Label: "PLAINTEXT"}, {Value: "hmac1", Label: "HMAC-SHA1"}}},
			{Key: "api_key", Label: "API key", Kind: connectors.KindSecret, Required: true,
				Generator: &connectors.Generator{Label: "Generate", Make: func() (string, error) { return "GENERATEDKEY0123456789", nil }}},
			{Key: "consumer_secret", Label: "Consumer secret", Kind: connectors.KindSecret,
				RequiredWhen: []connectors.Condition{{Field: "method", Values: []string{"hmac", "hmac1", "plain"}}}},
			{Key: "private_key", Label: "Private key", Kind: connectors.KindMultilineSecret,
				VisibleWhen:  []connectors.Condition{{Field: "method", Values: []string{"rsa"}}},
				RequiredWhen: []connectors.Condition{{Field: "method", Values: []string{"rsa"}}}},
			{Key: "use_https", Label: "Use HTTPS", Kind: connectors.KindBool, Default: "true", Advanced: true},
			{Key: "timeout", Label: "Timeout", Kind: connectors.KindNumber, Default: "30", Min: 1, Max: 300, Advanced: true},
			{Key: "key_file", Label: "Key file", Kind: connectors.KindFile, Advanced: true},
		},
	})
	info, _ := reg.Lookup("testshop")
	return info
}

func newTestForm(t *testing.T, env Env) *Form {
	t.Helper()
	test.NewTempApp(t)
	if env.Choices == nil {
		env.Choices = func(source string) []string {
			if source == connectors.ChoicesConnections {
				return []string{"Alpha", "Beta"}
			}
			return nil
		}
	}
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	if env.Window == nil {
		env.Window = w
	}
	f := New(testInfo(t), env)
	w.SetContent(f.Content)
	w.Resize(fyne.NewSize(600, 900))
	return f
}

func TestNewInputMapsEveryKind(t *testing.T) {
	f := newTestForm(t, Env{})
	cases := []struct {
		key   string
		check func(in *Input) bool
	}{
		{"name", func(in *Input) bool { e := in.Entry(); return e != nil && !e.Password }},
		{"mode", func(in *Input) bool { _, ok := in.Widget.(*radioGroup); return ok }},
		{"method", func(in *Input) bool { _, ok := in.Widget.(*choiceSelect); return ok }},
		{"agent", func(in *Input) bool { _, ok := in.Widget.(*choiceSelect); return ok }},
		{"api_key", func(in *Input) bool {
			e := in.Entry()
			return e.Password && !e.MultiLine && revealer(in) != nil && in.Generate != nil && in.Copy != nil
		}},
		{"private_key", func(in *Input) bool {
			e := in.Entry()
			return e.Password && e.MultiLine && revealer(in) != nil
		}},
		{"use_https", func(in *Input) bool { _, ok := in.Widget.(*boolCheck); return ok }},
		{"concurrency_level", func(in *Input) bool { return in.Entry() != nil }},
		{"key_file", func(in *Input) bool { return in.Entry() != nil && in.Browse != nil }},
	}
	for _, c := range cases {
		if in := f.Input(c.key); in == nil || !c.check(in) {
			t.Errorf("%s: wrong widget %T", c.key, f.Input(c.key).Widget)
		}
	}
}

func TestSecretsAreNeverDrawnAsText(t *testing.T) {
	f := newTestForm(t, Env{})
	f.Input("method").SetValue("rsa")
	f.Fill(connectors.Values{})
	test.Type(f.Input("api_key").Focusable(), "s3cr3t-api-key")
	test.Type(f.Input("private_key").Focusable(), "-----BEGIN KEY-----")
	f.Input("private_key").Entry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Type(f.Input("private_key").Focusable(), "PEMBODYSECRET")
	if got := f.Values()["private_key"]; got != "-----BEGIN KEY-----\nPEMBODYSECRET" {
		t.Fatalf("multi-line secret keeps its lines: %q", got)
	}
	markup := test.RenderObjectToMarkup(f.Content)
	for _, s := range []string{"s3cr3t", "BEGIN KEY", "PEMBODYSECRET"} {
		if strings.Contains(markup, s) {
			t.Errorf("the rendered form shows %q as text", s)
		}
	}
	if !strings.Contains(markup, "•") {
		t.Error("secrets should be drawn as dots")
	}
}

func TestSectionsAndHints(t *testing.T) {
	f := newTestForm(t, Env{})
	inRequired := map[fyne.CanvasObject]bool{}
	for _, o := range f.Required.Objects {
		inRequired[o] = true
	}
	for _, r := range f.Rows() {
		if inRequired[r.Box] == r.Input.Field.Advanced {
			t.Errorf("%s in the wrong section (advanced=%v)", r.Input.Field.Key, r.Input.Field.Advanced)
		}
	}
	if f.Advanced == nil || f.Advanced.Items[0].Title != "Advanced" || f.Advanced.Items[0].Open {
		t.Fatal("want a closed Advanced accordion")
	}
	if got := f.Row("store_url").Hint.Text; got != "The shop's address." {
		t.Errorf("hint = %q, want the first sentence of Help", got)
	}
}

func TestConditionsApplyLive(t *testing.T) {
	f := newTestForm(t, Env{})
	agent, key := f.Row("agent"), f.Row("private_key")
	if agent.Visible() || key.Visible() {
		t.Fatal("agent and private key start hidden")
	}
	if got := f.Row("consumer_secret").Label.Text; got != "Consumer secret (required)" {
		t.Errorf("label = %q: HMAC makes the consumer secret required", got)
	}
	f.Input("mode").Widget.(*radioGroup).SetSelected("On-premise")
	if !agent.Visible() || agent.Label.Text != "Agent (required)" {
		t.Errorf("on-premise shows a required agent: visible=%v label=%q", agent.Visible(), agent.Label.Text)
	}
	f.Input("method").Widget.(*choiceSelect).SetSelected("RSA-SHA256")
	if !key.Visible() || f.Row("consumer_secret").Label.Text != "Consumer secret" {
		t.Error("RSA shows the private key and makes the consumer secret optional")
	}
	if _, ok := f.Values()["agent"]; !ok {
		t.Error("a shown field is in Values")
	}
	f.Input("mode").Widget.(*radioGroup).SetSelected("Cloud")
	if agent.Visible() {
		t.Error("cloud hides the agent")
	}
	if _, ok := f.Values()["agent"]; ok {
		t.Error("a hidden field is not in Values")
	}
}

// revealer is the eye Fyne draws in a password entry (created with its renderer).
func revealer(in *Input) fyne.Tappable {
	e := in.Entry()
	test.WidgetRenderer(e)
	r, _ := e.ActionItem.(fyne.Tappable)
	return r
}

func backspaces(in *Input, n int) {
	for range n {
		in.Entry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	}
}

func TestMessagesAsTheUserTypesAndLeaves(t *testing.T) {
	f := newTestForm(t, Env{})
	name := f.Row("name")
	name.Input.Focusable().FocusGained()
	name.Input.Focusable().FocusLost()
	if name.Message.Visible() || name.Message.Text != "" {
		t.Fatalf("leaving a field never edited says nothing: %q", name.Message.Text)
	}
	test.Type(name.Input.Focusable(), "Shop")
	if name.Message.Visible() {
		t.Error("no message while a value is there")
	}
	backspaces(name.Input, 4)
	if !name.Message.Visible() || name.Message.Text != "Required; enter a value" || name.Hint.Visible() {
		t.Errorf("clearing a field the user typed in: %q (hint shown %v)", name.Message.Text, name.Hint.Visible())
	}
	test.Type(name.Input.Focusable(), "Shop")
	if name.Message.Visible() || !name.Hint.Visible() {
		t.Error("the message goes as soon as a value is typed, and the hint comes back")
	}

	url := f.Row("store_url")
	test.Type(url.Input.Focusable(), "shop example")
	if url.Message.Text != "Enter the address without spaces" || !url.Message.Visible() || url.Message.Importance != widget.DangerImportance {
		t.Errorf("format error while typing: %q", url.Message.Text)
	}
	url.Input.SetValue("https://shop.example")
	url.Input.Focusable().FocusLost()
	if got := url.Input.Value(); got != "shop.example" || url.Note.Text != "Removed https://" || !url.Note.Visible() || url.Hint.Visible() {
		t.Errorf("leaving tidies the value: %q, note %q in place of the hint", got, url.Note.Text)
	}

	conc := f.Row("concurrency_level")
	conc.Input.SetValue("")
	test.Type(conc.Input.Focusable(), "99")
	if conc.Message.Text != "Enter a number from 1 to 25" {
		t.Errorf("range message: %q", conc.Message.Text)
	}
}

func TestValidateShowsEveryErrorAndOpensAdvanced(t *testing.T) {
	f := newTestForm(t, Env{})
	f.Input("concurrency_level").SetValue("0")
	errs := f.Validate()
	keys := map[string]bool{}
	for _, e := range errs {
		keys[e.Key] = true
		if r := f.Row(e.Key); !r.Message.Visible() {
			t.Errorf("%s: error not shown at the field", e.Key)
		}
	}
	for _, k := range []string{"name", "store_url", "api_key", "consumer_secret", "concurrency_level"} {
		if !keys[k] {
			t.Errorf("Validate misses %s (got %v)", k, errs)
		}
	}
	if keys["private_key"] || keys["agent"] {
		t.Error("hidden fields are not validated")
	}
	if !f.Advanced.Items[0].Open {
		t.Error("an error in Advanced opens the section")
	}
}

func TestDirtyAndGenerator(t *testing.T) {
	f := newTestForm(t, Env{})
	if f.Dirty() {
		t.Fatal("a fresh form is clean")
	}
	changes := 0
	f.OnChanged = func() { changes++ }
	test.Tap(f.Input("api_key").Generate)
	if f.Input("api_key").Value() != "GENERATEDKEY0123456789" || changes != 1 || !f.Dirty() {
		t.Errorf("generate fills the field and counts as typing: %q changes=%d", f.Input("api_key").Value(), changes)
	}
	test.Tap(f.Input("api_key").Copy)
	if got := fyne.CurrentApp().Clipboard().Content(); got != "GENERATEDKEY0123456789" {
		t.Errorf("Copy puts the secret on the clipboard: %q", got)
	}
	f.MarkClean()
	if f.Dirty() {
		t.Error("MarkClean resets Dirty")
	}
}

func TestChoicesFromTheStoreAndShortcutsPassOn(t *testing.T) {
	var shortcuts []string
	escapes := 0
	f := newTestForm(t, Env{
		Shortcut: func(s fyne.Shortcut) bool { shortcuts = append(shortcuts, s.ShortcutName()); return true },
		Escape:   func() { escapes++ },
	})
	borrow := f.Input("borrow_concurrency_from").Widget.(*choiceSelect)
	if got := strings.Join(borrow.Options, ","); got != "(none),Alpha,Beta" {
		t.Errorf("borrow options = %s", got)
	}
	borrow.SetSelected("Beta")
	if f.Values()["borrow_concurrency_from"] != "Beta" {
		t.Error("select value")
	}
	name := f.Input("name").Widget.(*entry)
	ctrlS := &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	name.TypedShortcut(ctrlS)
	name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	borrow.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(shortcuts) != 1 || shortcuts[0] != ctrlS.ShortcutName() || escapes != 2 {
		t.Errorf("shortcuts %v, escapes %d", shortcuts, escapes)
	}
}

// The radio group: taps and Space choose, Esc reaches the screen from a
// focused option (Fyne's own radio swallowed it), Tab stops at each option,
// a disabled group ignores taps, a required one cannot be cleared.
func TestRadioGroup(t *testing.T) {
	escapes := 0
	f := newTestForm(t, Env{Escape: func() { escapes++ }})
	in := f.Input("mode")
	g := in.Widget.(*radioGroup)
	cloud, onPrem := g.Option("Cloud"), g.Option("On-premise")
	if g.Selected != "Cloud" || !g.Required || cloud == nil || onPrem == nil {
		t.Fatalf("mode radio: selected %q required %v", g.Selected, g.Required)
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(g)
	test.Tap(onPrem)
	if in.Value() != "on-premise" || c.Focused() != onPrem || !f.Dirty() {
		t.Errorf("tapping On-premise: value %q, focused %v", in.Value(), c.Focused())
	}
	onPrem.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if escapes != 1 {
		t.Error("Esc on a focused option does not reach the screen")
	}
	test.Tap(onPrem)
	if in.Value() != "on-premise" {
		t.Error("tapping the selected option of a required group cleared it")
	}
	c.FocusNext() // Tab from On-premise leaves the group
	c.FocusPrevious()
	c.FocusPrevious()
	if c.Focused() != cloud {
		t.Errorf("Shift+Tab twice from after the group lands on %v, want Cloud", c.Focused())
	}
	cloud.TypedRune(' ')
	if in.Value() != "cloud" {
		t.Error("Space chooses the focused option")
	}
	if in.Focusable() != cloud {
		t.Error("focusing the field focuses the selected option")
	}
	g.Disable()
	test.Tap(onPrem)
	if in.Value() != "cloud" {
		t.Error("a disabled group ignores taps")
	}
	g.Enable()

	free := newRadioGroup([]string{"A", "B"}, &Env{}, nil)
	free.SetSelected("A")
	free.Option("A").Tapped(nil)
	if free.Selected != "" {
		t.Error("an optional group clears when its selected option is tapped")
	}
}

// rowPositions lays the form out as a frame of the window would and
// returns where each shown control of the required section and the
// Advanced header are in the form.
func rowPositions(f *Form) map[string]fyne.Position {
	f.Content.Refresh()
	d := fyne.CurrentApp().Driver()
	origin := d.AbsolutePositionForObject(f.Content)
	at := map[string]fyne.Position{"Advanced": d.AbsolutePositionForObject(f.Advanced).Subtract(origin)}
	for _, r := range f.Rows() {
		if r.Visible() && !r.Input.Field.Advanced {
			at[r.Input.Field.Key] = d.AbsolutePositionForObject(r.Input.Object).Subtract(origin)
		}
	}
	return at
}

func samePositions(t *testing.T, when string, before, after map[string]fyne.Position) {
	t.Helper()
	for k, p := range before {
		if after[k] != p {
			t.Errorf("%s: %s moved from %v to %v", when, k, p, after[k])
		}
	}
}

// Issue 10: an error appears once the user edited the field or on
// Validate, never merely on leaving it, and showing it moves nothing.
func TestErrorsWaitForAnEditAndMoveNothing(t *testing.T) {
	f := newTestForm(t, Env{})
	c := fyne.CurrentApp().Driver().CanvasForObject(f.Content)
	before := rowPositions(f)
	if len(before) < 5 {
		t.Fatalf("too few rows laid out: %v", before)
	}
	for _, r := range f.Rows() { // Tab through every field without typing
		if fo := r.Input.Focusable(); r.Visible() && !r.Input.Field.Advanced && fo != nil {
			c.Focus(fo)
		}
	}
	c.Unfocus()
	for _, r := range f.Rows() {
		if r.Message.Visible() {
			t.Errorf("%s: %q after only passing through", r.Input.Field.Key, r.Message.Text)
		}
	}
	samePositions(t, "focus and leave", before, rowPositions(f))

	name := f.Row("name")
	c.Focus(name.Input.Focusable())
	test.Type(name.Input.Focusable(), "Shop")
	backspaces(name.Input, 4)
	c.Unfocus()
	if !name.Message.Visible() || !strings.HasPrefix(name.Message.Text, "Required") {
		t.Errorf("type then clear: %q", name.Message.Text)
	}
	samePositions(t, "type then clear", before, rowPositions(f))

	url := f.Row("store_url")
	c.Focus(url.Input.Focusable())
	test.Type(url.Input.Focusable(), "https://shop.example")
	c.Unfocus()
	if !url.Note.Visible() || url.Hint.Visible() {
		t.Error("the tidy-up note takes the hint's place")
	}
	samePositions(t, "tidy-up note", before, rowPositions(f))

	f2 := newTestForm(t, Env{})
	before = rowPositions(f2)
	errs := f2.Validate()
	if len(errs) < 4 {
		t.Fatalf("Validate on an empty form: %v", errs)
	}
	for _, e := range errs {
		if r := f2.Row(e.Key); !r.Message.Visible() || r.Hint.Visible() {
			t.Errorf("%s: error not shown in place of the hint", e.Key)
		}
	}
	samePositions(t, "Validate", before, rowPositions(f2))
}

// Issue 10: the eye in a secret entry shows and hides what is typed.
func TestSecretEyeRevealsWhatIsTyped(t *testing.T) {
	f := newTestForm(t, Env{})
	f.Input("method").SetValue("rsa")
	f.Fill(connectors.Values{})
	for key, typed := range map[string]string{"api_key": "s3cr3t-api-key", "private_key": "PEMBODYSECRET"} {
		in := f.Input(key)
		test.Type(in.Focusable(), typed)
		eye := revealer(in)
		if eye == nil {
			t.Fatalf("%s: no eye", key)
		}
		test.Tap(eye)
		if in.Entry().Password || !strings.Contains(test.RenderObjectToMarkup(f.Content), typed) {
			t.Errorf("%s: the eye does not show the typed text", key)
		}
		test.Tap(eye)
		if !in.Entry().Password || strings.Contains(test.RenderObjectToMarkup(f.Content), typed) {
			t.Errorf("%s: tapping the eye again hides the text", key)
		}
		if in.Value() != typed {
			t.Errorf("%s: the value changed: %q", key, in.Value())
		}
	}
}

// Issue 10: Generate fills an empty field at once, and asks before
// replacing a value; Keep, Esc (focused button or canvas) keep it.
func TestGenerateAsksBeforeReplacing(t *testing.T) {
	f := newTestForm(t, Env{})
	in := f.Input("api_key")
	c := fyne.CurrentApp().Driver().CanvasForObject(f.Content)
	paneEsc := 0
	c.SetOnTypedKey(func(k *fyne.KeyEvent) { paneEsc++ })
	changes := 0
	f.OnChanged = func() { changes++ }

	test.Tap(in.Generate)
	if in.Value() != "GENERATEDKEY0123456789" || in.ReplaceDialog != nil || c.Overlays().Top() != nil {
		t.Fatalf("an empty field is filled without a question: %q", in.Value())
	}
	in.Entry().SetText("") // the user clears the field and pastes a key
	test.Type(in.Focusable(), "MYPASTEDKEY")
	changes = 0

	asked := func(how string) {
		t.Helper()
		test.Tap(in.Generate)
		if in.ReplaceDialog == nil || c.Overlays().Top() == nil || in.Keep == nil || in.Replace == nil {
			t.Fatalf("%s: Generate over a value asks first", how)
		}
		if in.Value() != "MYPASTEDKEY" {
			t.Fatalf("%s: the value changed before the answer", how)
		}
	}
	kept := func(how string) {
		t.Helper()
		if c.Overlays().Top() != nil || in.Value() != "MYPASTEDKEY" || changes != 0 || paneEsc != 0 {
			t.Errorf("%s keeps the value and closes the question: %q changes=%d paneEsc=%d", how, in.Value(), changes, paneEsc)
		}
	}

	asked("Keep mine")
	if in.Keep.Text != "Keep mine" || in.Replace.Text != "Replace" {
		t.Errorf("buttons %q / %q", in.Keep.Text, in.Replace.Text)
	}
	test.Tap(in.Keep)
	kept("Keep mine")

	asked("Esc")
	if c.Focused() == nil {
		t.Fatal("the question focuses a button so Esc reaches it")
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	kept("Esc on the focused button")

	asked("Esc with nothing focused")
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	kept("Esc on the canvas")
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if paneEsc != 1 {
		t.Error("the screen's own Esc handler comes back once the question closes")
	}
	paneEsc = 0

	asked("Replace")
	test.Tap(in.Replace)
	if c.Overlays().Top() != nil || in.Value() != "GENERATEDKEY0123456789" || changes != 1 || paneEsc != 0 {
		t.Errorf("Replace fills a new value: %q changes=%d", in.Value(), changes)
	}
}

// The line under a choice shows the chosen option's hint when it has one,
// and follows the choice.
func TestHintFollowsTheChoice(t *testing.T) {
	f := newTestForm(t, Env{})
	mode, _ := f.Info.Field(connectors.FieldMode)
	first := func(help string) string { return connectors.Field{Help: help}.Hint() }
	row := f.Row(connectors.FieldMode)
	if want := first(mode.Choices[0].Help); want == "" || row.Hint.Text != want || !row.Hint.Visible() {
		t.Errorf("Cloud's hint %q shown (%v), want %q", row.Hint.Text, row.Hint.Visible(), want)
	}
	f.Input(connectors.FieldMode).Widget.(*radioGroup).SetSelected("On-premise")
	if want := first(mode.Choices[1].Help); row.Hint.Text != want || !row.Hint.Visible() {
		t.Errorf("On-premise's hint %q, want %q", row.Hint.Text, want)
	}
	f.Input(connectors.FieldMode).SetValue(connectors.ModeCloud)
	f.Fill(connectors.Values{})
	if row.Hint.Text != first(mode.Choices[0].Help) {
		t.Errorf("a value set by the screen brings its hint too: %q", row.Hint.Text)
	}
	// A choice whose options have no hint keeps the field's own.
	if got := f.Row("method").Hint.Text; got != "" {
		t.Errorf("method hint = %q", got)
	}
}

func TestFillOpensAdvancedForAChangedValue(t *testing.T) {
	f := newTestForm(t, Env{})
	open := func() bool { return f.Advanced.Items[0].Open }
	f.SetValues(connectors.Values{"store_url": "shop.example", "timeout": "30"})
	if open() {
		t.Error("defaults and required values leave Advanced closed")
	}
	f.SetValues(connectors.Values{"timeout": "60"})
	if !open() {
		t.Error("an advanced value other than its default opens Advanced")
	}
	if f.Dirty() {
		t.Error("SetValues is the baseline")
	}
}

func TestOnFocusNamesTheRow(t *testing.T) {
	f := newTestForm(t, Env{})
	var focused []string
	f.OnFocus = func(r *Row) { focused = append(focused, r.Input.Field.Key) }
	c := f.Input("store_url").Entry()
	test.Type(f.Input("store_url").Focusable(), "x")
	w := fyne.CurrentApp().Driver().CanvasForObject(c)
	f.Advanced.Open(0)
	for _, k := range []string{connectors.FieldMode, "method", "use_https", "timeout"} {
		w.Focus(f.Input(k).Focusable())
	}
	if got := strings.Join(focused, ","); got != "store_url,mode,method,use_https,timeout" {
		t.Errorf("OnFocus saw %s", got)
	}
}

// A list filled at run time that is empty says so, without a lone "(none)"
// that reads like an agent called none.
func TestAnEmptyChoiceListSaysNoneYet(t *testing.T) {
	f := newTestForm(t, Env{Choices: func(string) []string { return nil }})
	for _, key := range []string{connectors.FieldAgent, connectors.FieldBorrowFrom} {
		s := f.Input(key).Widget.(*choiceSelect)
		f.Input(key).SetValue("")
		if len(s.Options) != 0 || !strings.Contains(s.PlaceHolder, " yet") || f.Input(key).Value() != "" {
			t.Errorf("%s: options %q, placeholder %q", key, s.Options, s.PlaceHolder)
		}
	}
}

// An agent or connection added while the pane is open is in the list when
// it opens (by mouse or keyboard); one removed meanwhile leaves the list and
// the value.
func TestChoiceListsAreReadAgainWhenOpened(t *testing.T) {
	agents := []string{}
	f := newTestForm(t, Env{Choices: func(source string) []string {
		if source == connectors.ChoicesAgents {
			return agents
		}
		return nil
	}})
	in := f.Input(connectors.FieldAgent)
	s := in.Widget.(*choiceSelect)
	if len(s.Options) != 0 || s.PlaceHolder != NoAgentsYet {
		t.Fatalf("before: %q %q", s.Options, s.PlaceHolder)
	}
	agents = []string{"Office"}
	test.Tap(s)
	if got := strings.Join(s.Options, ","); !strings.Contains(got, "Office") || s.PlaceHolder == NoAgentsYet {
		t.Fatalf("after an agent was added, tapped: %q %q", got, s.PlaceHolder)
	}
	in.SetValue("Office")
	agents = []string{"Office", "Warehouse"}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	if got := strings.Join(s.Options, ","); !strings.Contains(got, "Warehouse") || in.Value() != "Office" {
		t.Fatalf("after a second agent, Space: %q, value %q", got, in.Value())
	}
	agents = []string{"Warehouse"}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if got := strings.Join(s.Options, ","); strings.Contains(got, "Office") || in.Value() != "" {
		t.Fatalf("after Office was deleted: %q, value %q", got, in.Value())
	}
}

func TestBrowseFillsTheFileField(t *testing.T) {
	var asked int
	f := newTestForm(t, Env{OpenFile: func(picked func(string)) { asked++; picked("/home/shop/ca.pem") }})
	in := f.Input("key_file")
	test.Tap(in.Browse)
	if asked != 1 || in.Value() != "/home/shop/ca.pem" || !f.Dirty() {
		t.Errorf("Browse... did not set the field: asked %d, value %q", asked, in.Value())
	}
}

func TestEnterInAMultiLineFieldAddsALine(t *testing.T) {
	submitted := 0
	f := newTestForm(t, Env{Shortcut: func(fyne.Shortcut) bool { submitted++; return true }})
	f.Input("method").SetValue("rsa")
	f.Fill(connectors.Values{})
	key := f.Input("private_key")
	test.Type(key.Focusable(), "-----BEGIN KEY-----")
	key.Entry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	key.Entry().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnter})
	test.Type(key.Focusable(), "BODY")
	if got := key.Value(); got != "-----BEGIN KEY-----\n\nBODY" || submitted != 0 {
		t.Errorf("Enter in the private key gave %q (submitted %d)", got, submitted)
	}
}
