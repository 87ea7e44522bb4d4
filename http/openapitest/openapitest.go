// Package openapitest checks HTTP responses against an OpenAPI 3.1
// document, for tests: it resolves an operation's documented response for a
// status and media type and validates the body against its JSON Schema. It
// implements the subset of JSON Schema the interdict document uses: $ref,
// type (one or several), properties, required, additionalProperties, items,
// enum, const, allOf, anyOf, oneOf, minimum and maximum.
package openapitest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"sort"
	"strconv"
	"strings"
)

// Doc is a parsed OpenAPI document.
type Doc struct {
	raw map[string]any
}

// Load parses an OpenAPI document.
func Load(b []byte) (*Doc, error) {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	if v, _ := raw["openapi"].(string); !strings.HasPrefix(v, "3.1") {
		return nil, fmt.Errorf("openapi version %q, want 3.1.x", v)
	}
	return &Doc{raw: raw}, nil
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Operations returns every operation as a ServeMux pattern
// ("POST /v1/screen"), sorted.
func (d *Doc) Operations() []string {
	var out []string
	paths, _ := d.raw["paths"].(map[string]any)
	for p, item := range paths {
		m, _ := item.(map[string]any)
		for _, meth := range methods {
			if _, ok := m[meth]; ok {
				out = append(out, strings.ToUpper(meth)+" "+p)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (d *Doc) operation(pattern string) (map[string]any, error) {
	meth, path, ok := strings.Cut(pattern, " ")
	if !ok {
		return nil, fmt.Errorf("pattern %q has no method", pattern)
	}
	paths, _ := d.raw["paths"].(map[string]any)
	item, _ := paths[path].(map[string]any)
	op, _ := item[strings.ToLower(meth)].(map[string]any)
	if op == nil {
		return nil, fmt.Errorf("%s is not documented", pattern)
	}
	return op, nil
}

// ValidateResponse checks that status is documented for the operation and
// that body, of the given Content-Type, matches the documented schema.
// Bodies of NDJSON media types are validated line by line.
func (d *Doc) ValidateResponse(pattern string, status int, contentType string, body []byte) error {
	op, err := d.operation(pattern)
	if err != nil {
		return err
	}
	responses, _ := op["responses"].(map[string]any)
	resp, ok := responses[strconv.Itoa(status)]
	if !ok {
		resp, ok = responses["default"]
	}
	if !ok {
		return fmt.Errorf("%s: status %d is not documented", pattern, status)
	}
	r, err := d.resolve(resp)
	if err != nil {
		return err
	}
	content, _ := r["content"].(map[string]any)
	if len(content) == 0 {
		return nil
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("%s %d: Content-Type %q: %v", pattern, status, contentType, err)
	}
	media, ok := content[mt].(map[string]any)
	if !ok {
		var have []string
		for k := range content {
			have = append(have, k)
		}
		return fmt.Errorf("%s %d: Content-Type %s is not documented (documented: %s)", pattern, status, mt, strings.Join(have, ", "))
	}
	schema, _ := media["schema"].(map[string]any)
	if schema == nil {
		return nil
	}
	if !strings.HasSuffix(mt, "json") {
		return nil
	}
	if strings.Contains(mt, "ndjson") || strings.Contains(mt, "jsonl") {
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		n := 0
		for sc.Scan() {
			n++
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			if err := d.ValidateJSON(schema, sc.Bytes()); err != nil {
				return fmt.Errorf("%s %d line %d: %w", pattern, status, n, err)
			}
		}
		return sc.Err()
	}
	if err := d.ValidateJSON(schema, body); err != nil {
		return fmt.Errorf("%s %d: %w", pattern, status, err)
	}
	return nil
}

// ValidateJSON validates a JSON document against a schema of the document.
func (d *Doc) ValidateJSON(schema map[string]any, body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("body is not JSON: %v", err)
	}
	return d.validate(schema, v, "$")
}

// Schema returns a named schema of components.schemas.
func (d *Doc) Schema(name string) map[string]any {
	c, _ := d.raw["components"].(map[string]any)
	s, _ := c["schemas"].(map[string]any)
	m, _ := s[name].(map[string]any)
	return m
}

func (d *Doc) resolve(v any) (map[string]any, error) {
	m, _ := v.(map[string]any)
	for i := 0; m != nil && i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		if !strings.HasPrefix(ref, "#/") {
			return nil, fmt.Errorf("external $ref %q", ref)
		}
		var cur any = d.raw
		for _, part := range strings.Split(ref[2:], "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[part]
		}
		m, _ = cur.(map[string]any)
		if m == nil {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
	}
	if m == nil {
		return nil, fmt.Errorf("schema is not an object")
	}
	return m, nil
}

func typeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if _, err := x.Int64(); err == nil {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func (d *Doc) validate(s any, v any, at string) error {
	schema, err := d.resolve(s)
	if err != nil {
		return fmt.Errorf("%s: %w", at, err)
	}
	if t, ok := schema["type"]; ok {
		var types []string
		switch x := t.(type) {
		case string:
			types = []string{x}
		case []any:
			for _, e := range x {
				types = append(types, fmt.Sprint(e))
			}
		}
		got := typeOf(v)
		okType := false
		for _, want := range types {
			if want == got || want == "number" && got == "integer" {
				okType = true
			}
		}
		if !okType {
			return fmt.Errorf("%s: got %s, want %s", at, got, strings.Join(types, " or "))
		}
	}
	if e, ok := schema["enum"].([]any); ok {
		found := false
		for _, x := range e {
			if fmt.Sprint(x) == fmt.Sprint(v) {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("%s: %v is not one of %v", at, v, e)
		}
	}
	if c, ok := schema["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		return fmt.Errorf("%s: %v, want %v", at, v, c)
	}
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		if min, ok := schema["minimum"].(float64); ok && f < min {
			return fmt.Errorf("%s: %v < minimum %v", at, f, min)
		}
		if max, ok := schema["maximum"].(float64); ok && f > max {
			return fmt.Errorf("%s: %v > maximum %v", at, f, max)
		}
	}
	for _, sub := range asList(schema["allOf"]) {
		if err := d.validate(sub, v, at); err != nil {
			return err
		}
	}
	if any := asList(schema["anyOf"]); len(any) > 0 {
		if !d.some(any, v, at, 1, false) {
			return fmt.Errorf("%s: matches none of anyOf", at)
		}
	}
	if one := asList(schema["oneOf"]); len(one) > 0 {
		if !d.some(one, v, at, 1, true) {
			return fmt.Errorf("%s: does not match exactly one of oneOf", at)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asList(schema["required"]) {
			if _, ok := x[fmt.Sprint(r)]; !ok {
				return fmt.Errorf("%s: required property %q missing", at, r)
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k]; ok {
				if err := d.validate(ps, x[k], at+"."+k); err != nil {
					return err
				}
				continue
			}
			switch ap := schema["additionalProperties"].(type) {
			case bool:
				if !ap {
					return fmt.Errorf("%s: property %q is not documented", at, k)
				}
			case map[string]any:
				if err := d.validate(ap, x[k], at+"."+k); err != nil {
					return err
				}
			}
		}
	case []any:
		if items, ok := schema["items"]; ok {
			for i, e := range x {
				if err := d.validate(items, e, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// some reports whether v matches want of subs (exactly, if exact).
func (d *Doc) some(subs []any, v any, at string, want int, exact bool) bool {
	n := 0
	for _, sub := range subs {
		if d.validate(sub, v, at) == nil {
			n++
		}
	}
	if exact {
		return n == want
	}
	return n >= want
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
