package tpm

import (
	"encoding/binary"
	"fmt"
)

// HeaderSize is the size of every TPM 1.2 and TPM 2.0 request and response
// header: tag (2 bytes), size (4 bytes), ordinal or return code (4 bytes).
const HeaderSize = 10

// MaxMessageSize bounds the size field a parser accepts; a larger value is
// treated as a lie. It matches the 4096-byte buffers of real TPMs and swtpm.
const MaxMessageSize = 4096

// Tag is the first header field (TPM_TAG in TPM 1.2, TPM_ST in TPM 2.0).
type Tag uint16

// Header tags.
const (
	TagRquCommand Tag = 0x00C1 // TPM 1.2 request without authorisation
	TagRquAuth1   Tag = 0x00C2 // TPM 1.2 request with one authorisation session
	TagRquAuth2   Tag = 0x00C3 // TPM 1.2 request with two authorisation sessions
	TagRspCommand Tag = 0x00C4 // TPM 1.2 response without authorisation
	TagRspAuth1   Tag = 0x00C5 // TPM 1.2 response with one authorisation session
	TagRspAuth2   Tag = 0x00C6 // TPM 1.2 response with two authorisation sessions
	TagNoSessions Tag = 0x8001 // TPM 2.0 TPM_ST_NO_SESSIONS
	TagSessions   Tag = 0x8002 // TPM 2.0 TPM_ST_SESSIONS
)

var tagNames = map[Tag]string{
	TagRquCommand: "TPM_TAG_RQU_COMMAND",
	TagRquAuth1:   "TPM_TAG_RQU_AUTH1_COMMAND",
	TagRquAuth2:   "TPM_TAG_RQU_AUTH2_COMMAND",
	TagRspCommand: "TPM_TAG_RSP_COMMAND",
	TagRspAuth1:   "TPM_TAG_RSP_AUTH1_COMMAND",
	TagRspAuth2:   "TPM_TAG_RSP_AUTH2_COMMAND",
	TagNoSessions: "TPM_ST_NO_SESSIONS",
	TagSessions:   "TPM_ST_SESSIONS",
}

// String returns the specification name of the tag, or its hex value.
func (t Tag) String() string {
	if n, ok := tagNames[t]; ok {
		return n
	}
	return fmt.Sprintf("tag 0x%04X", uint16(t))
}

// Is20 reports whether t is a TPM 2.0 tag (TPM_ST_*), which a TPM 1.2 never
// sends.
func (t Tag) Is20() bool { return t&0x8000 != 0 }

// Command is a parsed request: header fields and the parameter bytes after
// the header. Code is the TPM 1.2 ordinal or the TPM 2.0 command code; use
// Ordinal or CommandCode for the typed value.
type Command struct {
	// Tag is the request tag: TPM_TAG_RQU_* (TPM 1.2) or TPM_ST_* (TPM 2.0).
	Tag Tag
	// Code is the ordinal (TPM 1.2) or commandCode (TPM 2.0).
	Code uint32
	// Params is the bytes after the 10-byte header.
	Params []byte
}

// Ordinal returns Code as a TPM 1.2 ordinal.
func (c Command) Ordinal() Ordinal { return Ordinal(c.Code) }

// CommandCode returns Code as a TPM 2.0 command code.
func (c Command) CommandCode() CommandCode { return CommandCode(c.Code) }

// Marshal encodes the command with a correct size field.
func (c Command) Marshal() []byte { return encode(c.Tag, c.Code, c.Params) }

// String names the command: its ordinal (TPM 1.2 tags) or command code
// (TPM 2.0 tags).
func (c Command) String() string {
	if c.Tag.Is20() {
		return c.CommandCode().String()
	}
	return c.Ordinal().String()
}

// Response is a parsed response: header fields and the bytes after the
// header.
type Response struct {
	// Tag is the response tag: TPM_TAG_RSP_* (TPM 1.2) or TPM_ST_* (TPM 2.0).
	Tag Tag
	// Code is the returnCode (TPM 1.2) or responseCode (TPM 2.0); 0 is success.
	Code uint32
	// Params is the bytes after the 10-byte header.
	Params []byte
}

// Marshal encodes the response with a correct size field.
func (r Response) Marshal() []byte { return encode(r.Tag, r.Code, r.Params) }

// Err returns nil for a success code, otherwise the code as an RC (TPM 1.2
// tags) or RC2 (TPM 2.0 tags), usable with errors.Is against the named
// constants.
func (r Response) Err() error {
	if r.Code == 0 {
		return nil
	}
	if r.Tag.Is20() {
		return RC2(r.Code)
	}
	return RC(r.Code)
}

func encode(tag Tag, code uint32, params []byte) []byte {
	b := make([]byte, HeaderSize, HeaderSize+len(params))
	binary.BigEndian.PutUint16(b[0:], uint16(tag))
	binary.BigEndian.PutUint32(b[2:], uint32(HeaderSize+len(params)))
	binary.BigEndian.PutUint32(b[6:], code)
	return append(b, params...)
}

// parseHeader checks the header of a command or response: at least
// HeaderSize bytes and a size field equal to len(b).
func parseHeader(what string, b []byte) (Tag, uint32, []byte, error) {
	if len(b) < HeaderSize {
		return 0, 0, nil, fmt.Errorf("tpm: %s: %w: %d bytes, a header needs %d (byte offset %d is missing)",
			what, ErrMalformed, len(b), HeaderSize, len(b))
	}
	size := binary.BigEndian.Uint32(b[2:])
	if size != uint32(len(b)) {
		return 0, 0, nil, fmt.Errorf("tpm: %s: %w: size field at byte offset 2 says %d bytes, message has %d",
			what, ErrMalformed, size, len(b))
	}
	params := make([]byte, len(b)-HeaderSize)
	copy(params, b[HeaderSize:])
	return Tag(binary.BigEndian.Uint16(b)), binary.BigEndian.Uint32(b[6:]), params, nil
}

// ParseCommand parses a complete request. The size field must equal
// len(b); the tag is not checked, so that an engine can answer a bad tag with
// the right return code.
func ParseCommand(b []byte) (Command, error) {
	tag, code, params, err := parseHeader("command", b)
	if err != nil {
		return Command{}, err
	}
	return Command{Tag: tag, Code: code, Params: params}, nil
}

// ParseResponse parses a complete response. The size field must equal
// len(b) and the tag must be a response tag (TPM_TAG_RSP_* or TPM_ST_*).
// A TPM error code is not a parse error: check Response.Err.
func ParseResponse(b []byte) (Response, error) {
	tag, code, params, err := parseHeader("response", b)
	if err != nil {
		return Response{}, err
	}
	switch tag {
	case TagRspCommand, TagRspAuth1, TagRspAuth2, TagNoSessions, TagSessions:
	default:
		return Response{}, fmt.Errorf("tpm: response: %w: tag at byte offset 0 is %v, not a response tag", ErrMalformed, tag)
	}
	return Response{Tag: tag, Code: code, Params: params}, nil
}

// ResponseSize returns the size field of a response or command whose first
// bytes are in b, so that a reader of a FIFO knows how many bytes to expect.
// It fails when fewer than 6 bytes are given or the size is below
// HeaderSize or above MaxMessageSize.
func ResponseSize(b []byte) (int, error) {
	if len(b) < 6 {
		return 0, fmt.Errorf("tpm: %w: size field at byte offset 2 needs 6 bytes, have %d", ErrMalformed, len(b))
	}
	size := binary.BigEndian.Uint32(b[2:])
	if size < HeaderSize || size > MaxMessageSize {
		return 0, fmt.Errorf("tpm: %w: size field at byte offset 2 says %d bytes, outside %d..%d",
			ErrMalformed, size, HeaderSize, MaxMessageSize)
	}
	return int(size), nil
}

// NewResponse encodes a TPM 1.2 response (TPM_TAG_RSP_COMMAND) with the
// return code and the parameter parts concatenated.
func NewResponse(rc RC, params ...[]byte) []byte {
	return encode(TagRspCommand, uint32(rc), concat(params))
}

// NewResponse2 encodes a TPM 2.0 response (TPM_ST_NO_SESSIONS) with the
// response code and the parameter parts concatenated.
func NewResponse2(rc RC2, params ...[]byte) []byte {
	return encode(TagNoSessions, uint32(rc), concat(params))
}

func concat(parts [][]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
