package mqttlink

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/hamlet-vn/hamlet/config"
)

// tlsConfig builds the TLS configuration for a broker URL scheme. It returns
// nil for plain schemes, and an error naming the file or key at fault when
// the files cannot be used or TLS files are given for a plain scheme.
func tlsConfig(scheme, serverName string, files config.TLS) (*tls.Config, error) {
	given := files.CAFile != "" || files.CertFile != "" || files.KeyFile != ""
	if !usesTLS(scheme) {
		if given {
			return nil, fmt.Errorf("mqtt.tls: files are set but the broker scheme %q is not encrypted; use ssl://, tls://, mqtts:// or wss://", scheme)
		}
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	if files.CAFile != "" {
		pem, err := os.ReadFile(files.CAFile)
		if err != nil {
			return nil, fmt.Errorf("mqtt.tls.ca_file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("mqtt.tls.ca_file: %s holds no PEM certificate", files.CAFile)
		}
		cfg.RootCAs = pool
	}
	switch {
	case files.CertFile != "" && files.KeyFile != "":
		cert, err := loadKeyPair(files.CertFile, files.KeyFile)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{cert}
	case files.CertFile != "":
		return nil, fmt.Errorf("mqtt.tls.key_file: must be set with mqtt.tls.cert_file %s", files.CertFile)
	case files.KeyFile != "":
		return nil, fmt.Errorf("mqtt.tls.cert_file: must be set with mqtt.tls.key_file %s", files.KeyFile)
	}
	return cfg, nil
}

// loadKeyPair reads a client certificate and key, naming the file at fault.
func loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("mqtt.tls.cert_file: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("mqtt.tls.key_file: %w", err)
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("mqtt.tls: cert_file %s and key_file %s: %w", certFile, keyFile, err)
	}
	return cert, nil
}
