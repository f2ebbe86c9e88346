package vault

import (
	"fmt"
	"os"
	"path/filepath"
)

// HomeEnv overrides where settings, state and logs live.
const HomeEnv = "STORELINK_HOME"

// Home returns $STORELINK_HOME, or <user config dir>/storelink.
func Home() (string, error) {
	if h := os.Getenv(HomeEnv); h != "" {
		return filepath.Abs(h)
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find your settings folder (%v); set %s to a folder Storelink may use", err, HomeEnv)
	}
	return filepath.Join(cfg, "storelink"), nil
}
