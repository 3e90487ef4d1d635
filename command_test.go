package main

import (
	"fmt"
	"os"
	"testing"

	"cyberskills/models/clocktest"
)

// asCommand, set in the environment, makes the test binary the cyberskills command itself,
// with the suite's clock (TEST_NOW) instead of the system's: the quick-start test runs
// the README's `bin/cyberskills ...` lines and a server through it, so that every instant
// they judge by is the test's.
const asCommand = "CYBERSKILLS_TEST_AS_COMMAND"

func TestMain(m *testing.M) {
	if os.Getenv(asCommand) == "1" {
		if err := run(os.Args[1:], clocktest.Clock{}, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "cyberskills:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
