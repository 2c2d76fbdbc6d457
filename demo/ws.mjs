// WebSocket endpoint of the demo origin (see origin.mjs): the RFC 6455 handshake on /ws and
// an echo of text/binary frames, enough to test that the worker passes upgrades through.
import { createHash } from 'node:crypto';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode, payload) {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (len >= 126) {
    head[0] = 0x80 | opcode;
    head[1] = len < 65536 ? 126 : 127;
    if (len < 65536) head.writeUInt16BE(len, 2);
    else head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** 'upgrade' listener: /ws becomes an echo WebSocket; other upgrade requests are refused. */
export function handleUpgrade(req, socket, head, sockets) {
  const path = new URL(req.url ?? '/', 'http://origin').pathname;
  const key = req.headers['sec-websocket-key'];
  const isWs = String(req.headers.upgrade).toLowerCase() === 'websocket';
  if (path !== '/ws' || !isWs || !key || req.headers['sec-websocket-version'] !== '13') {
    const code = path === '/ws' ? '400 Bad Request' : '404 Not Found';
    socket.end(`HTTP/1.1 ${code}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    return;
  }
  const accept = createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  let buf = head?.length ? Buffer.from(head) : Buffer.alloc(0);
  const onData = (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 2) {
      const opcode = buf[0] & 0x0f;
      const masked = (buf[1] & 0x80) !== 0;
      let len = buf[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      const maskOff = off;
      if (masked) off += 4;
      if (buf.length < off + len) return;
      const payload = Buffer.from(buf.subarray(off, off + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskOff + (i & 3)];
      buf = buf.subarray(off + len);
      if (opcode === 0x8) {
        socket.end(frame(0x8, payload.subarray(0, 2)));
        return;
      }
      if (opcode === 0x9) socket.write(frame(0xa, payload));
      else if (opcode === 0x1 || opcode === 0x2 || opcode === 0x0) socket.write(frame(opcode || 0x1, payload));
    }
  };
  socket.on('data', onData);
  if (buf.length) {
    const first = buf;
    buf = Buffer.alloc(0);
    onData(first);
  }
}
