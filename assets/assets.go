// Package assets embeds Storelink's icons: the app icon and one mark per
// platform, all drawn for this project (no copied logos).
package assets

import (
	"embed"
	"path"

	"fyne.io/fyne/v2"
)

//go:embed icon.svg icon.png prestashop.svg magento2.svg upgates.svg
var files embed.FS

// AppIcon is the window and launcher icon (icon.png, 512x512).
func AppIcon() fyne.Resource { return resource("icon.png") }

// Icon returns the embedded file name (connectors.Info.Icon, e.g.
// "prestashop.svg"), or the app icon when there is none by that name, so a
// new platform without a mark still shows something.
func Icon(name string) fyne.Resource {
	if name == "" {
		return resource("icon.svg")
	}
	if r := resource(path.Base(name)); r != nil {
		return r
	}
	return resource("icon.svg")
}

func resource(name string) fyne.Resource {
	data, err := files.ReadFile(name)
	if err != nil {
		return nil
	}
	return fyne.NewStaticResource(name, data)
}
