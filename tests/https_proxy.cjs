// An https front for a plain-HTTP server, as hospitals put nginx before their PACS's DICOMweb:
//   node https_proxy.cjs CERT.pem KEY.pem http://127.0.0.1:PORT
// Listens on a free loopback port, prints it on a line of its own, and forwards every request
// (method, path, headers, body) to the target, streaming both ways. It ends with its parent.
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');

const [certificate, key, target] = process.argv.slice(2);
const upstream = new URL(target);
const server = https.createServer(
  { cert: fs.readFileSync(certificate), key: fs.readFileSync(key) },
  (request, response) => {
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: upstream.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
      });
    forwarded.on('error', (error) => {
      response.writeHead(502);
      response.end(String(error));
    });
    request.pipe(forwarded);
  });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0)); // the test closed our stdin: it is over
process.stdin.resume();
