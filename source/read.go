package source

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxFileSize bounds one decompressed list file, and the total bytes
// expanded from one archive (all its members together). The largest
// official list (the US CSL) is under 10 MiB; anything far larger is not a
// list.
const MaxFileSize = 512 << 20

// SourceFile returns the name, size and checksum of the raw (possibly
// compressed) bytes a File came from.
type rawInfo struct {
	size int64
	sum  string
}

// ReadPaths reads list files from paths. A directory is walked recursively
// (hidden files and *.md skipped). Gzip files are decompressed and ZIP
// archives expanded into their members. Each File's Raw describes the file
// as found on disk, so its checksum matches `sha256sum`.
func ReadPaths(paths []string) ([]File, error) {
	var out []File
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		if !st.IsDir() {
			fs, err := readFile(p)
			if err != nil {
				return nil, err
			}
			out = append(out, fs...)
			continue
		}
		var names []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			base := d.Name()
			if strings.HasPrefix(base, ".") && path != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || strings.HasSuffix(strings.ToLower(base), ".md") {
				return nil
			}
			names = append(names, path)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk %s: %w", p, err)
		}
		sort.Strings(names)
		for _, n := range names {
			fs, err := readFile(n)
			if err != nil {
				return nil, err
			}
			for i := range fs {
				fs[i].Walked = true
			}
			out = append(out, fs...)
		}
	}
	return out, nil
}

func readFile(path string) ([]File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	// Refuse a file larger than the limit before reading any of it (a
	// sparse file of gigabytes costs nothing to make).
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > MaxFileSize {
		return nil, fmt.Errorf("read %s: %d bytes, larger than the %d a list file may have", path, st.Size(), MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("read %s: larger than %d bytes", path, MaxFileSize)
	}
	return Expand(path, data)
}

// Expand decompresses data read from path: gzip (by magic number) is
// inflated, a ZIP archive expanded into its files, anything else returned
// as is. Each File records the checksum and size of data. No more than
// MaxFileSize bytes are expanded in all, whatever the archive's headers
// declare.
func Expand(path string, data []byte) ([]File, error) {
	return expand(path, data, MaxFileSize)
}

// expand is Expand with limit as the most bytes it expands in all.
func expand(path string, data []byte, limit int64) ([]File, error) {
	sum := sha256.Sum256(data)
	raw := rawInfo{size: int64(len(data)), sum: hex.EncodeToString(sum[:])}
	base := filepath.Base(path)
	switch {
	case len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b:
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("decompress %s: %w", path, err)
		}
		out, err := io.ReadAll(io.LimitReader(zr, limit+1))
		if err != nil {
			return nil, fmt.Errorf("decompress %s: %w (truncated or corrupt gzip)", path, err)
		}
		if int64(len(out)) > limit {
			return nil, fmt.Errorf("decompress %s: expands to more than %d bytes", path, limit)
		}
		name := strings.TrimSuffix(strings.TrimSuffix(base, ".gz"), ".GZ")
		return []File{{Name: name, Path: path, Data: out, raw: raw}}, nil
	case len(data) >= 4 && bytes.Equal(data[:4], []byte("PK\x03\x04")) && !isXLSX(data):
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, fmt.Errorf("open zip %s: %w", path, err)
		}
		var out []File
		left := limit // bytes the archive may still expand to
		for _, zf := range zr.File {
			if zf.FileInfo().IsDir() || strings.HasPrefix(filepath.Base(zf.Name), ".") || strings.HasPrefix(zf.Name, "__MACOSX") {
				continue
			}
			if zf.UncompressedSize64 > uint64(left) {
				return nil, fmt.Errorf("zip %s: member %s (%d bytes) takes the archive over %d bytes expanded", path, Cut(zf.Name, 200), zf.UncompressedSize64, limit)
			}
			rc, err := zf.Open()
			if err != nil {
				return nil, fmt.Errorf("zip %s: open %s: %w", path, Cut(zf.Name, 200), err)
			}
			// The header's size is the member's word; the bytes read are
			// counted against the budget all the same.
			b, err := io.ReadAll(io.LimitReader(rc, left+1))
			rc.Close()
			if int64(len(b)) > left {
				return nil, fmt.Errorf("zip %s: member %s takes the archive over %d bytes expanded", path, Cut(zf.Name, 200), limit)
			}
			if err != nil {
				return nil, fmt.Errorf("zip %s: read %s: %w", path, Cut(zf.Name, 200), err)
			}
			left -= int64(len(b))
			out = append(out, File{Name: filepath.Base(zf.Name), Path: path + "!" + zf.Name, Data: b, raw: raw})
		}
		if len(out) == 0 {
			return nil, fmt.Errorf("zip %s: no files", path)
		}
		return out, nil
	}
	return []File{{Name: base, Path: path, Data: data, raw: raw}}, nil
}

// isXLSX reports whether a ZIP archive is an Office Open XML workbook, which
// readers take whole rather than as members.
func isXLSX(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name == "[Content_Types].xml" || strings.HasPrefix(f.Name, "xl/") {
			return true
		}
	}
	return false
}

// Info returns a SourceFile describing where f came from: its path and the
// size and SHA-256 of the raw bytes read (before decompression).
func (f File) Info() (name string, size int64, sum string) {
	if f.raw.sum == "" {
		s := sha256.Sum256(f.Data)
		return f.Path, int64(len(f.Data)), hex.EncodeToString(s[:])
	}
	return f.Path, f.raw.size, f.raw.sum
}

// head returns the first 4 KiB of data without a UTF-8 byte order mark.
func head(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(data) > 4096 {
		return data[:4096]
	}
	return data
}

// ErrUnknownFormat is returned by Detect for a file no format recognises.
var ErrUnknownFormat = errors.New("not a known list format")

// Detect returns the format and list of f among formats.
func Detect(formats []Format, f File) (Format, string, error) {
	name := strings.ToLower(f.Name)
	h := head(f.Data)
	for _, ft := range formats {
		if list, ok := ft.Detect(name, h); ok {
			return ft, list, nil
		}
	}
	return Format{}, "", fmt.Errorf("%s: %w", Cut(f.Path, 300), ErrUnknownFormat)
}
