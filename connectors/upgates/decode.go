package upgates

// decode.go: request bodies undone of their Content-Encoding in a bounded
// amount of memory, whatever the sender declares. A decoder's memory is set
// by what the stream's header claims (brotli's and zstd's window), not by the
// few bytes sent, so each decoder is held to what a body of at most limit
// bytes can need, and the endpoint runs at most MaxDecodes of them at once.
//
// Per decode of a body of at most limit bytes (64 KiB by default):
//   - gzip, deflate: the 32 KiB DEFLATE window and its tables (about 50 KiB);
//   - br: a ring buffer of at most 4×limit or 256 KiB (see boundBrotliWindow),
//     the prefix-code tables a metablock header may declare (at most 2.6 MiB,
//     256 trees of each kind) and a 32 KiB input buffer;
//   - zstd: the output itself (the window is not allocated: see decodeZstd)
//     plus one block of at most 128 KiB and its literals;
//   - always: the output, limit+1 bytes.
//
// So one decode holds at most DecodeMemory(limit), 3 MiB at 64 KiB, and the
// endpoint at most MaxDecodes of them: 12 MiB in total, however many
// requests arrive at once.

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
)

// MaxDecodes is how many request bodies the endpoint decompresses at once;
// the others wait for a turn within the request's budget. Decoding 64 KiB
// takes well under a millisecond, so Upgates' request waits that long rather
// than getting an answer it would not retry (the seed treats anything but 200
// as a bare failure, and a 503's Retry-After is not followed).
const MaxDecodes = 4

// MaxZstdWindow is the largest zstd window accepted: what RFC 9659 lets an
// HTTP sender use. It costs no memory here (see decodeZstd).
const MaxZstdWindow = 8 << 20

// brotliTables is the most brotli's prefix-code tables take in one decode:
// 256 literal trees of 630 entries, 256 insert-and-copy trees of 1,080 and
// 256 distance trees of 920, 4 bytes an entry (andybalholm/brotli's
// decoderHuffmanTreeGroupInit with kMaxHuffmanTableSize), plus the context maps.
const brotliTables = 256*(630+1080+920)*4 + 256<<6 + 256<<2

// DecodeMemory bounds what one decode of a body of at most limit bytes
// (before and after decoding) holds: brotli's tables, its ring, its
// input buffer, the output, and slack for the small structures.
func DecodeMemory(limit int64) int64 {
	return brotliTables + max(4*limit, 1<<18) + 32<<10 + (limit + 1) + 256<<10
}

// ReadBody reads a request body of at most limit bytes and decodes it (see
// DecodeBody).
func ReadBody(body io.Reader, contentEncoding string, limit int64) ([]byte, error) {
	raw, err := readRaw(body, limit)
	if err != nil {
		return nil, err
	}
	return DecodeBody(raw, contentEncoding, limit)
}

func readRaw(body io.Reader, limit int64) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("the body could not be read (%v)", err)
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("the body is larger than %d bytes", limit)
	}
	return raw, nil
}

// encodings lists a Content-Encoding's codings, identity left out.
func encodings(contentEncoding string) []string {
	var encs []string
	for _, e := range strings.Split(contentEncoding, ",") {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" && e != "identity" {
			encs = append(encs, e)
		}
	}
	return encs
}

// DecodeBody undoes the Content-Encoding (gzip, deflate, br, zstd,
// identity; several are undone in reverse order) and refuses more than
// limit bytes after decoding; each decoder holds at most DecodeMemory(limit).
func DecodeBody(raw []byte, contentEncoding string, limit int64) ([]byte, error) {
	encs := encodings(contentEncoding)
	data := raw
	for i := len(encs) - 1; i >= 0; i-- {
		var err error
		if data, err = decode1(data, encs[i], limit); err != nil {
			return nil, err
		}
	}
	return data, nil
}

var errTooLarge = errors.New("too large")

func decode1(data []byte, enc string, limit int64) ([]byte, error) {
	var (
		r   io.Reader
		out []byte
		err error
	)
	switch enc {
	case "gzip", "x-gzip":
		if r, err = gzip.NewReader(bytes.NewReader(data)); err == nil {
			out, err = readAtMost(r, limit)
		}
	case "deflate":
		if r, err = deflateReader(data); err == nil {
			out, err = readAtMost(r, limit)
		}
	case "br":
		out, err = readAtMost(brotli.NewReader(boundBrotliWindow(data, limit)), limit)
	case "zstd":
		out, err = decodeZstd(data, limit)
	default:
		return nil, fmt.Errorf("the content encoding %q is not supported (gzip, deflate, br and zstd are)", enc)
	}
	switch {
	case errors.Is(err, errTooLarge):
		return nil, fmt.Errorf("the body is larger than %d bytes once decompressed", limit)
	case errors.Is(err, zstd.ErrWindowSizeExceeded):
		return nil, fmt.Errorf("the zstd body declares a window larger than %d MiB, which HTTP does not allow", MaxZstdWindow>>20)
	case err != nil:
		return nil, fmt.Errorf("the %s body is damaged (%v)", enc, err)
	}
	return out, nil
}

// readAtMost reads r into one buffer of limit+1 bytes: no growing copies,
// and errTooLarge as soon as there is more than limit.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	buf := make([]byte, limit+1)
	n, idle := 0, 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		switch {
		case err == io.EOF:
			return buf[:n], nil
		case err != nil: // a stream cut short is io.ErrUnexpectedEOF: damaged
			return nil, err
		case m == 0:
			if idle++; idle > 100 {
				return nil, io.ErrNoProgress
			}
		default:
			idle = 0
		}
	}
	return nil, errTooLarge
}

// deflateReader reads HTTP "deflate", which RFC 9110 defines as zlib, and
// falls back to raw DEFLATE, which some senders use instead.
func deflateReader(data []byte) (io.Reader, error) {
	br := bufio.NewReader(bytes.NewReader(data))
	if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		return zlib.NewReader(br)
	}
	return flate.NewReader(br), nil
}

// boundBrotliWindow gives the decoder data with a smaller declared window
// when the stream declares more than a body of limit bytes can use. The
// decoder's ring buffer grows to the window (16 MiB for WBITS 24) as soon as
// a metablock claims that much output, which a 14-byte stream can.
//
// The rewrite changes nothing for a stream that decodes to at most limit
// bytes: its ring never grows past the next power of two above limit, which stays
// below the new window, so under both windows every distance beyond the
// output so far means the static dictionary, and the output is the same. A
// stream that claims more is refused for its size either way.
//
// Only the 4-bit forms (WBITS 18..24: the first bit 1, the next three
// 1..7) are rewritten, to another 4-bit form: the rest of the stream keeps
// its bit positions, and the caller's bytes are not changed.
func boundBrotliWindow(data []byte, limit int64) io.Reader {
	// The ring stays below the window when 2^wbits > the next power of two
	// above limit.
	want := uint(max(18, bits.Len64(uint64(limit-1))+1))
	if len(data) == 0 || data[0]&1 == 0 || want > 24 {
		return bytes.NewReader(data)
	}
	n := uint(data[0]>>1) & 7
	if n == 0 || 17+n <= want {
		return bytes.NewReader(data) // the 7-bit forms: WBITS 10..17
	}
	r := &firstByteReader{first: data[0]&^0x0e | byte(want-17)<<1, rest: bytes.NewReader(data[1:])}
	return r
}

// firstByteReader reads data with its first byte replaced, in reads as long
// as the original's, so the decoder sees the same chunks.
type firstByteReader struct {
	first   byte
	rest    *bytes.Reader
	started bool
}

func (r *firstByteReader) Read(p []byte) (int, error) {
	if r.started || len(p) == 0 {
		return r.rest.Read(p)
	}
	r.started = true
	p[0] = r.first
	n, _ := r.rest.Read(p[1:]) // only io.EOF, at the end: the next Read says it
	return n + 1, nil
}

// decodeZstd decodes all of data at once into a buffer of limit+1 bytes. In
// that mode klauspost/compress keeps the history in the output itself, so a
// declared window (up to MaxZstdWindow) costs nothing; the streaming reader
// would allocate it whole.
func decodeZstd(data []byte, limit int64) ([]byte, error) {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(MaxZstdWindow), zstd.WithDecoderMaxMemory(MaxZstdWindow), zstd.WithDecodeAllCapLimit(true))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	out, err := d.DecodeAll(data, make([]byte, 0, limit+1))
	switch {
	case errors.Is(err, zstd.ErrDecoderSizeExceeded) || int64(len(out)) > limit:
		return nil, errTooLarge
	case err != nil:
		return nil, err
	}
	return out, nil
}
