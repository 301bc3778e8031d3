package mqttlink

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hamlet-vn/hamlet/config"
)

func TestOptionsFromConfig(t *testing.T) {
	var cfg config.Config
	cfg.Area.ID = "khu10"
	cfg.MQTT = config.MQTT{Broker: "embedded", Listen: ":1883", ClientID: "hamletd-khu10", TopicPrefix: "hamlet",
		ReconnectMax: 7 * time.Second, Workers: 3, Queue: 99, Username: "u", Password: "p"}
	o := OptionsFromConfig(cfg, nil)
	if o.Broker != "tcp://127.0.0.1:1883" {
		t.Errorf("Broker = %q, want tcp://127.0.0.1:1883", o.Broker)
	}
	if o.StatusTopic != "hamlet/khu10/$daemon/status" {
		t.Errorf("StatusTopic = %q", o.StatusTopic)
	}
	if o.ClientID != "hamletd-khu10" || o.ReconnectMax != 7*time.Second || o.Workers != 3 || o.Queue != 99 ||
		o.Username != "u" || o.Password != "p" {
		t.Errorf("fields not copied: %+v", o)
	}
	if err := o.withDefaults().validate(); err != nil {
		t.Errorf("validate: %v", err)
	}
}

func TestValidateNamesKeys(t *testing.T) {
	o := Options{Broker: "http://x", Workers: -1, Queue: -2, ReconnectMax: time.Millisecond,
		StatusTopic: "a/#"}.withDefaults()
	err := o.validate()
	if err == nil {
		t.Fatal("validate accepted bad options")
	}
	for _, want := range []string{`mqtt.broker: "http://x" has scheme "http"`, "mqtt.client_id: must not be empty",
		"mqtt.workers: -1", "mqtt.queue: -2", "mqtt.reconnect_max: 1ms is shorter", "status topic: topic \"a/#\""} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q\ndoes not contain %q", err, want)
		}
	}
}

func TestParseBrokerDefaultsPort(t *testing.T) {
	for in, want := range map[string]string{
		"tcp://broker":      "tcp://broker:1883",
		"mqtts://broker":    "mqtts://broker:8883",
		"tcp://broker:1884": "tcp://broker:1884",
		"wss://broker/mqtt": "wss://broker/mqtt",
		"ssl://[::1]":       "ssl://[::1]:8883",
	} {
		u, err := parseBroker(in)
		if err != nil || u.String() != want {
			t.Errorf("parseBroker(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, bad := range []string{"", "tcp://", "broker:1883", "::"} {
		if _, err := parseBroker(bad); err == nil || !strings.Contains(err.Error(), "mqtt.broker") {
			t.Errorf("parseBroker(%q) = %v, want an mqtt.broker error", bad, err)
		}
	}
}

func TestStartRejectsBadOptionsAndCloseIsSafe(t *testing.T) {
	l := New(Options{Broker: "tcp://127.0.0.1:1"})
	err := l.Start(context.Background())
	if err == nil || !strings.Contains(err.Error(), "mqtt.client_id") {
		t.Fatalf("Start = %v, want a client id error", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("Close after failed Start: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := l.Start(context.Background()); err != ErrClosed {
		t.Fatalf("Start after Close = %v, want ErrClosed", err)
	}
	if err := l.Publish(context.Background(), "a", 1, false, nil); err != ErrClosed {
		t.Fatalf("Publish after Close = %v, want ErrClosed", err)
	}
	if err := l.WaitConnected(context.Background()); err != ErrClosed {
		t.Fatalf("WaitConnected after Close = %v, want ErrClosed", err)
	}
	if err := New(Options{}).Close(); err != nil {
		t.Fatalf("Close without Start: %v", err)
	}
}

func TestSubscribeRejectsBadInput(t *testing.T) {
	l := New(Options{})
	h := func(*Message) {}
	for _, tc := range []struct {
		filter string
		qos    byte
		h      Handler
		want   string
	}{
		{"a/#/b", 1, h, "'#' must be the last level"},
		{"a", 3, h, "qos 3"},
		{"a", 1, nil, "nil handler"},
	} {
		if err := l.Subscribe(tc.filter, tc.qos, tc.h); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Subscribe(%q, %d) = %v, want %q", tc.filter, tc.qos, err, tc.want)
		}
	}
	if err := l.Publish(context.Background(), "a/+", 1, false, nil); err == nil || !strings.Contains(err.Error(), "wildcards") {
		t.Errorf("Publish to a wildcard = %v", err)
	}
	if err := l.Publish(context.Background(), "a", 1, false, nil); err != ErrNotStarted {
		t.Errorf("Publish before Start = %v, want ErrNotStarted", err)
	}
}

func TestTLSConfigErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := writeSelfSigned(t, dir)
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.pem")
	tests := []struct {
		scheme string
		files  config.TLS
		want   string
	}{
		{"ssl", config.TLS{CAFile: missing}, "mqtt.tls.ca_file: open " + missing},
		{"ssl", config.TLS{CAFile: junk}, "mqtt.tls.ca_file: " + junk + " holds no PEM certificate"},
		{"mqtts", config.TLS{CertFile: certFile}, "mqtt.tls.key_file: must be set"},
		{"tls", config.TLS{KeyFile: keyFile}, "mqtt.tls.cert_file: must be set"},
		{"wss", config.TLS{CertFile: missing, KeyFile: keyFile}, "mqtt.tls.cert_file: open " + missing},
		{"ssl", config.TLS{CertFile: certFile, KeyFile: junk}, "key_file " + junk},
		{"tcp", config.TLS{CAFile: certFile}, `scheme "tcp" is not encrypted`},
	}
	for _, tt := range tests {
		_, err := tlsConfig(tt.scheme, "broker", tt.files)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("tlsConfig(%s, %+v) = %v, want %q", tt.scheme, tt.files, err, tt.want)
		}
	}
	cfg, err := tlsConfig("mqtts", "broker", config.TLS{CAFile: certFile, CertFile: certFile, KeyFile: keyFile})
	if err != nil || cfg.RootCAs == nil || len(cfg.Certificates) != 1 || cfg.ServerName != "broker" {
		t.Fatalf("valid files: %+v, %v", cfg, err)
	}
	if cfg, err := tlsConfig("ssl", "broker", config.TLS{}); err != nil || cfg == nil || cfg.RootCAs != nil {
		t.Fatalf("no files: want system roots, got %+v, %v", cfg, err)
	}
	if cfg, err := tlsConfig("tcp", "broker", config.TLS{}); err != nil || cfg != nil {
		t.Fatalf("plain scheme: %+v, %v", cfg, err)
	}
}

// writeSelfSigned writes a self-signed certificate and its key as PEM files.
func writeSelfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "broker"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, DNSNames: []string{"broker"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
