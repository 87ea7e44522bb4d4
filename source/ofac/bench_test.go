package ofac_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/interdict/interdict/source"
)

func BenchmarkParse(b *testing.B) {
	tests := []struct {
		name, format string
		paths        []string
	}{
		{"sdn-csv", "ofac-csv", []string{"ofac_sdn/sdn_2024-05-03.csv.gz", "ofac_sdn/2025-12-24_add_alt/add.csv.gz", "ofac_sdn/2025-12-24_add_alt/alt.csv.gz", "ofac_sdn/2025-12-24_add_alt/sdn_comments.csv"}},
		{"cons-xml", "ofac-xml", []string{"ofac_cons/consolidated_nonsdn_2026-01-08.xml"}},
		{"cons-enhanced", "ofac-enhanced-xml", []string{"ofac_cons/CONS_ENHANCED_2025-01-10.ZIP"}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			t := &testing.T{}
			_ = t
			var files = benchFiles(b, tt.paths)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				MustParse(b, tt.format, files...)
			}
		})
	}
}

func benchFiles(b *testing.B, paths []string) []source.File {
	b.Helper()
	var files []source.File
	for _, p := range paths {
		full := filepath.Join(realDir, p)
		if _, err := os.Stat(full); err != nil {
			b.Skipf("real list file %s not present: %v", full, err)
		}
		files = append(files, MustReadFile(b, full))
	}
	return files
}
