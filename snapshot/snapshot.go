// Package snapshot embeds the compressed copies of the public sanctions and
// denied-party lists that let a fresh install screen offline, with a
// manifest giving each file's list, publisher, publication date, origin and
// SHA-256. Files whose checksum does not match the manifest are refused.
//
// To change the snapshot, put the file in data/ (gzip -9 -n unless it is
// compressed already), add its entry to manifest.json, and run
// `go test ./snapshot -run TestManifest -update` to write its size and
// checksum.
package snapshot

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/interdict/interdict/source"
)

//go:embed manifest.json data/*
var files embed.FS

// Manifest describes the bundled files.
type Manifest struct {
	Collected string `json:"collected"`
	Note      string `json:"note"`
	Files     []Item `json:"files"`
}

// Item is one bundled file.
type Item struct {
	File        string `json:"file"`
	List        string `json:"list"`
	Publisher   string `json:"publisher"`
	Description string `json:"description"`
	// Published is the publication date, YYYY-MM-DD.
	Published string `json:"published"`
	// Origin is where the copy was taken from, as owner/repo@commit:path.
	Origin  string `json:"origin"`
	Licence string `json:"licence"`
	Size    int64  `json:"size"`
	SHA256  string `json:"sha256"`
	// Derived is true for a third party's copy of a list (Aggregator), in a
	// format of its own, bundled until the publisher's file is available.
	Derived    bool   `json:"derived,omitempty"`
	Aggregator string `json:"aggregator,omitempty"`
}

// ReadManifest returns the manifest of the bundled files.
func ReadManifest() (*Manifest, error) {
	b, err := files.ReadFile("manifest.json")
	if err != nil {
		return nil, fmt.Errorf("read snapshot manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("decode snapshot manifest: %w", err)
	}
	return &m, nil
}

// Files returns the decompressed bundled files after checking each one's
// size and SHA-256 against the manifest.
func Files() ([]source.File, *Manifest, error) {
	m, err := ReadManifest()
	if err != nil {
		return nil, nil, err
	}
	var out []source.File
	for _, it := range m.Files {
		b, err := files.ReadFile("data/" + it.File)
		if err != nil {
			return nil, nil, fmt.Errorf("read snapshot file %s: %w", it.File, err)
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != it.SHA256 || int64(len(b)) != it.Size {
			return nil, nil, fmt.Errorf("snapshot file %s: checksum %s, size %d; manifest says %s, %d", it.File, got, len(b), it.SHA256, it.Size)
		}
		fs, err := source.Expand("snapshot/"+it.File, b)
		if err != nil {
			return nil, nil, fmt.Errorf("snapshot file %s: %w", it.File, err)
		}
		out = append(out, fs...)
	}
	return out, m, nil
}
