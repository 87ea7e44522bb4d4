package openapitest_test

import (
	"strings"
	"testing"

	"github.com/interdict/interdict/http/openapitest"
)

const doc = `{"openapi":"3.1.0","paths":{"/x":{"get":{"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/X"}}}}}}}},
"components":{"schemas":{"X":{"type":"object","required":["a"],"additionalProperties":false,"properties":{
"a":{"type":"integer","minimum":1},"b":{"type":["string","null"]},"c":{"type":"array","items":{"enum":["p","q"]}},"d":{"type":"object","additionalProperties":{"type":"number"}}}}}}}`

func TestDoc_ValidateResponse(t *testing.T) {
	d, err := openapitest.Load([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if ops := d.Operations(); len(ops) != 1 || ops[0] != "GET /x" {
		t.Errorf("Operations() = %v", ops)
	}
	tests := []struct {
		name, body, ctype string
		status            int
		wantErr           string
	}{
		{"OK", `{"a":1,"b":null,"c":["p"],"d":{"k":1.5}}`, "application/json", 200, ""},
		{"Missing", `{"b":"x"}`, "application/json", 200, `required property "a"`},
		{"Undocumented", `{"a":1,"z":1}`, "application/json", 200, `property "z" is not documented`},
		{"WrongType", `{"a":"1"}`, "application/json", 200, "got string, want integer"},
		{"Minimum", `{"a":0}`, "application/json", 200, "minimum"},
		{"Enum", `{"a":1,"c":["r"]}`, "application/json", 200, "not one of"},
		{"MapValue", `{"a":1,"d":{"k":"v"}}`, "application/json", 200, "$.d.k"},
		{"Status", `{}`, "application/json", 404, "status 404 is not documented"},
		{"MediaType", `{"a":1}`, "text/plain", 200, "text/plain is not documented"},
		{"NotJSON", `{`, "application/json", 200, "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := d.ValidateResponse("GET /x", tt.status, tt.ctype, []byte(tt.body))
			if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("ValidateResponse(%s) = %v, want %q", tt.body, err, tt.wantErr)
			}
		})
	}
}
