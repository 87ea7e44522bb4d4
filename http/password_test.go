package http_test

import (
	"strings"
	"testing"

	interdicthttp "github.com/interdict/interdict/http"
)

func TestHashSecret(t *testing.T) {
	h1, err := interdicthttp.HashSecret(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := interdicthttp.HashSecret(testPassword)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h1, testPassword) {
		t.Errorf("HashSecret = %q, want an argon2id PHC string", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !interdicthttp.VerifySecret(h1, testPassword) || !interdicthttp.VerifySecret(h2, testPassword) {
		t.Error("VerifySecret refuses the right password")
	}
	for _, tt := range []struct{ name, hash, secret string }{
		{"WrongPassword", h1, testPassword + "!"},
		{"Empty", h1, ""},
		{"EmptyHash", "", testPassword},
		{"Bcrypt", "$2a$10$abcdefghijklmnopqrstuv", testPassword},
		{"Truncated", h1[:len(h1)-10], testPassword},
		{"HugeMemory", strings.Replace(h1, "m=19456", "m=99999999", 1), testPassword},
		{"Argon2i", strings.Replace(h1, "argon2id", "argon2i", 1), testPassword},
	} {
		if interdicthttp.VerifySecret(tt.hash, tt.secret) {
			t.Errorf("%s: VerifySecret(%q, %q) = true", tt.name, tt.hash, tt.secret)
		}
	}
}

func TestNewAPIKey(t *testing.T) {
	key, k, err := interdicthttp.NewAPIKey("bot", "nightly")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, "idk_"+k.ID+"_") || len(key) < 60 || k.User != "bot" || k.Label != "nightly" {
		t.Errorf("NewAPIKey = %q, %+v", key, k)
	}
	secret := strings.TrimPrefix(key, "idk_"+k.ID+"_")
	if !interdicthttp.VerifySecret(k.Hash, secret) || strings.Contains(k.Hash, secret) {
		t.Errorf("the stored hash %q does not verify the key's secret, or holds it", k.Hash)
	}
}

func TestCheckPasswordStrength(t *testing.T) {
	for pw, ok := range map[string]bool{"": false, "short": false, "twelve chars": true, strings.Repeat("x", 1025): false} {
		if err := interdicthttp.CheckPasswordStrength(pw); (err == nil) != ok {
			t.Errorf("CheckPasswordStrength(%d chars) = %v, want ok=%v", len(pw), err, ok)
		}
	}
}

func BenchmarkVerifySecret(b *testing.B) {
	h, _ := interdicthttp.HashSecret(testPassword)
	for b.Loop() {
		interdicthttp.VerifySecret(h, testPassword)
	}
}
