package testsvc

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"time"
)

// mqttProbe connects to addr, sends an MQTT 3.1.1 CONNECT with an empty client
// id and a clean session, and expects a CONNACK that accepts it: proof that a
// broker (not just anything) is serving the port.
func mqttProbe(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	connect := []byte{
		0x10, 12, // CONNECT, remaining length
		0, 4, 'M', 'Q', 'T', 'T', 4, // protocol name and level 4 (3.1.1)
		0x02,  // flags: clean session
		0, 10, // keep alive, seconds
		0, 0, // client id: empty (the broker assigns one)
	}
	if _, err := conn.Write(connect); err != nil {
		return fmt.Errorf("send CONNECT: %w", err)
	}
	ack := make([]byte, 4)
	if _, err := io.ReadFull(conn, ack); err != nil {
		return fmt.Errorf("read CONNACK: %w", err)
	}
	if !bytes.Equal(ack, []byte{0x20, 2, 0, 0}) {
		return fmt.Errorf("unexpected CONNACK % x", ack)
	}
	_, _ = conn.Write([]byte{0xe0, 0}) // DISCONNECT
	return nil
}
