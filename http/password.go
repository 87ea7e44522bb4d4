package http

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/interdict/interdict"
	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the second configuration RFC 9106 section 4
// recommends for constrained memory is 64 MiB; we follow the OWASP Password
// Storage Cheat Sheet's minimum instead (19 MiB, 2 passes, 1 lane), which
// costs about 30 ms on one core, so that a sign-in storm cannot exhaust a
// small server's memory. The parameters are kept in each hash, so they can
// be raised later without invalidating stored hashes.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// argonSlots bounds the argon2id computations running at once to the
// number of CPUs: each takes argonMemory, and a burst of sign-ins must not
// take the server's memory with it. The others wait their turn.
var argonSlots = make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))

func idKey(secret, salt []byte, t, m uint32, p uint8, n uint32) []byte {
	argonSlots <- struct{}{}
	defer func() { <-argonSlots }()
	return argon2.IDKey(secret, salt, t, m, p, n)
}

// MinPasswordLen is the shortest password accepted, in bytes (NIST SP
// 800-63B section 3.1.1.2 asks for at least 8; we ask for 12).
const MinPasswordLen = 12

// MaxPasswordLen bounds a password, so that hashing cannot be made to
// read megabytes.
const MaxPasswordLen = 1024

// CheckPasswordStrength returns EINVALID for a password that is too short
// or too long.
func CheckPasswordStrength(pw string) error {
	if len(pw) < MinPasswordLen {
		return interdict.Errorf(interdict.EINVALID, "A password needs at least %d characters.", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return interdict.Errorf(interdict.EINVALID, "A password may have at most %d characters.", MaxPasswordLen)
	}
	return nil
}

// HashSecret returns the argon2id hash of a password or an API key's
// secret in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, unpadded base64), with a
// fresh random salt.
func HashSecret(secret string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := idKey([]byte(secret), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// errBadHash is a stored hash this code cannot read.
var errBadHash = errors.New("not an argon2id PHC string")

// VerifySecret reports whether secret matches hash, a string HashSecret
// returned (with any parameters). The comparison takes constant time. An
// empty or unreadable hash matches nothing.
func VerifySecret(hash, secret string) bool {
	ok, err := verifySecret(hash, secret)
	return err == nil && ok
}

func verifySecret(hash, secret string) (bool, error) {
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false, errBadHash
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<21 || t > 16 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) < 16 || len(want) > 64 {
		return false, errBadHash
	}
	got := idKey([]byte(secret), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// apiKeyPrefix starts every API key, so that a leaked key is recognisable
// (secret scanners) and told apart from a token-file token.
const apiKeyPrefix = "idk_"

// NewAPIKey returns a new API key for user: the key as it is shown once
// ("idk_<id>_<secret>", the secret 32 random bytes in unpadded base64url)
// and the record to store, which holds the secret only as its hash.
func NewAPIKey(user, label string) (string, *interdict.APIKey, error) {
	id := interdict.NewID()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("API key: %w", err)
	}
	secret := base64.RawURLEncoding.EncodeToString(b)
	hash, err := HashSecret(secret)
	if err != nil {
		return "", nil, err
	}
	return apiKeyPrefix + id + "_" + secret, &interdict.APIKey{ID: id, User: user, Label: label, Hash: hash}, nil
}

// parseAPIKey splits a presented key into its ID and secret.
func parseAPIKey(key string) (id, secret string, ok bool) {
	rest, ok := strings.CutPrefix(key, apiKeyPrefix)
	if !ok {
		return "", "", false
	}
	id, secret, ok = strings.Cut(rest, "_")
	if !ok || len(id) != 24 || secret == "" || len(secret) > 128 {
		return "", "", false
	}
	return id, secret, true
}
