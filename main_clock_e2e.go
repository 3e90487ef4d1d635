//go:build e2e

package main

import (
	"fmt"
	"os"
	"time"

	"cyberskills/models"
)

// serverClock is, in the browser tests' build only (go build -tags e2e), the fixed
// instant E2E_NOW, so that the dataset, the figures and the screenshots are the same on
// every run. A released binary is built without the tag and cannot be given a clock.
func serverClock() models.Clock {
	at, err := time.Parse(time.RFC3339, os.Getenv("E2E_NOW"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cyberskills (e2e build): E2E_NOW must be an RFC 3339 instant")
		os.Exit(2)
	}
	return models.FixedClock(at.UTC())
}
