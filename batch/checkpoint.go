package batch

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Checkpoint is what a run has safely written: the first Records input
// records are in the output's first OutputBytes bytes, flushed and synced
// before the checkpoint was renamed into place.
type Checkpoint struct {
	Version     int      `json:"version"`
	Input       Identity `json:"input"`
	Records     int      `json:"records"`
	OutputBytes int64    `json:"output_bytes"`
	// Summary holds the counts of the rows written so far.
	Summary Summary `json:"summary"`
}

// ReadCheckpoint reads the checkpoint file at path.
func ReadCheckpoint(path string) (Checkpoint, error) {
	var ck Checkpoint
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return ck, fmt.Errorf("resume: no checkpoint %s (the run finished, or never wrote one)", path)
		}
		return ck, fmt.Errorf("resume: %w", err)
	}
	if err := json.Unmarshal(b, &ck); err != nil {
		return ck, fmt.Errorf("resume: checkpoint %s: %w", path, err)
	}
	if ck.Version != 1 || ck.Records < 0 || ck.OutputBytes < 0 {
		return ck, fmt.Errorf("resume: checkpoint %s: not a checkpoint of this version", path)
	}
	return ck, nil
}

// matches reports whether rd is the input the checkpoint was written for.
func (ck Checkpoint) matches(rd *Reader) error {
	id := rd.Identity()
	if id.Head != ck.Input.Head || id.Size != ck.Input.Size {
		return fmt.Errorf("resume: %s is not the input of the checkpoint (%s, %d bytes); it has changed", rd.name, ck.Input.Name, ck.Input.Size)
	}
	return nil
}

// writeCheckpoint writes ck to path by writing a temporary file beside it,
// syncing it and renaming it into place, so that a crash leaves the old
// checkpoint or the new one, never a torn one.
func writeCheckpoint(path string, ck Checkpoint) error {
	b, err := json.Marshal(ck)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write checkpoint %s: %w", path, err)
	}
	// Make the rename itself durable; not every system can sync a
	// directory, so this is best effort.
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// CreateOutput opens the output file path for rd's results in format (csv,
// jsonl or xlsx). Without opt.Resume it creates (or truncates) the file.
// With opt.Resume it reads opt.Checkpoint, checks that rd is the same
// input, cuts the file back to the checkpointed offset (dropping any rows
// written after the checkpoint) and returns a Writer that appends. The
// Writer's Close closes the file. XLSX output cannot be resumed.
func CreateOutput(path, format string, rd *Reader, opt RunOptions) (Writer, error) {
	if !opt.Resume {
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		w, err := NewWriter(f, format, rd.Header())
		if err != nil {
			f.Close()
			return nil, err
		}
		return &fileWriter{Writer: w, f: f}, nil
	}
	if format == "xlsx" {
		return nil, errors.New("XLSX output cannot be resumed; write csv or jsonl output to resume")
	}
	ck, err := ReadCheckpoint(opt.Checkpoint)
	if err != nil {
		return nil, err
	}
	if err := ck.matches(rd); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() < ck.OutputBytes {
		err = fmt.Errorf("%s has %d bytes, fewer than the %d the checkpoint counts", path, fi.Size(), ck.OutputBytes)
	}
	if err == nil {
		err = f.Truncate(ck.OutputBytes)
	}
	if err == nil {
		_, err = f.Seek(ck.OutputBytes, 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("resume: %w", err)
	}
	w, err := newWriter(f, format, rd.Header(), ck.OutputBytes, false)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &fileWriter{Writer: w, f: f}, nil
}

// fileWriter is a Writer that owns its file.
type fileWriter struct {
	Writer
	f *os.File
}

func (w *fileWriter) offset() int64 {
	if o, ok := w.Writer.(offsetWriter); ok {
		return o.offset()
	}
	return -1
}

func (w *fileWriter) sync() error { return w.f.Sync() }

func (w *fileWriter) Close() error {
	err := w.Writer.Close()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}
