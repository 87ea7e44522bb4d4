package http_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
	"github.com/interdict/interdict/screen"
)

// BenchmarkServer_Screen measures the HTTP layer alone (a real loopback
// listener, keep-alive clients, request logging to a JSON handler, metrics)
// around a screener that answers at once: the overhead a screen pays for
// coming over HTTP.
func BenchmarkServer_Screen(b *testing.B) {
	res := &interdict.ScreenResult{Policy: "p", Lists: map[string]string{"ofac-sdn": "1"}, Hits: []interdict.Hit{{EntityID: "ofac-sdn:1", List: "ofac-sdn", Kind: interdict.KindPerson, Name: "Majid Kakavand", MatchedName: "Majid Kakavand", Score: 0.96,
		Explanation: interdict.Explanation{NameScore: 1, Alignment: []interdict.TokenMatch{{Query: "majid", Entity: "majid", Similarity: 1, Kind: interdict.MatchExact, Weight: 0.4}}}}}}
	_, ts := MustOpenServer(b, false, func(s *interdicthttp.Server) {
		s.Logger = slogJSON(io.Discard)
		s.Service.Swap(&screen.Index{Screener: &fakeScreener{screen: func(ctx context.Context, q interdict.Query) (*interdict.ScreenResult, error) {
			r := *res
			r.Query = q
			return &r, nil
		}}})
	})
	body := []byte(`{"name":"Majid Kakavand","type":"person","dob":"1970"}`)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	client := &http.Client{Transport: tr}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Post(ts.URL+"/v1/screen", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatal(resp.StatusCode)
			}
		}
	})
}
