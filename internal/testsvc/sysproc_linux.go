package testsvc

import "syscall"

// sysProcAttr puts the child in its own process group, so that stopping it
// reaches its children too, and has the kernel kill it when the thread that
// started it (hence the test binary) dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
