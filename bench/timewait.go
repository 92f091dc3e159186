package bench

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// TimeWait counts the sockets in TIME_WAIT with port at either end: those
// that connections to a server on port left behind when they closed.
func TimeWait(port int) (int, error) {
	n := 0
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		c, err := timeWaitIn(f, port)
		if err != nil {
			return 0, err
		}
		n += c
	}
	return n, nil
}

const stateTimeWait = "06"

func timeWaitIn(path string, port int) (int, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return 0, nil // no IPv6, say
	}
	if err != nil {
		return 0, fmt.Errorf("bench: counting TIME_WAIT sockets: %w", err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		// sl local_address rem_address st …, addresses as HEXIP:HEXPORT
		fs := strings.Fields(sc.Text())
		if len(fs) < 4 || fs[3] != stateTimeWait {
			continue
		}
		if portOf(fs[1]) == port || portOf(fs[2]) == port {
			n++
		}
	}
	return n, sc.Err()
}

func portOf(addr string) int {
	_, hex, ok := strings.Cut(addr, ":")
	if !ok {
		return -1
	}
	p, err := strconv.ParseUint(hex, 16, 16)
	if err != nil {
		return -1
	}
	return int(p)
}
