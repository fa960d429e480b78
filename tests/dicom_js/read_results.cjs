// Decodes a DICOM SEG and SR written by Nesa with dcmjs, an independent reader, for the tests.
// Usage: node read_results.cjs SEG.dcm SR.dcm LABELS.bin
// Writes the SEG's frames to LABELS.bin, one byte (0 or 1) per pixel in frame order, and prints
// JSON: rows, columns, the segment number and position of each frame, each segment's label, and
// every volume (mL) the SR states with the segment it refers to.
'use strict';
const fs = require('fs');
const dcmjs = require('dcmjs');

function read(file) {
  const bytes = fs.readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const message = dcmjs.data.DicomMessage.readFile(buffer);
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
}

function asArray(value) {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const [segFile, srFile, labelsFile] = process.argv.slice(2);
const seg = read(segFile);
const rows = seg.Rows, columns = seg.Columns, frames = Number(seg.NumberOfFrames);
if (seg.BitsAllocated !== 1) throw new Error('expected a binary SEG, BitsAllocated ' + seg.BitsAllocated);
const packed = new Uint8Array(asArray(seg.PixelData)[0]);
const pixels = rows * columns * frames;
const labels = Buffer.alloc(pixels);
for (let i = 0; i < pixels; ++i) labels[i] = (packed[i >> 3] >> (i & 7)) & 1; // DICOM: LSB first
fs.writeFileSync(labelsFile, labels);
const perFrame = asArray(seg.PerFrameFunctionalGroupsSequence).map((group) => ({
  segment: asArray(group.SegmentIdentificationSequence)[0].ReferencedSegmentNumber,
  position: asArray(group.PlanePositionSequence)[0].ImagePositionPatient.map(Number),
}));
const segments = asArray(seg.SegmentSequence).map((s) => ({ number: s.SegmentNumber, label: s.SegmentLabel }));

const volumes = [];
function walk(items, segment) {
  for (const item of asArray(items)) {
    let here = segment;
    for (const child of asArray(item.ContentSequence))
      if (child.ValueType === 'IMAGE' && child.ReferencedSOPSequence)
        here = asArray(asArray(child.ReferencedSOPSequence)[0].ReferencedSegmentNumber)[0] || here;
    const name = asArray(item.ConceptNameCodeSequence)[0];
    if (item.ValueType === 'NUM' && name && name.CodeValue === '118565006')
      volumes.push({ segment: here, millilitres: Number(asArray(item.MeasuredValueSequence)[0].NumericValue) });
    walk(item.ContentSequence, here);
  }
}
const sr = read(srFile);
walk(sr.ContentSequence, undefined);
console.log(JSON.stringify({
  rows, columns, frames, perFrame, segments, volumes,
  studyUid: seg.StudyInstanceUID, srStudyUid: sr.StudyInstanceUID, srSopClass: sr.SOPClassUID,
}));
