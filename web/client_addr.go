package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr returns the client's IP address (without the port): the peer's
// address, or, when the peer is one of Options.TrustedProxies, the address
// its X-Forwarded-For names. The header is read from the right: the first
// address that is not itself a trusted proxy is the client, so a client
// cannot choose its address by sending the header itself. A header from an
// untrusted peer is ignored.
func (s *Server) clientAddr(r *http.Request) string {
	peer := remoteIP(r.RemoteAddr)
	if len(s.opts.TrustedProxies) == 0 || !s.trusted(peer) {
		return ipString(peer, r.RemoteAddr)
	}
	hops := forwardedFor(r.Header.Values("X-Forwarded-For"))
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a malformed hop: trust nothing further left
		}
		client = ip.Unmap()
		if !s.trusted(client) {
			break
		}
	}
	return ipString(client, r.RemoteAddr)
}

// trusted reports whether ip is in a trusted proxy range.
func (s *Server) trusted(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// remoteIP parses the address of "host:port"; invalid when it is not an IP.
func remoteIP(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return ip.Unmap()
}

func ipString(ip netip.Addr, remote string) string {
	if !ip.IsValid() {
		return remote
	}
	return ip.String()
}

// forwardedFor splits X-Forwarded-For headers into hops, left to right.
func forwardedFor(values []string) []string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	return hops
}
