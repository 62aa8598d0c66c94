// The reference for `api.read`: a bare node:http server answering a fixed JSON body, nothing else.
import { createServer } from 'node:http';

const [portArg, body = '{}'] = process.argv.slice(2);
createServer((_req, res) => {
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(Number(portArg), '127.0.0.1');
