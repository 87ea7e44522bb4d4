package http_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"regexp"
	"testing"

	"github.com/interdict/interdict"
	interdicthttp "github.com/interdict/interdict/http"
)

// fakeImporter records the uploads it is given and answers with result.
type fakeImporter struct {
	got    []interdicthttp.ListUpload
	result func(u interdicthttp.ListUpload) (*interdicthttp.ListUploadResult, error)
}

func (f *fakeImporter) ImportList(ctx context.Context, u interdicthttp.ListUpload) (*interdicthttp.ListUploadResult, error) {
	f.got = append(f.got, u)
	return f.result(u)
}

func imported(u interdicthttp.ListUpload) (*interdicthttp.ListUploadResult, error) {
	st := interdicthttp.UploadImported
	if u.DryRun {
		st = interdicthttp.UploadPreview
	}
	return &interdicthttp.ListUploadResult{List: u.List, Format: "custom-table", Status: st, DryRun: u.DryRun,
		Report: interdict.ImportReport{Records: 1, Entities: 1}}, nil
}

func TestServer_ListUpload(t *testing.T) {
	imp := &fakeImporter{result: imported}
	// Uploading a list is for admins (root); an analyst (ana) is refused.
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) { s.ListImporter = imp })
	ts, token := srv.Server, srv.Keys["root"]
	doc := mustDoc(t)
	auth := map[string]string{"Authorization": "Bearer " + token}
	for _, tc := range []struct {
		name, path, ctype, body string
		header                  map[string]string
		status                  int
	}{
		{"NoToken", "/v1/lists/exited", "text/csv", "name\nA B\n", nil, 401},
		{"NotAllowed", "/v1/lists/exited", "text/csv", "name\nA B\n", map[string]string{"Authorization": "Bearer " + srv.Keys["ana"]}, 403},
		{"CrossOrigin", "/v1/lists/exited", "text/csv", "name\nA B\n", map[string]string{"Authorization": "Bearer " + token, "Origin": "https://evil.example"}, 403},
		{"BadBool", "/v1/lists/exited?dry_run=maybe", "text/csv", "name\nA B\n", auth, 400},
		{"UnknownParam", "/v1/lists/exited?threshold=1", "text/csv", "name\nA B\n", auth, 400},
		{"BadBase", "/v1/lists/exited?base=-1", "text/csv", "name\nA B\n", auth, 400},
		{"MediaType", "/v1/lists/exited", "image/png", "x", auth, 415},
		{"Empty", "/v1/lists/exited", "text/csv", "", auth, 400},
		{"DryRun", "/v1/lists/exited?dry_run=true&title=Exited", "text/csv", "name\nA B\n", auth, 200},
		{"Import", "/v1/lists/exited?base=1", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK", auth, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(imp.got)
			resp, body := do(t, ts, req{method: "POST", path: tc.path, ctype: tc.ctype, body: tc.body, header: tc.header})
			if resp.StatusCode != tc.status {
				t.Fatalf("POST %s: %d, want %d: %s", tc.path, resp.StatusCode, tc.status, trim(body))
			}
			if err := doc.ValidateResponse("POST /v1/lists/{list}", resp.StatusCode, resp.Header.Get("Content-Type"), body); err != nil {
				t.Errorf("response does not match the OpenAPI document: %v", err)
			}
			if called := len(imp.got) > n; called != (tc.status < 300) {
				t.Errorf("importer called %v for a %d answer", called, tc.status)
			}
		})
	}
	if len(imp.got) != 2 {
		t.Fatalf("%d imports, want 2", len(imp.got))
	}
	if u := imp.got[0]; u.List != "exited" || u.Title != "Exited" || !u.DryRun || u.Base != nil || u.FileName != "upload.csv" || string(u.Data) != "name\nA B\n" {
		t.Errorf("dry run upload: %+v", u)
	}
	if u := imp.got[1]; u.DryRun || u.Base == nil || *u.Base != 1 || u.FileName != "upload.xlsx" {
		t.Errorf("import upload: %+v", u)
	}
}

// TestServer_ListUploadForm: a preview waits for its own user's
// confirmation only, and is confirmed once.
func TestServer_ListUploadForm(t *testing.T) {
	imp := &fakeImporter{result: imported}
	// Two admins: root uploads; ops, another admin, may not confirm root's
	// upload.
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) { s.ListImporter = imp })
	ts := srv.Server
	if err := srv.Users.CreateUser(context.Background(), &interdict.User{Name: "ops", Role: interdict.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	opsKey, k, err := interdicthttp.NewAPIKey("ops", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Users.CreateAPIKey(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{"tok-ops-0123456789": srv.Keys["root"], "tok-other-0123456789": opsKey}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("list", "exited")
	fw, _ := mw.CreateFormFile("file", "exited.csv")
	_, _ = fw.Write([]byte("name\nA B\n"))
	_ = mw.Close()
	as := func(tok string) map[string]string {
		return map[string]string{"Accept": "text/html", "Authorization": "Bearer " + keys[tok]}
	}
	resp, body := do(t, ts, req{method: "POST", path: "/lists/upload", ctype: mw.FormDataContentType(), body: form.String(), header: as("tok-ops-0123456789")})
	m := regexp.MustCompile(`action="/lists/upload/([0-9a-f]+)"`).FindSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("preview: %d %s", resp.StatusCode, trim(body))
	}
	confirm := "/lists/upload/" + string(m[1])
	if resp, _ := do(t, ts, req{method: "POST", path: confirm, header: as("tok-other-0123456789")}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another user confirmed the upload: %d", resp.StatusCode)
	}
	if resp, body := do(t, ts, req{method: "POST", path: confirm, header: as("tok-ops-0123456789")}); resp.StatusCode != 200 || !bytes.Contains(body, []byte("is now current")) {
		t.Errorf("confirm: %d %s", resp.StatusCode, trim(body))
	}
	if resp, _ := do(t, ts, req{method: "POST", path: confirm, header: as("tok-ops-0123456789")}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an upload was confirmed twice: %d", resp.StatusCode)
	}
	if len(imp.got) != 2 || !imp.got[0].DryRun || imp.got[1].DryRun || imp.got[1].Base == nil || *imp.got[1].Base != 0 {
		t.Errorf("imports: %+v; want a dry run, then the import against base 0", imp.got)
	}
}
