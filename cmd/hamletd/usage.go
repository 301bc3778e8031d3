package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Usage errors, in Vietnamese then English, in place of cobra's and
// pflag's English-only ones ("accepts 1 arg(s), received 0", "unknown
// command", "unknown flag").

// noArgs accepts no arguments; on a command with subcommands an argument is
// an unknown subcommand.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasSubCommands() {
		return fmt.Errorf("không có lệnh %q, xem danh sách lệnh: “%s --help” / unknown command %q for %q (see %s --help)",
			args[0], cmd.CommandPath(), args[0], cmd.CommandPath(), cmd.CommandPath())
	}
	return fmt.Errorf("lệnh này không nhận đối số nào, nhận được %q / %s takes no arguments, got %q",
		strings.Join(args, " "), cmd.CommandPath(), strings.Join(args, " "))
}

// exactArg accepts exactly one argument, named name in the usage (e.g.
// NAME) and vi in Vietnamese (e.g. "tên tài khoản").
func exactArg(name, vi string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == 1 {
			return nil
		}
		return fmt.Errorf("cần đúng một đối số là %s, nhận được %d / %s needs exactly one argument %s, got %d (see %s --help)",
			vi, len(args), cmd.CommandPath(), name, len(args), cmd.CommandPath())
	}
}

// helpOnly is the RunE of a command that only groups subcommands: alone it
// shows its help; an unknown subcommand fails in noArgs first.
func helpOnly(cmd *cobra.Command, args []string) error { return cmd.Help() }

// flagError wraps pflag's error about a bad flag.
func flagError(cmd *cobra.Command, err error) error {
	return fmt.Errorf("tùy chọn dòng lệnh không hợp lệ, xem “%s --help” / %w (see %s --help)",
		cmd.CommandPath(), err, cmd.CommandPath())
}
