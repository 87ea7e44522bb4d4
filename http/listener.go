package http

import (
	"net"
	"sync"
)

// DefaultMaxConnsPerClient is the most connections one client address may
// hold open at once by default: far more than a browser (6) or a batch
// client needs, far fewer than the server can hold.
const DefaultMaxConnsPerClient = 256

// LimitListener returns a listener that accepts at most perClient open
// connections from one client address (its IP, whatever its port); a
// connection over the cap is closed as soon as it is accepted, before a
// byte of it is read, so that one client holding many slow connections
// cannot use up what every other client needs. perClient <= 0 means no
// cap. rejected, when set, is called for each connection closed so.
func LimitListener(ln net.Listener, perClient int, rejected func(addr string)) net.Listener {
	if perClient <= 0 {
		return ln
	}
	return &limitListener{Listener: ln, max: perClient, open: map[string]int{}, rejected: rejected}
}

type limitListener struct {
	net.Listener
	max      int
	rejected func(addr string)

	mu   sync.Mutex
	open map[string]int
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		host := c.RemoteAddr().String()
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		l.mu.Lock()
		if l.open[host] >= l.max {
			l.mu.Unlock()
			c.Close()
			if l.rejected != nil {
				l.rejected(host)
			}
			continue
		}
		l.open[host]++
		l.mu.Unlock()
		return &limitConn{Conn: c, l: l, host: host}, nil
	}
}

type limitConn struct {
	net.Conn
	l    *limitListener
	host string
	once sync.Once
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.l.mu.Lock()
		if c.l.open[c.host]--; c.l.open[c.host] <= 0 {
			delete(c.l.open, c.host)
		}
		c.l.mu.Unlock()
	})
	return err
}
