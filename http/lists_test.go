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
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) { s.ListImporter = imp })
	doc := mustDoc(t)
	admin := bearer(srv.Keys["root"])
	for _, tc := range []struct {
		name, path, ctype, body string
		header                  map[string]string
		status                  int
	}{
		{"NoUser", "/v1/lists/exited", "text/csv", "name\nA B\n", nil, 401},
		{"Analyst", "/v1/lists/exited", "text/csv", "name\nA B\n", bearer(srv.Keys["ana"]), 403},
		{"CrossOrigin", "/v1/lists/exited", "text/csv", "name\nA B\n", map[string]string{"Authorization": admin["Authorization"], "Origin": "https://evil.example"}, 403},
		{"BadBool", "/v1/lists/exited?dry_run=maybe", "text/csv", "name\nA B\n", admin, 400},
		{"UnknownParam", "/v1/lists/exited?threshold=1", "text/csv", "name\nA B\n", admin, 400},
		{"BadBase", "/v1/lists/exited?base=-1", "text/csv", "name\nA B\n", admin, 400},
		{"MediaType", "/v1/lists/exited", "image/png", "x", admin, 415},
		{"Empty", "/v1/lists/exited", "text/csv", "", admin, 400},
		{"DryRun", "/v1/lists/exited?dry_run=true&title=Exited", "text/csv", "name\nA B\n", admin, 200},
		{"Import", "/v1/lists/exited?base=1", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK", admin, 201},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := len(imp.got)
			resp, body := do(t, srv.Server, req{method: "POST", path: tc.path, ctype: tc.ctype, body: tc.body, header: tc.header})
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
	srv := MustOpenUserServer(t, true, func(s *interdicthttp.Server) { s.ListImporter = imp })
	ctx := context.Background()
	if err := srv.Users.CreateUser(ctx, &interdict.User{Name: "root2", Role: interdict.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	key2, k, err := interdicthttp.NewAPIKey("root2", "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Users.CreateAPIKey(ctx, k); err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("list", "exited")
	fw, _ := mw.CreateFormFile("file", "exited.csv")
	_, _ = fw.Write([]byte("name\nA B\n"))
	_ = mw.Close()
	as := func(key string) map[string]string {
		return map[string]string{"Accept": "text/html", "Authorization": "Bearer " + key}
	}
	resp, body := do(t, srv.Server, req{method: "POST", path: "/lists/upload", ctype: mw.FormDataContentType(), body: form.String(), header: as(srv.Keys["root"])})
	m := regexp.MustCompile(`action="/lists/upload/([0-9a-f]+)"`).FindSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("preview: %d %s", resp.StatusCode, trim(body))
	}
	confirm := "/lists/upload/" + string(m[1])
	if resp, _ := do(t, srv.Server, req{method: "POST", path: confirm, header: as(key2)}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another administrator confirmed the upload: %d", resp.StatusCode)
	}
	if resp, body := do(t, srv.Server, req{method: "POST", path: confirm, header: as(srv.Keys["root"])}); resp.StatusCode != 200 || !bytes.Contains(body, []byte("is now current")) {
		t.Errorf("confirm: %d %s", resp.StatusCode, trim(body))
	}
	if resp, _ := do(t, srv.Server, req{method: "POST", path: confirm, header: as(srv.Keys["root"])}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("an upload was confirmed twice: %d", resp.StatusCode)
	}
	if len(imp.got) != 2 || !imp.got[0].DryRun || imp.got[1].DryRun || imp.got[1].Base == nil || *imp.got[1].Base != 0 {
		t.Errorf("imports: %+v; want a dry run, then the import against base 0", imp.got)
	}
}
