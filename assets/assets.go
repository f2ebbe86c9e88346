// Package assets embeds Storelink's icons: the app icon and one mark per
// platform, all drawn for this project (no copied logos).
package assets

import (
	"embed"
	"path"

	"fyne.io/fyne/v2"
)

//go:embed icon.svg window-icon.png prestashop.svg magento2.svg upgates.svg woocommerce.svg shopify.svg
var files embed.FS

// AppIcon is the windows' and taskbar's icon: window-icon.png, 128x128 with
// 8 bits a channel, made from icon.png. The packages' launcher icon is
// icon.png itself (512x512, 16 bits, FyneApp.toml's); decoding that one for
// each window took about 6 ms of start-up, and X carried 1 MiB of it.
func AppIcon() fyne.Resource { return resource("window-icon.png") }

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
