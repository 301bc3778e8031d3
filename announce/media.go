package announce

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/hamlet-vn/hamlet/accounts"
	"github.com/hamlet-vn/hamlet/devices"
)

// MediaOptions configures uploads, conversion and text to speech.
type MediaOptions struct {
	// MaxBytes bounds an upload. Default 20 MiB.
	MaxBytes int64
	// Format is what speakers play: mp3 (default), ogg or wav.
	Format string
	// FFmpeg, FFprobe and Espeak are the tools' commands. Defaults "ffmpeg", "ffprobe", "espeak-ng".
	FFmpeg, FFprobe, Espeak string
	// Voice, Rate (words per minute) and Pitch (0–99) of text to speech. Defaults "vi", 150, 50.
	Voice string
	Rate  int
	Pitch int
}

func (m *MediaOptions) fill() {
	if m.MaxBytes <= 0 {
		m.MaxBytes = 20 << 20
	}
	if m.Format == "" {
		m.Format = "mp3"
	}
	if m.FFmpeg == "" {
		m.FFmpeg = "ffmpeg"
	}
	if m.FFprobe == "" {
		m.FFprobe = "ffprobe"
	}
	if m.Espeak == "" {
		m.Espeak = "espeak-ng"
	}
	if m.Voice == "" {
		m.Voice = "vi"
	}
	if m.Rate <= 0 {
		m.Rate = 150
	}
	if m.Pitch <= 0 {
		m.Pitch = 50
	}
}

// formatTypes are the content types of the speaker formats.
var formatTypes = map[string]string{"mp3": "audio/mpeg", "ogg": "audio/ogg", "wav": "audio/wav"}

// ErrStorageFull is returned when the disk is full while storing media
// (507); nothing half-written stays.
var ErrStorageFull = errors.New("Bộ nhớ đầy / storage is full")

// ToolError says a tool the request needs is not installed (503).
type ToolError struct{ Tool string }

func (e *ToolError) Error() string {
	return fmt.Sprintf("Máy chủ chưa cài %s / %s is not installed on the server", e.Tool, e.Tool)
}

// sniff returns the audio format of the first bytes, or "".
func sniff(b []byte) (format, contentType string) {
	switch {
	case bytes.HasPrefix(b, []byte("ID3")) || len(b) > 1 && b[0] == 0xFF && b[1]&0xE0 == 0xE0 && b[1]&0x06 != 0:
		return "mp3", "audio/mpeg"
	case len(b) > 1 && b[0] == 0xFF && b[1]&0xF6 == 0xF0:
		return "aac", "audio/aac"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		return "wav", "audio/wav"
	case bytes.HasPrefix(b, []byte("OggS")):
		if bytes.Contains(b, []byte("OpusHead")) {
			return "ogg", "audio/ogg; codecs=opus"
		}
		return "ogg", "audio/ogg"
	case bytes.HasPrefix(b, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return "webm", "audio/webm"
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return "m4a", "audio/mp4"
	case bytes.HasPrefix(b, []byte("fLaC")):
		return "flac", "audio/flac"
	}
	return "", ""
}

// mediaDir returns (creating) the media directory.
func (s *Service) mediaDir() (string, error) {
	dir := filepath.Join(s.opts.Dir, "media")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("announce: media dir: %w", diskErr(err))
	}
	return dir, nil
}

// diskErr turns "no space left" into ErrStorageFull.
func diskErr(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w: %v", ErrStorageFull, err)
	}
	return err
}

// Upload stores an audio file (body is already bounded in size; its
// *http.MaxBytesError is returned wrapped). The type is read from the
// content, not the declared type; the file is converted once to the
// speakers' format and its duration read with ffprobe.
func (s *Service) Upload(ctx context.Context, _ string, body io.Reader, u accounts.User) (Media, error) {
	for _, tool := range []string{s.opts.Media.FFmpeg, s.opts.Media.FFprobe} {
		if err := haveTool(tool); err != nil {
			return Media{}, err
		}
	}
	dir, err := s.mediaDir()
	if err != nil {
		return Media{}, err
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return Media{}, fmt.Errorf("announce: upload: %w", diskErr(err))
	}
	defer os.Remove(tmp.Name())
	n, err := s.copyFile(tmp, body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Media{}, fmt.Errorf("announce: upload: %w", diskErr(err))
	}
	if n == 0 {
		return Media{}, devices.Invalid("file", "Tệp trống / the file is empty")
	}
	head := make([]byte, 512)
	f, err := os.Open(tmp.Name())
	if err != nil {
		return Media{}, err
	}
	k, _ := io.ReadFull(f, head)
	f.Close()
	format, ctype := sniff(head[:k])
	if format == "" {
		return Media{}, devices.Invalid("file",
			"Không phải tệp âm thanh được hỗ trợ / not a supported audio file (mp3, wav, ogg/opus, webm/opus, m4a/aac), whatever its name or declared type")
	}
	return s.store(ctx, tmp.Name(), format, ctype, u.Name, false)
}

// store probes and converts the file at src (which the caller removes) and
// records it.
func (s *Service) store(ctx context.Context, src, format, ctype, by string, rendered bool) (Media, error) {
	dur, err := s.probe(ctx, src)
	if err != nil {
		return Media{}, devices.Invalid("file", "Tệp âm thanh hỏng / the audio cannot be decoded (%s): %v", format, err)
	}
	dir, err := s.mediaDir()
	if err != nil {
		return Media{}, err
	}
	id := newID("m-")
	out := filepath.Join(dir, id+"."+s.opts.Media.Format)
	if err := s.convert(ctx, src, out); err != nil {
		return Media{}, err
	}
	st, err := os.Stat(out)
	if err != nil {
		return Media{}, err
	}
	m := Media{ID: id, ContentType: ctype, DurationS: dur, Bytes: st.Size(), Created: s.opts.Now(), By: by}
	if _, err := s.opts.DB.ExecContext(ctx, `INSERT INTO announce_media (id, content_type, duration_s, bytes, path, created, created_by, rendered)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, ctype, dur, m.Bytes, out, ts(m.Created), by, rendered); err != nil {
		os.Remove(out)
		return Media{}, fmt.Errorf("announce: media: %w", err)
	}
	return m, nil
}

// MediaList returns the uploaded media, newest first.
func (s *Service) MediaList(ctx context.Context) ([]Media, error) {
	rows, err := s.opts.DB.QueryContext(ctx, `SELECT id, content_type, duration_s, bytes, created, created_by
		FROM announce_media WHERE rendered = 0 ORDER BY created DESC LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("announce: media list: %w", err)
	}
	defer rows.Close()
	out := []Media{}
	for rows.Next() {
		var m Media
		var created string
		if err := rows.Scan(&m.ID, &m.ContentType, &m.DurationS, &m.Bytes, &created, &m.By); err != nil {
			return nil, err
		}
		m.Created = parseTS(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// DeleteMedia removes an uploaded file. Announcements already made with it
// keep playing it (their audio is a hard link taken at creation).
func (s *Service) DeleteMedia(ctx context.Context, id string) error {
	path, _, err := s.mediaFile(ctx, id)
	if err != nil {
		return err
	}
	if _, err := s.opts.DB.ExecContext(ctx, `DELETE FROM announce_media WHERE id = ?`, id); err != nil {
		return fmt.Errorf("announce: delete media: %w", err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		s.log.Warn("media file not removed", "path", path, "err", err)
	}
	return nil
}

// mediaFile returns the converted file of a media id.
func (s *Service) mediaFile(ctx context.Context, id string) (path string, dur float64, err error) {
	err = s.opts.DB.QueryRowContext(ctx, `SELECT path, duration_s FROM announce_media WHERE id = ?`, id).Scan(&path, &dur)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("media %q: %w", id, devices.ErrNotFound)
	}
	return path, dur, err
}

// audio is the file an announcement plays.
type audio struct {
	path        string
	ContentType string
	DurationS   float64
}

// audioFor renders the text or links the media file for one announcement
// (a hard link, so deleting the upload does not break it).
func (s *Service) audioFor(ctx context.Context, req Request, by string) (audio, error) {
	ctype := formatTypes[s.opts.Media.Format]
	if req.Text != "" {
		m, err := s.speak(ctx, req.Text, by)
		if err != nil {
			return audio{}, err
		}
		path, _, err := s.mediaFile(ctx, m.ID)
		return audio{path: path, ContentType: ctype, DurationS: m.DurationS}, err
	}
	path, dur, err := s.mediaFile(ctx, req.MediaID)
	if err != nil {
		if errors.Is(err, devices.ErrNotFound) {
			return audio{}, devices.Invalid("media_id", "Không tìm thấy tệp âm thanh / unknown media_id %q", req.MediaID)
		}
		return audio{}, err
	}
	link := strings.TrimSuffix(path, filepath.Ext(path)) + "-" + newID("a") + filepath.Ext(path)
	if err := os.Link(path, link); err != nil {
		// A file system without hard links: play the upload itself (deleting
		// it then stops announcements not yet played).
		s.log.Warn("media not linked for the announcement", "media", req.MediaID, "err", err)
		return audio{path: path, ContentType: ctype, DurationS: dur}, nil
	}
	return audio{path: link, ContentType: ctype, DurationS: dur}, nil
}

// Fetch returns the file behind a speaker's fetch token while it is valid;
// unknown or expired tokens wrap devices.ErrNotFound.
func (s *Service) Fetch(ctx context.Context, token string) (path, contentType string, err error) {
	return s.db.token(ctx, strings.TrimSuffix(token, filepath.Ext(token)), s.opts.Now())
}

// mediaURL is the URL speakers fetch r's audio from.
func (s *Service) mediaURL(r *record) string {
	return s.opts.PublicURL + "/media/" + r.Token + "." + s.opts.Media.Format
}

// copyFile writes an upload to its temporary file; tests replace it to
// simulate a full disk.
func (s *Service) copyFile(dst *os.File, src io.Reader) (int64, error) {
	if s.copyHook != nil {
		return s.copyHook(dst, src)
	}
	return io.Copy(dst, src)
}
