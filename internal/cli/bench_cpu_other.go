//go:build !unix

package cli

import "time"

// cpuTime returns 0: the processor time is read only on Unix systems.
func cpuTime() time.Duration { return 0 }
