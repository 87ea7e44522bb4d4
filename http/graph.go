package http

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"github.com/interdict/interdict/graph"
)

// graphRoutes are the network routes. The network holds the book and the
// institution's ownership records, stored data: every route needs a
// signed-in user who may read the book (importing records, one who may
// change it).
func (s *Server) graphRoutes() []route {
	api := func(pattern string, ac access, h http.HandlerFunc) route {
		return route{pattern: pattern, api: true, access: ac, handler: h}
	}
	return []route{
		api("GET /v1/graph/paths/{id}", accessBookRead, s.handleGraphPaths),
		api("GET /v1/graph/ownership/{id}", accessBookRead, s.handleGraphOwnership),
		api("GET /v1/graph/clusters", accessBookRead, s.handleGraphClusters),
		api("GET /v1/graph/neighbourhood/{id}", accessBookRead, s.handleGraphNeighbourhood),
		api("GET /v1/graph/ownerships", accessBookRead, s.handleOwnershipsGet),
		{pattern: "POST /v1/graph/ownerships", api: true, access: accessBookWrite, handler: s.handleOwnershipsPost, maxBody: s.MaxUploadBytes},
		{pattern: "GET /graph", access: accessBookRead, handler: s.uiGraph},
	}
}

func (s *Server) network(r *http.Request) (*graph.Graph, error) {
	if s.Network == nil {
		return nil, newProblem(http.StatusServiceUnavailable, "This server keeps no network.")
	}
	return s.Network.Graph(r.Context())
}

// graphInt reads a small positive integer parameter.
func graphInt(r *http.Request, name string, max int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		return 0, problemf(http.StatusBadRequest, "Parameter %q must be a whole number from 1 to %d, not %q.", name, max, truncate(v, 20))
	}
	return n, nil
}

// PathsResponse is the body of GET /v1/graph/paths/{id}.
type PathsResponse struct {
	Node  string                  `json:"node"`
	Paths []interdict.NetworkPath `json:"paths"`
}

func (s *Server) handleGraphPaths(w http.ResponseWriter, r *http.Request) {
	hops, err := graphInt(r, "hops", 6)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	limit, err := graphInt(r, "limit", 1000)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	g, err := s.network(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	id := r.PathValue("id")
	ps, err := g.Paths(id, graph.PathOptions{MaxHops: hops, Limit: limit})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	n, _ := g.Node(id)
	writeJSON(w, http.StatusOK, PathsResponse{Node: n.ID, Paths: ps})
}

func (s *Server) handleGraphOwnership(w http.ResponseWriter, r *http.Request) {
	g, err := s.network(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	rep, err := g.Ownership(r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// ClustersResponse is the body of GET /v1/graph/clusters.
type ClustersResponse struct {
	Clusters []graph.Cluster `json:"clusters"`
}

func (s *Server) handleGraphClusters(w http.ResponseWriter, r *http.Request) {
	limit, err := graphInt(r, "limit", 1000)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	g, err := s.network(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cs, err := g.Clusters(r.URL.Query().Get("id"), limit)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ClustersResponse{Clusters: cs})
}

func (s *Server) handleGraphNeighbourhood(w http.ResponseWriter, r *http.Request) {
	hops, err := graphInt(r, "hops", 4)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	maxNodes, err := graphInt(r, "max_nodes", 5000)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "graphml" {
		s.writeError(w, r, problemf(http.StatusBadRequest, "Parameter \"format\" must be json or graphml, not %q.", truncate(format, 20)))
		return
	}
	g, err := s.network(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sub, err := g.Neighbourhood(r.PathValue("id"), hops, maxNodes)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if format == "graphml" {
		var buf bytes.Buffer
		if err := sub.WriteGraphML(&buf); err != nil {
			s.writeError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/graphml+xml; charset=utf-8")
		_, _ = buf.WriteTo(w)
		return
	}
	writeJSON(w, http.StatusOK, sub)
}

// OwnershipsResponse is the body of GET and POST /v1/graph/ownerships.
type OwnershipsResponse struct {
	Source     string                 `json:"source,omitempty"`
	Imported   int                    `json:"imported,omitempty"`
	Ownerships []*interdict.Ownership `json:"ownerships"`
}

func (s *Server) handleOwnershipsGet(w http.ResponseWriter, r *http.Request) {
	if s.Ownerships == nil {
		s.writeError(w, r, newProblem(http.StatusServiceUnavailable, "This server keeps no ownership records."))
		return
	}
	limit, err := graphInt(r, "limit", 10000)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if limit == 0 {
		limit = 500
	}
	q := r.URL.Query()
	os, err := s.Ownerships.FindOwnerships(r.Context(), interdict.OwnershipFilter{Node: q.Get("node"), Source: q.Get("source"), Limit: limit})
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, OwnershipsResponse{Ownerships: os})
}

func (s *Server) handleOwnershipsPost(w http.ResponseWriter, r *http.Request) {
	if s.Ownerships == nil {
		s.writeError(w, r, newProblem(http.StatusServiceUnavailable, "This server keeps no ownership records."))
		return
	}
	src := strings.TrimSpace(r.URL.Query().Get("source"))
	if src == "" || len(src) > 200 {
		s.writeError(w, r, problemf(http.StatusBadRequest, "Parameter \"source\" (the name the records are kept under, 1 to 200 characters) is required."))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.writeError(w, r, problemf(http.StatusRequestEntityTooLarge, "The records could not be read: %v", err))
		return
	}
	recs, err := graph.ReadOwnerships(bytes.NewReader(body), src)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.Ownerships.ReplaceOwnerships(r.Context(), src, recs); err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.Network != nil {
		s.Network.Invalidate()
	}
	writeJSON(w, http.StatusOK, OwnershipsResponse{Source: src, Imported: len(recs), Ownerships: recs})
}

type graphPage struct {
	page
	ID       string
	Node     *graph.Node
	Error    string
	Sub      *graph.Subgraph
	Paths    []interdict.NetworkPath
	Findings *graph.OwnershipReport
}

func (s *Server) uiGraph(w http.ResponseWriter, r *http.Request) {
	data := graphPage{page: s.page(r, "graph"), ID: strings.TrimSpace(r.URL.Query().Get("id"))}
	if data.ID == "" {
		s.render(w, r, http.StatusOK, "graph", "layout", data)
		return
	}
	g, err := s.network(r)
	if err != nil {
		s.writeHTMLError(w, r, err)
		return
	}
	status := http.StatusOK
	sub, err := g.Neighbourhood(data.ID, 2, 150)
	if err != nil {
		data.Error = interdict.ErrorMessage(err)
		status = http.StatusNotFound
	} else {
		data.Sub = sub
		data.Node, _ = g.Node(data.ID)
		data.Paths, _ = g.Paths(data.ID, graph.PathOptions{MaxHops: 3, Limit: 10})
		data.Findings, _ = g.Ownership(data.ID)
	}
	s.render(w, r, status, "graph", "layout", data)
}
