package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/hamlet-vn/hamlet/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// env carries the process environment into the subcommands, so tests can run
// them in-process.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// run executes the command line args and returns the error that made it fail,
// after printing it to stderr.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	root := rootCommand(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "hamletd:", err)
	}
	return err
}

// rootCommand builds the command tree. With no subcommand, hamletd runs the daemon.
func rootCommand(e *env) *cobra.Command {
	var configPath string
	runCmd := runCommand(e, &configPath)
	root := &cobra.Command{
		Use:           "hamletd",
		Short:         "hamletd: trạm điều khiển khu dân cư thông minh / smart residential area edge daemon",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          noArgs,
		RunE:          runCmd.RunE,
	}
	root.PersistentFlags().StringVar(&configPath, "config", "",
		"config file (default "+config.DefaultPath+" if present, else built-in defaults)")
	root.Flags().AddFlag(runCmd.Flags().Lookup("debug-listen")) // hamletd alone is hamletd run
	root.SetFlagErrorFunc(flagError)                            // inherited by every subcommand
	root.AddCommand(
		runCmd,
		checkConfigCommand(e, &configPath),
		versionCommand(e),
		demoCommand(e),
		simCommand(e),
		userCommand(e, &configPath),
		backupCommand(e, &configPath),
		sunCommand(e, &configPath),
		reportCommand(e, &configPath),
	)
	return root
}

// loadConfig loads the config named by --config (or the default path) with
// the HAMLET_* environment applied.
func loadConfig(e *env, path string) (config.Config, error) {
	return config.Load(path, e.getenv)
}
