//go:build !unix

package testsvc

import (
	"os/exec"
	"syscall"
)

// sysProcAttr has nothing to set where there are no process groups.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// terminate kills cmd: there is no SIGTERM here.
func terminate(cmd *exec.Cmd) { _ = cmd.Process.Kill() }

// kill kills cmd.
func kill(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
