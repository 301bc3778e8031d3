//go:build unix && !linux

package testsvc

import "syscall"

// sysProcAttr puts the child in its own process group, so that stopping it
// reaches its children too. Only Linux has a parent-death signal.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
