//go:build !e2e

package main

import "cyberskills/models"

// serverClock is the clock of every command: the machine's. (The browser tests build
// the binary with -tags e2e, whose clock stands still; see main_clock_e2e.go.)
func serverClock() models.Clock { return models.SystemClock{} }
