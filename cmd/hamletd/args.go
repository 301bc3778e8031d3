package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// exactArgs is cobra.ExactArgs with a message in Vietnamese then English
// that names the expected arguments.
func exactArgs(n int, names ...string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		want := strings.Join(names, " ")
		return fmt.Errorf("cần %d tham số (%s), nhận %d / %s needs %d argument(s) (%s), got %d; xem / see: %s --help",
			n, want, len(args), cmd.CommandPath(), n, want, len(args), cmd.CommandPath())
	}
}
