package http

// CheckUpload exports checkUpload to the tests.
var CheckUpload = checkUpload

// RouteAccess returns every route that needs authentication, with the
// name of its access level, for the route x role table test.
func (s *Server) RouteAccess() map[string]string {
	s.Handler()
	names := map[access]string{accessScreen: "screen", accessUser: "user", accessBookRead: "book-read", accessBookWrite: "book-write",
		accessAlerts: "alerts", accessApprove: "approve", accessAudit: "audit", accessAdmin: "admin"}
	out := map[string]string{}
	for _, r := range s.routes {
		if !r.public {
			out[r.pattern] = names[r.access]
		}
	}
	return out
}
