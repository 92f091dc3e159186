package bench

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/hookcheck/hookcheck/internal/bare204"
)

// Served is what a bare server saw.
type Served struct {
	URL      string `json:"url,omitempty"`
	Port     int    `json:"port,omitempty"`
	Conns    int64  `json:"conns"`
	Requests int64  `json:"requests"`
}

// bareServer is a bare net/http server answering 204, counting the
// connections it accepted and the requests it answered.
type bareServer struct {
	srv             *http.Server
	ln              net.Listener
	conns, requests atomic.Int64
}

func listenBare(ctx context.Context) (*bareServer, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bareServer{ln: ln}
	b.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b.requests.Add(1)
			bare204.Handler(w, r)
		}),
		ConnState: func(_ net.Conn, st http.ConnState) {
			if st == http.StateNew {
				b.conns.Add(1)
			}
		},
	}
	go b.srv.Serve(ln)
	return b, nil
}

func (b *bareServer) served() Served {
	port := b.ln.Addr().(*net.TCPAddr).Port
	return Served{URL: "http://127.0.0.1:" + strconv.Itoa(port), Port: port, Conns: b.conns.Load(), Requests: b.requests.Load()}
}

// Serve is the bare 204 server: it prints its URL as JSON, serves until
// stdin closes (untilEOF: a child of the benchmarks) or ctx is done (by
// hand, until Ctrl-C), then prints what it served.
func Serve(ctx context.Context, stdin io.Reader, stdout io.Writer, untilEOF bool) error {
	b, err := listenBare(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	if err := enc.Encode(b.served()); err != nil {
		return err
	}
	if untilEOF {
		_, _ = io.Copy(io.Discard, stdin)
	} else {
		<-ctx.Done()
	}
	b.srv.Close()
	return enc.Encode(b.served())
}
