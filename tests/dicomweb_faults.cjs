// A DICOMweb server that misbehaves on purpose, for the error paths of the client:
//   node dicomweb_faults.cjs J2K_FILE STUDY SERIES SOP STOWED_SOP
// Listens on a free loopback port, prints it on a line of its own, and answers below these bases:
//   /locked/...   401 to everything (a PACS that wants credentials)
//   /cut/...      a series it counts as 3 instances but lists 2 of (a listing cut short)
//   /j2k/...      one instance, J2K_FILE (JPEG 2000): 406 when asked for explicit VR little
//                 endian, else the file as it is
//   /stow200/...  STOW-RS answered 200 with STOWED_SOP (the posted file's) in its Failed SOP
//                 Sequence
//   /stow409/...  the same with 409
// It ends when its standard input closes.
'use strict';
const fs = require('fs');
const http = require('http');

const [j2kFile, study, series, sop, stowedSop] = process.argv.slice(2);
const uid = (tag, value) => ({ [tag]: { vr: 'UI', Value: [value] } });
const json = (response, status, body) => {
  response.writeHead(status, { 'Content-Type': 'application/dicom+json' });
  response.end(JSON.stringify(body));
};
const failed = {
  '00081198': { vr: 'SQ', Value: [{ ...uid('00081150', '1.2.840.10008.5.1.4.1.1.4'),
                                   ...uid('00081155', stowedSop),
                                   '00081197': { vr: 'US', Value: [272] } }] },
};

const server = http.createServer((request, response) => {
  const path = request.url.split('?')[0];
  const [, base] = path.split('/');
  request.resume();
  request.on('end', () => {
    if (base === 'locked') return json(response, 401, {});
    if (base === 'stow200' || base === 'stow409')
      return json(response, base === 'stow200' ? 200 : 409, failed);
    const rest = path.slice(base.length + 1);
    if (rest.endsWith('/series')) {
      const count = base === 'cut' ? 3 : 1;
      return json(response, 200, [{ ...uid('0020000E', series),
                                    '00201209': { vr: 'IS', Value: [count] } }]);
    }
    if (rest.endsWith('/instances')) {
      const listed = base === 'cut' ? [sop, sop + '.2'] : [sop];
      return json(response, 200, listed.map((one) => uid('00080018', one)));
    }
    if (base === 'j2k' && rest.includes('/instances/')) {
      if ((request.headers.accept || '').includes('transfer-syntax=1.2.840.10008.1.2.1')) {
        response.writeHead(406);
        return response.end();
      }
      const boundary = 'faults-boundary';
      response.writeHead(200, {
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}` });
      response.write(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
      response.write(fs.readFileSync(j2kFile));
      return response.end(`\r\n--${boundary}--\r\n`);
    }
    response.writeHead(404);
    response.end();
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
