package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hamlet-vn/hamlet/internal/backoff"
	"github.com/hamlet-vn/hamlet/store"
)

// Webhook is one receiver of alert notifications.
type Webhook struct {
	URL         string
	Secret      string   // signs every body: X-Hamlet-Signature: sha256=<hex HMAC-SHA256>
	MinSeverity Severity // events of less urgent alerts are not sent; empty means every severity
}

// Outbox keeps notifications until their receiver accepts them; *store.DB is one.
type Outbox interface {
	EnqueueOutbox(ctx context.Context, target string, body []byte, now time.Time) error
	DueOutbox(ctx context.Context, now time.Time, limit int) ([]store.OutboxItem, error)
	DeliveredOutbox(ctx context.Context, id int64) error
	RetryOutbox(ctx context.Context, id int64, next time.Time, cause string) error
	OutboxLen(ctx context.Context) (int, error)
}

// Payload is the JSON body of a webhook notification (docs/alerts.md).
type Payload struct {
	Event string `json:"event"` // raised, acknowledged, flapped or cleared
	Area  string `json:"area"`
	Alert Alert  `json:"alert"`
	At    string `json:"time"` // when the event happened, RFC 3339
}

// Webhooks is the webhook channel: Notify stores a notification per
// receiver in the durable outbox; Run delivers them, retrying with a capped,
// jittered backoff, so an alert raised while a receiver is down still arrives.
type Webhooks struct {
	mu     sync.RWMutex
	hooks  []Webhook // guarded by mu; replaced whole by SetHooks
	outbox Outbox
	area   string
	client *http.Client
	now    func() time.Time
	log    *slog.Logger
	wake   chan struct{}

	// MaxBackoff caps the wait between attempts. If zero, 5m.
	MaxBackoff time.Duration

	// Counters for /metrics.
	Sent, Failed, Queued atomic.Uint64
}

// NewWebhooks returns the channel for hooks over outbox.
func NewWebhooks(hooks []Webhook, outbox Outbox, area string, now func() time.Time, log *slog.Logger) *Webhooks {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Webhooks{hooks: hooks, outbox: outbox, area: area, now: now, log: log, wake: make(chan struct{}, 1),
		client: &http.Client{Timeout: 10 * time.Second}}
}

// SetHooks replaces the receivers (a config reload). Notifications already
// queued for a receiver still configured are sent with its new secret;
// those for a receiver no longer configured are dropped when due, and
// logged. An empty list sends nothing.
func (w *Webhooks) SetHooks(hooks []Webhook) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.hooks = hooks
}

// receivers returns the current receivers.
func (w *Webhooks) receivers() []Webhook {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.hooks
}

// Notify queues e for every receiver that wants its severity.
func (w *Webhooks) Notify(ctx context.Context, e Event) {
	hooks := w.receivers()
	if len(hooks) == 0 {
		return
	}
	now := w.now()
	body, err := json.Marshal(Payload{Event: e.Type, Area: w.area, Alert: e.Alert, At: now.Format(time.RFC3339)})
	if err != nil {
		w.log.Error("alert webhook body", "err", err)
		return
	}
	for _, h := range hooks {
		if h.MinSeverity != "" && !e.Alert.Severity.AtLeast(h.MinSeverity) {
			continue
		}
		if err := w.outbox.EnqueueOutbox(ctx, h.URL, body, now); err != nil {
			w.log.Error("alert webhook not queued", "url", h.URL, "err", err)
			continue
		}
		w.Queued.Add(1)
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Sign returns the X-Hamlet-Signature value of body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Run delivers due notifications until ctx ends; poll bounds how long a
// retry waits to be noticed.
func (w *Webhooks) Run(ctx context.Context, poll time.Duration) error {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		w.DeliverDue(ctx)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		case <-w.wake:
		}
	}
}

// DeliverDue tries every notification due now once.
func (w *Webhooks) DeliverDue(ctx context.Context) {
	items, err := w.outbox.DueOutbox(ctx, w.now(), 100)
	if err != nil {
		w.log.Warn("alert outbox unreadable", "err", err)
		return
	}
	for _, it := range items {
		h, ok := w.hook(it.Target)
		if !ok { // the receiver left the config: nothing to send it with
			w.log.Warn("alert notification dropped: its webhook is no longer configured", "url", it.Target)
			w.outbox.DeliveredOutbox(ctx, it.ID)
			continue
		}
		if err := w.post(ctx, h, it.Body); err != nil {
			w.Failed.Add(1)
			next := w.now().Add(w.backoff(it.Attempts))
			w.log.Warn("alert webhook failed; will retry", "url", h.URL, "attempt", it.Attempts+1, "retry_at", next, "err", err)
			w.outbox.RetryOutbox(ctx, it.ID, next, err.Error())
			continue
		}
		w.Sent.Add(1)
		w.outbox.DeliveredOutbox(ctx, it.ID)
	}
}

func (w *Webhooks) hook(url string) (Webhook, bool) {
	for _, h := range w.receivers() {
		if h.URL == url {
			return h, true
		}
	}
	return Webhook{}, false
}

func (w *Webhooks) post(ctx context.Context, h Webhook, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hamletd")
	req.Header.Set("X-Hamlet-Signature", Sign(h.Secret, body))
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("receiver answered %s", resp.Status)
	}
	return nil
}

// backoff is 1s doubling per attempt, capped at MaxBackoff (default 5
// minutes), jittered (internal/backoff).
func (w *Webhooks) backoff(attempts int) time.Duration {
	limit := w.MaxBackoff
	if limit == 0 {
		limit = 5 * time.Minute
	}
	return backoff.Policy{Initial: time.Second, Max: limit}.Delay(attempts)
}
