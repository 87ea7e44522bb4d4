package cli_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/interdict/interdict/internal/cli"
)

// slowConn opens a connection from the loopback address local and starts
// a request it never finishes: headers cut short when body is false, else
// whole headers and a body that never comes. It then sends a byte every
// second until the server closes the connection, and reports on closed.
func slowConn(tb testing.TB, addr, local string, body bool, closed chan<- time.Duration) net.Conn {
	tb.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	head := "POST /v1/screen HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
	if body {
		head = "POST /v1/screen HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\": \""
	}
	if _, err := io.WriteString(c, head); err != nil {
		tb.Fatal(err)
	}
	go func() {
		defer func() { closed <- time.Since(start) }()
		// The reader sees the server's close (or its answer, then close).
		go func() {
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for range tick.C {
				if _, err := c.Write([]byte("a")); err != nil {
					return
				}
			}
		}()
		_, _ = io.Copy(io.Discard, c)
		c.Close()
	}()
	return c
}

// TestServe_SlowClients holds 1,000 slow connections against the server,
// from eight client addresses (125 each, under the per-client cap), half
// trickling their headers and half their body, while one client screens
// normally: none of its requests fails, and every slow connection is cut
// off by the server's deadlines. The client's latencies are logged (p50,
// p99); the timing is a measurement, not a pass/fail bound.
func TestServe_SlowClients(t *testing.T) {
	if testing.Short() {
		t.Skip("holds 1,000 connections")
	}
	ts := MustOpenServer(t, func(s *cli.Server) {
		s.Limits = cli.ConnLimits{ReadHeaderTimeout: 4 * time.Second, ReadTimeout: 5 * time.Second}
	})
	addr := strings.TrimPrefix(ts.URL(), "http://")
	const slow = 1000
	closed := make(chan time.Duration, slow)
	for i := 0; i < slow; i++ {
		slowConn(t, addr, fmt.Sprintf("127.0.0.%d", 2+i%8), i%2 == 1, closed)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	var lat []time.Duration
	failed := 0
	names := []string{"ACME TRADING", "Vladimir Putin", "AEROCARIBBEAN AIRLINES", "BANCO NACIONAL DE CUBA", "Jane Doe"}
	for i := 0; i < 400; i++ {
		start := time.Now()
		resp, err := client.Get(ts.URL() + "/v1/screen?name=" + url.QueryEscape(names[i%len(names)]))
		if err != nil {
			failed++
			t.Errorf("request %d: %v", i, err)
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(start))
		if resp.StatusCode != http.StatusOK {
			failed++
			t.Errorf("request %d: status %d", i, resp.StatusCode)
		}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if len(lat) > 0 {
		t.Logf("client during %d slow connections: %d requests, %d failed, p50 %v, p99 %v, max %v",
			slow, len(lat), failed, lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
	}
	// Every slow connection is cut off by the server (a safety bound far
	// above the deadlines of 4 and 5 s only stops a broken server hanging
	// the test).
	var longest time.Duration
	for i := 0; i < slow; i++ {
		select {
		case d := <-closed:
			longest = max(longest, d)
		case <-time.After(60 * time.Second):
			t.Fatalf("%d of %d slow connections still open after a minute", slow-i, slow)
		}
	}
	t.Logf("every slow connection cut off; the last after %v", longest.Round(100*time.Millisecond))
}

// TestServe_ConnsPerClient checks the per-client cap: connections over it
// from one address are closed at once, while another address is served.
func TestServe_ConnsPerClient(t *testing.T) {
	ts := MustOpenServer(t, func(s *cli.Server) { s.Limits = cli.ConnLimits{MaxConnsPerClient: 10} })
	addr := strings.TrimPrefix(ts.URL(), "http://")
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}
	var held []net.Conn
	for i := 0; i < 10; i++ {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	// Make sure the server has accepted the ten: a request on the last one
	// is answered.
	if _, err := io.WriteString(held[9], "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 12)
	if _, err := io.ReadFull(held[9], buf); err != nil || string(buf) != "HTTP/1.1 200" {
		t.Fatalf("tenth connection: %q, %v", buf, err)
	}
	over, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer over.Close()
	_, _ = io.WriteString(over, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
	over.SetReadDeadline(time.Now().Add(30 * time.Second))
	if n, err := over.Read(buf); err == nil {
		t.Fatalf("eleventh connection from one address answered %q; want it closed", buf[:n])
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("eleventh connection from one address left open; want it closed")
	}
	resp, err := http.Get(ts.URL() + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("another client: %v %v", resp, err)
	}
	resp.Body.Close()
	for _, c := range held {
		c.Close()
	}
	if !strings.Contains(ts.Log.String(), "too many from one client") {
		t.Errorf("the refusal is not logged:\n%s", ts.Log.String())
	}
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key
// into dir and returns their paths and the certificate.
func selfSigned(tb testing.TB, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "interdict test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		tb.Fatal(err)
	}
	cert, err = x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return certFile, keyFile, cert
}

func TestServe_TLS(t *testing.T) {
	certFile, keyFile, cert := selfSigned(t, t.TempDir())
	ts := MustOpenServer(t, func(s *cli.Server) { s.TLSCert, s.TLSKey = certFile, keyFile })
	if !strings.HasPrefix(ts.URL(), "https://") {
		t.Fatalf("URL %s, want https", ts.URL())
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := func(maxVersion uint16) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MaxVersion: maxVersion}}}
	}
	resp, err := client(0).Get(ts.URL() + "/v1/screen?name=ACME")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("over TLS: status %d, TLS %+v", resp.StatusCode, resp.TLS)
	}
	if _, err := client(tls.VersionTLS11).Get(ts.URL() + "/healthz"); err == nil {
		t.Error("a TLS 1.1 client was served; want TLS 1.2 or later only")
	}
	plain, err := http.Get("http://" + strings.TrimPrefix(ts.URL(), "https://") + "/healthz")
	if err == nil {
		plain.Body.Close()
		if plain.StatusCode == http.StatusOK {
			t.Error("plain HTTP was served on the TLS port")
		}
	}
}

func TestServe_TLSFlagsErrors(t *testing.T) {
	dir := t.TempDir()
	certFile, _, _ := selfSigned(t, dir)
	for _, tt := range []struct{ cert, key, want string }{
		{certFile, "", "--tls-cert and --tls-key go together"},
		{certFile, filepath.Join(dir, "missing.pem"), "missing.pem"},
	} {
		home := seededHome(t)
		s := cli.NewServer(testApp(home, io.Discard))
		s.Addr, s.TLSCert, s.TLSKey = "127.0.0.1:0", tt.cert, tt.key
		err := s.Open(t.Context())
		if err == nil {
			s.Close()
			t.Fatalf("cert %q key %q: served", tt.cert, tt.key)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("cert %q key %q: %v, want %q", tt.cert, tt.key, err, tt.want)
		}
	}
}
