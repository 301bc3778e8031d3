package announce

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// haveTool returns a *ToolError when the command is not installed.
func haveTool(name string) error {
	if _, err := exec.LookPath(name); err != nil {
		return &ToolError{Tool: filepath.Base(name)}
	}
	return nil
}

// run runs a tool with a time limit and returns its stdout; the error
// carries the end of its stderr.
func run(ctx context.Context, stdin string, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(errb.String())
		if len(msg) > 300 {
			msg = msg[len(msg)-300:]
		}
		return nil, fmt.Errorf("%s: %w: %s", filepath.Base(name), err, msg)
	}
	return out.Bytes(), nil
}

// probe returns the duration in seconds of an audio file.
func (s *Service) probe(ctx context.Context, path string) (float64, error) {
	out, err := run(ctx, "", s.opts.Media.FFprobe, "-v", "error", "-show_entries", "format=duration",
		"-of", "default=noprint_wrappers=1:nokey=1", path)
	if err != nil {
		return 0, err
	}
	d, err := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("no duration (%q)", strings.TrimSpace(string(out)))
	}
	return d, nil
}

// convert converts src to the speakers' format at dst, through a temporary
// file renamed into place, so that nothing half-written stays.
func (s *Service) convert(ctx context.Context, src, dst string) error {
	tmp := filepath.Join(filepath.Dir(dst), ".conv-"+filepath.Base(dst))
	args := []string{"-nostdin", "-v", "error", "-y", "-i", src, "-vn", "-ac", "1"}
	switch s.opts.Media.Format {
	case "mp3":
		args = append(args, "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3")
	case "ogg":
		args = append(args, "-c:a", "libopus", "-b:a", "48k", "-f", "ogg")
	case "wav":
		args = append(args, "-c:a", "pcm_s16le", "-ar", "22050", "-f", "wav")
	}
	if _, err := run(ctx, "", s.opts.Media.FFmpeg, append(args, tmp)...); err != nil {
		os.Remove(tmp)
		if st, serr := os.Stat(filepath.Dir(dst)); serr == nil && st.IsDir() && strings.Contains(err.Error(), "No space left") {
			return fmt.Errorf("announce: convert: %w", ErrStorageFull)
		}
		return fmt.Errorf("announce: convert: %w", err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("announce: convert: %w", diskErr(err))
	}
	return nil
}

// speak renders text to speech (numbers, times and dates read as
// Vietnamese words) and stores it as rendered media.
func (s *Service) speak(ctx context.Context, text, by string) (Media, error) {
	for _, tool := range []string{s.opts.Media.Espeak, s.opts.Media.FFmpeg, s.opts.Media.FFprobe} {
		if err := haveTool(tool); err != nil {
			return Media{}, err
		}
	}
	dir, err := s.mediaDir()
	if err != nil {
		return Media{}, err
	}
	wav := filepath.Join(dir, ".tts-"+newID("")+".wav")
	defer os.Remove(wav)
	o := s.opts.Media
	if _, err := run(ctx, Spoken(text), o.Espeak, "-v", o.Voice, "-s", strconv.Itoa(o.Rate),
		"-p", strconv.Itoa(o.Pitch), "-w", wav, "--stdin"); err != nil {
		return Media{}, fmt.Errorf("announce: text to speech: %w", err)
	}
	return s.store(ctx, wav, "wav", "audio/wav", by, true)
}
